// Every name, path and file name the task fixes, computed in one place.
import { GatewayConfig, HostConfig } from "./config/schema";

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

/** The managed gateway Service's port names (Service port names are IANA service names: at most 15 characters). */
export const servicePortNames = { http: "http2", https: "https" };

/** A host's VirtualService, in the Gateway's namespace. */
export function virtualServiceName(host: Pick<HostConfig, "name">): string {
    return host.name;
}

/** The Role and RoleBinding that let only the gateway's account read its secrets. */
export function secretReaderName(workloadName: string): string {
    return `${workloadName}-secret-reader`;
}

/** The sample backends' Deployment and Service names. */
export const sampleBackendNames = { httpbin: "httpbin", productpage: "productpage" };

/** A registered object's Pulumi name: kind, namespace and name (unique per stack, which the config check ensures). */
export function logicalName(obj: { kind: string; metadata: { name: string; namespace?: string } }, suffix = ""): string {
    return [obj.kind.toLowerCase(), obj.metadata.namespace, obj.metadata.name].filter(Boolean).join("-") + suffix;
}

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
        /** The CA an issuer outside the stack wrote beside a cert-manager certificate (the Secret's ca.crt). */
        issuerCa: `${hostName}/3_application/certs/issuer-ca.cert.pem`,
    };
}

/** A cert-manager host signed by the stack's own CA (no issuerRef): its root is in the stack outputs. */
export function isOwnCaCertManagerHost(host: Pick<HostConfig, "certificate" | "certManager">): boolean {
    return host.certificate === "cert-manager" && host.certManager?.issuerRef === undefined;
}

/** A cert-manager host whose issuer lives outside the stack (ACME, another team's ClusterIssuer). */
export function isExternalIssuerHost(host: Pick<HostConfig, "certificate" | "certManager">): boolean {
    return host.certificate === "cert-manager" && host.certManager?.issuerRef !== undefined;
}

/**
 * The file curl's --cacert reads to verify a host's server: the task's CA chain; for cert-manager from the stack's
 * CA, that CA's root (the gateway sends the intermediate); for an outside issuer, the CA it wrote into the Secret.
 */
export function serverCaFile(host: Pick<HostConfig, "host" | "certificate" | "certManager">): string {
    const f = certFiles(host.host);
    if (isOwnCaCertManagerHost(host)) {
        return f.rootCert;
    }
    return isExternalIssuerHost(host) ? f.issuerCa : f.caChain;
}

/** Label and annotation keys this product writes. */
export const annotations = {
    istioVersion: "secure-ingress.dev/istio-version",
    certsChecksum: "secure-ingress.dev/certs-checksum",
    skipAwait: "pulumi.com/skipAwait",
    waitFor: "pulumi.com/waitFor",
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
export function servingSecretName(c: { gateway: Pick<GatewayConfig, "secretDelivery">; hosts: HostConfig[] }, host: HostConfig): string {
    return c.gateway.secretDelivery === "mounted"
        ? mountedCertSecretName(
              c.hosts,
              c.hosts.findIndex((h) => h.name === host.name),
          )
        : credentialName(host);
}

/** Names of the Gateway API target's objects, after the Gateway's name. */
export function gatewayApiNames(gatewayName: string, gatewayClassName: string) {
    return {
        /** Istio's deployment controller names the Deployment, Service and ServiceAccount `<gateway>-<class>`. */
        workload: `${gatewayName}-${gatewayClassName}`,
        /** The HTTPRoute on the plain-HTTP listener that redirects to HTTPS. */
        redirectRoute: `${gatewayName}-https-redirect`,
        /** The ConfigMap (key `ca.crt`) the Gateway-level client validation references. */
        clientCaConfigMap: `${gatewayName}-client-ca`,
        /** The ReferenceGrant that lets the routes reach Services in another namespace. */
        backendGrant: `${gatewayName}-backends`,
    };
}

/** The key of a CA bundle in a ConfigMap the Gateway API references (its core support). */
export const configMapCaKey = "ca.crt";

/** Pods of a Gateway Istio deployed carry this label with the Gateway's name (Istio 1.24 and later). */
export const gatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

/** The listener option Istio reads for a listener's client-certificate mode. */
export const tlsTerminateModeOption = "gateway.istio.io/tls-terminate-mode";

/** The Gateway annotation that sets the type of the Service Istio deploys. */
export const serviceTypeAnnotation = "networking.istio.io/service-type";
