// Every name, path and file name the task fixes, computed in one place.
import { HostConfig, SecureIngressConfig } from "./config/schema";

/** Where mounted-mode certificates live inside the gateway pod (the task's paths). */
export const mountRoot = "/etc/istio";

/** The task's secret for the first host's server certificate. */
export const primaryCertSecret = "istio-ingressgateway-certs";
/** The task's secret for the CA chain(s) that verify client certificates. */
export const caCertSecret = "istio-ingressgateway-ca-certs";
/** The file name the task's MUTUAL server reads its CA chain from. */
export const caChainFile = "ca-chain.cert.pem";

/** Mounted mode: the secret holding host `index`'s server certificate. */
export function mountedCertSecretName(hosts: HostConfig[], index: number): string {
    return index === 0 ? primaryCertSecret : `istio-ingressgateway-${hosts[index].name}-certs`;
}

/** The volume name the legacy Helm chart's secretVolumes used: the secret name without `istio-`. */
export function volumeNameForSecret(secretName: string): string {
    return secretName.replace(/^istio-/, "");
}

/** Mount path of a secret: /etc/istio/<volume name>. */
export function mountPathForSecret(secretName: string): string {
    return `${mountRoot}/${volumeNameForSecret(secretName)}`;
}

/** A host whose server verifies client certificates (MUTUAL or OPTIONAL_MUTUAL): it needs a CA chain. */
export function isMutual(host: Pick<HostConfig, "tls">): boolean {
    return host.tls !== "SIMPLE";
}

/** Hosts whose servers verify client certificates. */
export function mutualHosts(hosts: HostConfig[]): HostConfig[] {
    return hosts.filter(isMutual);
}

/** Key (file name) of a host's CA chain inside the CA secret: the first such host gets the task's name. */
export function caChainKey(hosts: HostConfig[], host: HostConfig): string {
    return mutualHosts(hosts)[0]?.name === host.name ? caChainFile : `${host.name}-${caChainFile}`;
}

/** SDS mode: the credentialName secret of a host. */
export function credentialName(host: HostConfig): string {
    return `${host.name}-credential`;
}

export function httpsPortName(host: HostConfig): string {
    return `https-${host.name}`;
}

export const httpPortName = "http";

/** Names of the JWT objects, after the Gateway's name. */
export function jwtObjectNames(gatewayName: string) {
    return {
        legacyPolicy: "ingressgateway",
        requestAuthentication: `${gatewayName}-jwt`,
        authorizationPolicy: `${gatewayName}-require-jwt`,
    };
}

/**
 * A host name as a file or folder name: a wildcard's `*` becomes `_wildcard` (no DNS name holds `_`, so it
 * cannot meet another host's folder, and no shell globs it).
 */
export function fileSafeHostName(hostName: string): string {
    return hostName.replace(/^\*\./, "_wildcard.");
}

/** The task's certificate file layout (mtls-go-example's generate.sh), relative to the output folder. */
export function certFiles(host: string) {
    const hostName = fileSafeHostName(host);
    return {
        rootCert: `${hostName}/1_root/certs/ca.cert.pem`,
        intermediateCert: `${hostName}/2_intermediate/certs/intermediate.cert.pem`,
        caChain: `${hostName}/2_intermediate/certs/${caChainFile}`,
        serverCert: `${hostName}/3_application/certs/${hostName}.cert.pem`,
        serverKey: `${hostName}/3_application/private/${hostName}.key.pem`,
        clientCert: `${hostName}/4_client/certs/${hostName}.cert.pem`,
        clientKey: `${hostName}/4_client/private/${hostName}.key.pem`,
    };
}

/** Label and annotation keys this product writes. */
export const annotations = {
    istioVersion: "secure-ingress.dev/istio-version",
    certsChecksum: "secure-ingress.dev/certs-checksum",
    skipAwait: "pulumi.com/skipAwait",
    patchForce: "pulumi.com/patchForce",
};

/** Istio reads a `<credentialName>-cacert` Secret (key `cacert`) before the credential's own ca.crt. */
export const caCertSuffix = "-cacert";
export const caCertKey = "cacert";

/** The Secret that verifies client certificates of a cert-manager host, beside the Secret cert-manager writes. */
export function caCertSecretName(credential: string): string {
    return `${credential}${caCertSuffix}`;
}

/** The self-contained CA Issuer: one per host (caMode per-host) or one for the stack (shared). */
export function caIssuerName(host: HostConfig | undefined): string {
    return host ? `secure-ingress-${host.name}-ca` : "secure-ingress-ca";
}

/** The Secret holding the CA Issuer's intermediate certificate and key. */
export function caIssuerSecretName(issuerName: string): string {
    return `${issuerName}-key-pair`;
}

/** The Secret a host's server certificate lives in (and a cert-manager Certificate writes): the task's mounted name, or the credential. */
export function servingSecretName(c: Pick<SecureIngressConfig, "gateway" | "hosts">, host: HostConfig): string {
    return c.gateway.secretDelivery === "mounted"
        ? mountedCertSecretName(
              c.hosts,
              c.hosts.findIndex((h) => h.name === host.name),
          )
        : credentialName(host);
}
