// The args of `new SecureIngress(name, args, opts)`: only `hosts` is required. Every default lives in the zod schema
// (config/schema.ts); the `@default` tags here document it and a test keeps both, and the field types, in step.
// Fields that decide which resources exist are plain values; leaves that decide nothing structural take Inputs.
import * as pulumi from "@pulumi/pulumi";
import {
    ApiLevel,
    CaMode,
    CertificateSource,
    ClientValidation,
    GatewayApiChannel,
    IssuerKind,
    JwtAlgorithm,
    KeyAlgorithm,
    KeyRotationPolicy,
    PkiIssuer,
    SecretDelivery,
    ServiceType,
    Target,
    TlsMode,
    TlsVersion,
    WorkloadMode,
} from "./config/enums";

/** A URI match of a route: exactly one of `exact`, `prefix` or `regex`. */
export interface UriMatchArgs {
    /**
     * The path equals this (starts with `/`).
     * @default undefined
     */
    exact?: string;
    /**
     * The path starts with this (starts with `/`).
     * @default undefined
     */
    prefix?: string;
    /**
     * The path matches this RE2 regular expression.
     * @default undefined
     */
    regex?: string;
}

/** The Service a route sends to. */
export interface RouteDestinationArgs {
    /** The Service name (or FQDN), e.g. `httpbin`. */
    host: string;
    /** The Service port. */
    port: number;
}

/** One HTTP route rule of a host's VirtualService. */
export interface RouteArgs {
    /** URI matches; a request matching any of them takes this route. */
    match: UriMatchArgs[];
    /** Where matching requests go. */
    destination: RouteDestinationArgs;
}

/** The request the printed test commands send to a host, and what it must return. */
export interface ProbeArgs {
    /** Request path (starts with `/`). */
    path: string;
    /**
     * Expected HTTP status.
     * @default 200
     */
    status?: number;
    /**
     * A string the response body must contain.
     * @default undefined
     */
    bodyContains?: string;
}

/** The cert-manager issuer a host's Certificate names. */
export interface IssuerRefArgs {
    /** The issuer's name. */
    name: string;
    /**
     * `Issuer` (in the gateway workload's namespace) or `ClusterIssuer`.
     * @default "Issuer"
     */
    kind?: IssuerKind;
    /**
     * The issuer's API group.
     * @default "cert-manager.io"
     */
    group?: string;
}

/** The private key cert-manager generates for a host. */
export interface CertManagerPrivateKeyArgs {
    /**
     * Key algorithm; absent means pki.keyAlgorithm.
     * @default undefined
     */
    algorithm?: KeyAlgorithm;
    /**
     * A new key on every renewal (`Always`), or keep it.
     * @default "Always"
     */
    rotationPolicy?: KeyRotationPolicy;
}

/** cert-manager settings of a `certificate: cert-manager` host. */
export interface CertManagerArgs {
    /**
     * The issuer to ask; absent means the stack's own CA (`pki.issuer: cert-manager`).
     * @default undefined
     */
    issuerRef?: IssuerRefArgs;
    /**
     * Certificate lifetime as cert-manager takes it (e.g. `2160h`); absent means pki.validityHours.server.
     * @default undefined
     */
    duration?: string;
    /**
     * Renew this long before expiry (e.g. `360h`); absent means pki.earlyRenewalHours.
     * @default undefined
     */
    renewBefore?: string;
    /**
     * The private key.
     * @default {"rotationPolicy":"Always"}
     */
    privateKey?: CertManagerPrivateKeyArgs;
}

/** One host served on the HTTPS port, told apart by SNI. */
export interface HostArgs {
    /** Short name (a DNS-1123 label): port `https-<name>`, Secret and mount names, the key of `certificates`. */
    name: string;
    /** The DNS name served by SNI and routed by Host header, e.g. `httpbin.example.com`. */
    host: string;
    /**
     * TLS mode of this host's server.
     * @default "SIMPLE"
     */
    tls?: TlsMode;
    /**
     * Where the certificate comes from: generated with `@pulumi/tls`, PEMs in `certificates.<name>`, or cert-manager.
     * @default "generated"
     */
    certificate?: CertificateSource;
    /**
     * cert-manager settings of a `certificate: cert-manager` host.
     * @default undefined
     */
    certManager?: CertManagerArgs;
    /** Route rules of this host's VirtualService (at least one). */
    routes: RouteArgs[];
    /**
     * The request the printed test commands send; derived from the routes when absent.
     * @default undefined
     */
    probe?: ProbeArgs;
}

/** The gateway's plain-HTTP server. */
export interface GatewayHttpArgs {
    /**
     * Add a plain-HTTP server for every host.
     * @default false
     */
    enabled?: boolean;
    /**
     * Its port.
     * @default 80
     */
    port?: number;
    /**
     * Answer every plain-HTTP request with a redirect to HTTPS.
     * @default false
     */
    httpsRedirect?: boolean;
}

/** The Gateway and the gateway workload. */
export interface GatewayArgs {
    /**
     * Name of the Gateway (and the prefix of the JWT objects).
     * @default "mygateway"
     */
    name?: string;
    /**
     * Namespace of the Gateway and the VirtualServices.
     * @default "default"
     */
    namespace?: string;
    /**
     * Namespace of the gateway workload; the Secrets go there, because Istio reads them there.
     * @default "istio-system"
     */
    workloadNamespace?: string;
    /**
     * Name of the gateway Deployment (patched or managed) and of its Service and ServiceAccount.
     * @default "istio-ingressgateway"
     */
    workloadName?: string;
    /**
     * Labels that select the gateway pods (Gateway selector, workload labels, JWT policy selectors).
     * @default {"istio":"ingressgateway"}
     */
    selector?: Record<string, pulumi.Input<string>>;
    /**
     * `managed` (own Deployment, Service, ServiceAccount, RBAC), `patch` (add volumes to an existing Deployment) or `none`.
     * @default "patch"
     */
    workload?: WorkloadMode;
    /**
     * `mounted` (the task's secret volumes) or `sds` (`credentialName` Secrets).
     * @default "mounted"
     */
    secretDelivery?: SecretDelivery;
    /**
     * Type of the managed gateway Service.
     * @default "LoadBalancer"
     */
    serviceType?: ServiceType;
    /**
     * Replicas of the managed gateway Deployment.
     * @default 1
     */
    replicas?: number;
    /**
     * The port of every HTTPS server.
     * @default 443
     */
    httpsPort?: number;
    /**
     * The optional plain-HTTP server.
     * @default {"enabled":false,"port":80,"httpsRedirect":false}
     */
    http?: GatewayHttpArgs;
    /**
     * `minProtocolVersion` of every HTTPS server (apiLevel `current`).
     * @default "TLSV1_2"
     */
    minTlsVersion?: TlsVersion;
}

/** Settings of `target: gateway-api`. */
export interface GatewayApiArgs {
    /**
     * The GatewayClass of the Gateway; Istio's deployment controller serves `istio` and names the workload `<gateway>-<class>`.
     * @default "istio"
     */
    gatewayClassName?: string;
    /**
     * The Gateway API CRD channel the cluster has installed (`standard` or `experimental`).
     * @default "standard"
     */
    channel?: GatewayApiChannel;
    /**
     * How mutual-TLS listeners verify client certificates: `frontend` (Gateway `spec.tls.frontend`, Istio 1.28+) or
     * `listener-option` (`ca.crt` in the serving Secret and `gateway.istio.io/tls-terminate-mode`); absent means chosen
     * from istioVersion.
     * @default undefined
     */
    clientValidation?: ClientValidation;
}

/** Validity of each tier of generated certificates, in hours. */
export interface ValidityHoursArgs {
    /**
     * Root CA.
     * @default 87600
     */
    root?: number;
    /**
     * Intermediate CA.
     * @default 43800
     */
    intermediate?: number;
    /**
     * Server certificates.
     * @default 8760
     */
    server?: number;
    /**
     * Client certificates.
     * @default 8760
     */
    client?: number;
}

/** Subject fields of generated certificates (CA subjects omit the locality, as the task's issuer line does). */
export interface SubjectArgs {
    /**
     * Two-letter country code (C).
     * @default undefined
     */
    country?: pulumi.Input<string>;
    /**
     * State or province (ST).
     * @default undefined
     */
    province?: pulumi.Input<string>;
    /**
     * Locality (L).
     * @default undefined
     */
    locality?: pulumi.Input<string>;
    /**
     * Organization (O).
     * @default undefined
     */
    organization?: pulumi.Input<string>;
    /**
     * Organizational unit (OU).
     * @default undefined
     */
    organizationalUnit?: pulumi.Input<string>;
}

/** The generated certificates. */
export interface PkiArgs {
    /**
     * `per-host` (a root and intermediate CA per host, the task's way) or `shared`.
     * @default "per-host"
     */
    caMode?: CaMode;
    /**
     * Who signs server certificates from the stack's own CA: `tls` (`@pulumi/tls`) or `cert-manager` (a CA Issuer).
     * @default "tls"
     */
    issuer?: PkiIssuer;
    /**
     * Key algorithm of every generated key (never the provider's P-224 default).
     * @default "ECDSA-P256"
     */
    keyAlgorithm?: KeyAlgorithm;
    /**
     * Validity per tier, in hours.
     * @default {"root":87600,"intermediate":43800,"server":8760,"client":8760}
     */
    validityHours?: ValidityHoursArgs;
    /**
     * Server and client certificates are replaced this many hours before they expire.
     * @default 720
     */
    earlyRenewalHours?: number;
    /**
     * Subject of every generated certificate.
     * @default {}
     */
    subject?: SubjectArgs;
}

/** The self-contained JWT issuer: signing key in state, JWKS inline, a test token as an output. */
export interface SelfIssuedArgs {
    /**
     * Use it as the key source.
     * @default false
     */
    enabled?: boolean;
    /**
     * The test token's `sub` claim.
     * @default "test-user"
     */
    subject?: string;
    /**
     * Signing algorithm.
     * @default "RS256"
     */
    algorithm?: JwtAlgorithm;
    /**
     * Lifetime of the test token.
     * @default 8760
     */
    tokenLifetimeHours?: number;
}

/** End-user authentication with JWT. */
export interface JwtArgs {
    /**
     * Require a valid token (from one key source: `jwksUri`, `jwks` or `selfIssued`).
     * @default false
     */
    enabled?: boolean;
    /**
     * The token issuer (the `iss` claim); required when enabled.
     * @default undefined
     */
    issuer?: pulumi.Input<string>;
    /**
     * An https:// URL of the issuer's JWKS.
     * @default undefined
     */
    jwksUri?: string;
    /**
     * An inline JSON Web Key Set.
     * @default undefined
     */
    jwks?: pulumi.Input<string>;
    /**
     * Allowed audiences (the `aud` claim); empty allows any.
     * @default []
     */
    audiences?: pulumi.Input<string>[];
    /**
     * An https:// URL a test token can be fetched from (printed in the commands).
     * @default undefined
     */
    testTokenUrl?: string;
    /**
     * Names (`hosts[].name`) of the hosts that require a token; empty means every host.
     * @default []
     */
    hosts?: string[];
    /**
     * The self-contained issuer.
     * @default {"enabled":false,"subject":"test-user","algorithm":"RS256","tokenLifetimeHours":8760}
     */
    selfIssued?: SelfIssuedArgs;
}

/** Sample backends, so a cluster with Istio needs nothing else. */
export interface BackendsArgs {
    /**
     * Deploy httpbin (Deployment and Service `httpbin`, port 8000).
     * @default false
     */
    httpbin?: boolean;
    /**
     * Deploy Bookinfo's productpage (port 9080).
     * @default false
     */
    productpage?: boolean;
    /**
     * Their namespace.
     * @default "default"
     */
    namespace?: string;
}

/** PEMs of a host with `certificate: provided` (key material is always stored as a secret). */
export interface ProvidedCertificateArgs {
    /** The server certificate (its chain may follow). */
    certPem: pulumi.Input<string>;
    /** The server certificate's private key. */
    keyPem: pulumi.Input<string>;
    /**
     * The chain that verifies client certificates (required for MUTUAL and OPTIONAL_MUTUAL).
     * @default undefined
     */
    caPem?: pulumi.Input<string>;
    /**
     * A client certificate for the printed mutual-TLS test commands.
     * @default undefined
     */
    clientCertPem?: pulumi.Input<string>;
    /**
     * Its private key.
     * @default undefined
     */
    clientKeyPem?: pulumi.Input<string>;
}

/** Everything of Istio's "Securing Gateways with HTTPS" task for a set of hosts. */
export interface SecureIngressArgs {
    /**
     * The API of the ingress objects: `istio` (Gateway and VirtualServices) or `gateway-api` (Gateway and HTTPRoutes).
     * @default "istio"
     */
    target?: Target;
    /**
     * Which Istio APIs the objects use: `current` (Istio 1.22+) or `istio-1.0` (the task's own objects).
     * @default "current"
     */
    apiLevel?: ApiLevel;
    /**
     * Target Istio `major.minor`: gates OPTIONAL_MUTUAL (1.19+) and is stamped on Istio objects for the policy pack.
     * @default "1.26"
     */
    istioVersion?: string;
    /** The hosts, each its own HTTPS server on the Gateway and its own VirtualService (at least one). */
    hosts: HostArgs[];
    /**
     * The Gateway and its workload.
     * @default {} (every field at its own default)
     */
    gateway?: GatewayArgs;
    /**
     * Settings of `target: gateway-api`.
     * @default {"gatewayClassName":"istio","channel":"standard"}
     */
    gatewayApi?: GatewayApiArgs;
    /**
     * The generated certificates.
     * @default {} (every field at its own default)
     */
    pki?: PkiArgs;
    /**
     * End-user JWT authentication.
     * @default {} (every field at its own default)
     */
    jwt?: JwtArgs;
    /**
     * Sample backends.
     * @default {"httpbin":false,"productpage":false,"namespace":"default"}
     */
    backends?: BackendsArgs;
    /**
     * Host name (`hosts[].name`) to PEMs, for hosts with `certificate: provided`.
     * @default {}
     */
    certificates?: Record<string, ProvidedCertificateArgs>;
    /**
     * Put `pulumi.com/skipAwait` on the workloads, so `pulumi up` does not wait for pods (a control plane with no nodes),
     * and do not wait for cert-manager Certificates to become Ready.
     * @default false
     */
    skipAwait?: boolean;
}
