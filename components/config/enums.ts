// The modes of the config as as-const objects: TypeScript callers may write the plain strings ("MUTUAL") or the
// members (TlsMode.Mutual), and Pulumi's component schema analyzer turns each into an enum type.

/** Which Istio APIs the emitted objects use. */
export const ApiLevel = {
    /** `networking.istio.io/v1` and `security.istio.io/v1` (Istio 1.22 and later). */
    Current: "current",
    /** The task's `networking.istio.io/v1alpha3` objects and the `authentication.istio.io/v1alpha1` Policy. */
    Istio10: "istio-1.0",
} as const;
export type ApiLevel = (typeof ApiLevel)[keyof typeof ApiLevel];

/** The TLS mode of a host's server. */
export const TlsMode = {
    /** Server certificate only. */
    Simple: "SIMPLE",
    /** The client must present a certificate the host's CA chain verifies. */
    Mutual: "MUTUAL",
    /** A client certificate is verified when presented (Istio 1.19 and later). */
    OptionalMutual: "OPTIONAL_MUTUAL",
} as const;
export type TlsMode = (typeof TlsMode)[keyof typeof TlsMode];

/** Where a host's certificate comes from. */
export const CertificateSource = {
    /** Generated with @pulumi/tls: root CA, intermediate CA, server and client certificates. */
    Generated: "generated",
    /** PEMs given in `certificates.<name>`. */
    Provided: "provided",
    /** A cert-manager Certificate (settings in the host's `certManager`). */
    CertManager: "cert-manager",
} as const;
export type CertificateSource = (typeof CertificateSource)[keyof typeof CertificateSource];

/** How the gateway reads its certificates. */
export const SecretDelivery = {
    /** Secrets mounted as files into the gateway pod (the task's way). */
    Mounted: "mounted",
    /** `credentialName` Secrets that Istio serves over SDS. */
    Sds: "sds",
} as const;
export type SecretDelivery = (typeof SecretDelivery)[keyof typeof SecretDelivery];

/** What this component does with the gateway workload. */
export const WorkloadMode = {
    /** A Deployment, Service, ServiceAccount, Role and RoleBinding of its own. */
    Managed: "managed",
    /** A server-side-apply patch that adds the secret volumes to an existing Deployment. */
    Patch: "patch",
    /** Nothing (SDS delivery only). */
    None: "none",
} as const;
export type WorkloadMode = (typeof WorkloadMode)[keyof typeof WorkloadMode];

/** One CA per host, or one for all. */
export const CaMode = {
    /** A root and intermediate CA per host (the task's way). */
    PerHost: "per-host",
    /** One root and intermediate CA for every host. */
    Shared: "shared",
} as const;
export type CaMode = (typeof CaMode)[keyof typeof CaMode];

/** Key algorithm of every generated key. */
export const KeyAlgorithm = {
    EcdsaP256: "ECDSA-P256",
    EcdsaP384: "ECDSA-P384",
    Rsa2048: "RSA-2048",
    Rsa3072: "RSA-3072",
    Rsa4096: "RSA-4096",
} as const;
export type KeyAlgorithm = (typeof KeyAlgorithm)[keyof typeof KeyAlgorithm];

/** The lowest TLS version the gateway accepts. */
export const TlsVersion = {
    Tls12: "TLSV1_2",
    Tls13: "TLSV1_3",
} as const;
export type TlsVersion = (typeof TlsVersion)[keyof typeof TlsVersion];

/** Type of the managed gateway Service. */
export const ServiceType = {
    LoadBalancer: "LoadBalancer",
    NodePort: "NodePort",
    ClusterIP: "ClusterIP",
} as const;
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];

/** Signing algorithm of the self-contained JWT issuer. */
export const JwtAlgorithm = {
    /** RSA 2048 with SHA-256. */
    Rs256: "RS256",
    /** Ed25519. */
    EdDsa: "EdDSA",
} as const;
export type JwtAlgorithm = (typeof JwtAlgorithm)[keyof typeof JwtAlgorithm];

/** The kind of a cert-manager issuer reference. */
export const IssuerKind = {
    Issuer: "Issuer",
    ClusterIssuer: "ClusterIssuer",
} as const;
export type IssuerKind = (typeof IssuerKind)[keyof typeof IssuerKind];

/** Who signs server certificates from the stack's own CA. */
export const PkiIssuer = {
    /** @pulumi/tls, at `pulumi up`. */
    Tls: "tls",
    /** cert-manager in the cluster, from a CA Issuer holding the stack's intermediate. */
    CertManager: "cert-manager",
} as const;
export type PkiIssuer = (typeof PkiIssuer)[keyof typeof PkiIssuer];

/** cert-manager's private key rotation policy. */
export const KeyRotationPolicy = {
    /** A new key on every renewal. */
    Always: "Always",
    /** Keep the key. */
    Never: "Never",
} as const;
export type KeyRotationPolicy = (typeof KeyRotationPolicy)[keyof typeof KeyRotationPolicy];

/** Which API the ingress objects use. */
export const Target = {
    /** Istio's own `networking.istio.io` Gateway and VirtualServices. */
    Istio: "istio",
    /** The Kubernetes Gateway API (`gateway.networking.k8s.io`), served by Istio's gateway controller. */
    GatewayApi: "gateway-api",
} as const;
export type Target = (typeof Target)[keyof typeof Target];

/** The Gateway API CRD channel installed in the cluster. */
export const GatewayApiChannel = {
    /** `standard-install.yaml`: GA fields only; the API server drops experimental ones. */
    Standard: "standard",
    /** `experimental-install.yaml`: also the fields still in the experimental channel. */
    Experimental: "experimental",
} as const;
export type GatewayApiChannel = (typeof GatewayApiChannel)[keyof typeof GatewayApiChannel];

/** How a Gateway API listener verifies client certificates. */
export const ClientValidation = {
    /** Gateway-level `spec.tls.frontend` with a ConfigMap CA (Istio 1.28 and later). */
    Frontend: "frontend",
    /** `ca.crt` in the serving Secret plus the listener option `gateway.istio.io/tls-terminate-mode` (Istio 1.16 and later). */
    ListenerOption: "listener-option",
} as const;
export type ClientValidation = (typeof ClientValidation)[keyof typeof ClientValidation];

/** The values of an as-const enum object, as the tuple zod's `z.enum` takes. */
export function enumValues<T extends Record<string, string>>(e: T): [T[keyof T], ...T[keyof T][]] {
    return Object.values(e) as [T[keyof T], ...T[keyof T][]];
}
