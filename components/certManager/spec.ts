// Pure builders of the cert-manager objects: a Certificate per cert-manager host, the stack's CA Issuer(s) with
// their key-pair Secret. (The `-cacert` Secret of a mutual host is with the other Secrets the gateway reads.)
import * as pulumi from "@pulumi/pulumi";
import { HostConfig, KeyAlgorithm } from "../config/schema";
import { annotations, caIssuerName, caIssuerSecretName, servingSecretName } from "../naming";
import { CertificateManifest, CertManagerIssuerManifest, CertManagerPrivateKey, SecretManifest } from "../kubernetes/objects";
import { CertManagerSlice, certManagerHosts, certManagerSettings, ownCaHosts } from "./settings";

export const certManagerApiVersion = "cert-manager.io/v1";

export function certManagerPrivateKey(alg: KeyAlgorithm, rotationPolicy: "Always" | "Never"): CertManagerPrivateKey {
    const [family, size] = alg.split("-");
    return { algorithm: family as "RSA" | "ECDSA", size: Number(size.replace(/^P/, "")), rotationPolicy };
}

/** cert-manager's usage names; keyEncipherment only for RSA key transport, as the generated leaves do. */
export function certManagerUsages(alg: KeyAlgorithm): string[] {
    return alg.startsWith("RSA") ? ["server auth", "digital signature", "key encipherment"] : ["server auth", "digital signature"];
}

/** The subject fields cert-manager takes as lists, from the stack's pki.subject. */
function certificateSubject(c: CertManagerSlice): Record<string, pulumi.Input<string>[]> | undefined {
    const s = c.pki.subject;
    const fields: [string, pulumi.Input<string> | undefined][] = [
        ["countries", s.country],
        ["provinces", s.province],
        ["localities", s.locality],
        ["organizations", s.organization],
        ["organizationalUnits", s.organizationalUnit],
    ];
    const out = Object.fromEntries(fields.filter(([, v]) => v !== undefined).map(([k, v]) => [k, [v as pulumi.Input<string>]]));
    return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The host's Certificate, named like the Secret it writes (as cert-manager's own Gateway shim names them), in the
 * gateway workload's namespace where Istio reads the Secret. `pulumi up` waits for it to be Ready (the provider's
 * `pulumi.com/waitFor`), so an issuer that cannot issue fails the update instead of leaving the host without a
 * certificate; kubernetes.skipAwait turns the wait off.
 */
export function certificateObject(c: CertManagerSlice & { skipAwait: boolean }, host: HostConfig): CertificateManifest {
    const s = certManagerSettings(c, host);
    const secretName = servingSecretName(c, host);
    const subject = certificateSubject(c);
    return {
        apiVersion: certManagerApiVersion,
        kind: "Certificate",
        metadata: {
            name: secretName,
            namespace: c.gateway.workloadNamespace,
            ...(c.skipAwait ? {} : { annotations: { [annotations.waitFor]: "condition=Ready" } }),
        },
        spec: {
            secretName,
            dnsNames: [host.host],
            // The task's server certificates carry CN=<host>; cert-manager copies it into the subject.
            commonName: host.host,
            ...(subject ? { subject } : {}),
            duration: s.duration,
            renewBefore: s.renewBefore,
            usages: certManagerUsages(s.keyAlgorithm),
            privateKey: certManagerPrivateKey(s.keyAlgorithm, s.rotationPolicy),
            issuerRef: { ...s.issuerRef },
        },
    };
}

/** The CA one of the stack's Issuers signs with: the @pulumi/tls intermediate, and the root above it. */
export interface IssuerCa {
    intermediateCertPem: pulumi.Input<string>;
    intermediateKeyPem: pulumi.Input<string>;
    rootCertPem: pulumi.Input<string>;
}

export interface CaIssuerPlan {
    /** The Issuer's name. */
    name: string;
    /** The host whose CA it is (caMode per-host), or undefined for the shared CA. */
    host?: HostConfig;
    /** Hosts whose Certificates name it. */
    hosts: HostConfig[];
}

/** Which CA Issuers the stack needs: one per own-CA host, or one shared by them all. */
export function caIssuerPlans(c: CertManagerSlice): CaIssuerPlan[] {
    const hosts = ownCaHosts(c);
    if (hosts.length === 0) {
        return [];
    }
    if (c.pki.caMode === "shared") {
        return [{ name: caIssuerName(undefined), hosts }];
    }
    return hosts.map((h) => ({ name: caIssuerName(h), host: h, hosts: [h] }));
}

/**
 * A CA Issuer and its key-pair Secret. tls.crt is the intermediate alone, ca.crt the root: cert-manager then writes
 * leaf + intermediate to the issued tls.crt and the root to its ca.crt (pkg/util/kube SecretTLSKeyPairAndCA).
 */
export function caIssuerObjects(c: CertManagerSlice, plan: CaIssuerPlan, ca: IssuerCa): [SecretManifest, CertManagerIssuerManifest] {
    const namespace = c.gateway.workloadNamespace;
    const secretName = caIssuerSecretName(plan.name);
    return [
        {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: secretName, namespace },
            type: "kubernetes.io/tls",
            stringData: { "tls.crt": ca.intermediateCertPem, "tls.key": ca.intermediateKeyPem, "ca.crt": ca.rootCertPem },
        },
        {
            apiVersion: certManagerApiVersion,
            kind: "Issuer",
            metadata: { name: plan.name, namespace },
            spec: { ca: { secretName } },
        },
    ];
}

/** Every Certificate of the stack. */
export function certificateObjects(c: CertManagerSlice & { skipAwait: boolean }): CertificateManifest[] {
    return certManagerHosts(c).map((h) => certificateObject(c, h));
}
