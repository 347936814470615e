// The one typed schema of every stack config knob under the `secure-ingress:` namespace.
// Defaults live here and only here; `Pulumi.yaml` mirrors the scalar ones (a test keeps them equal).
import { z } from "zod";
import {
    ApiLevel,
    CaMode,
    CertificateSource,
    enumValues,
    IssuerKind,
    JwtAlgorithm,
    KeyAlgorithm,
    KeyRotationPolicy,
    PkiIssuer,
    SecretDelivery,
    ServiceType,
    TlsMode,
    TlsVersion,
    WorkloadMode,
} from "./enums";
import { hostNameProblem } from "./validateHosts";

/** A DNS name as Istio's Gateway and SNI accept it: lower-case labels, a wildcard only as the whole left-most label. */
const dnsName = z.string().superRefine((value, ctx) => {
    const problem = hostNameProblem(value);
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
    }
});

/** A DNS-1123 label: the form of Kubernetes object names built from it. */
const label = z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");

const k8sName = z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "must be a DNS-1123 label: lower-case letters, digits and '-'");

const port = z.number().int().min(1, "must be a port number from 1 to 65535").max(65535, "must be a port number from 1 to 65535");

export const apiLevels = enumValues(ApiLevel);
export const tlsModes = enumValues(TlsMode);
export const secretDeliveries = enumValues(SecretDelivery);
export const workloadModes = enumValues(WorkloadMode);
export const caModes = enumValues(CaMode);
export const keyAlgorithms = enumValues(KeyAlgorithm);
export const tlsVersions = enumValues(TlsVersion);
export const serviceTypes = enumValues(ServiceType);
export const certificateSources = enumValues(CertificateSource);
export const issuerKinds = enumValues(IssuerKind);
/** Who signs server certificates from the stack's own CA: @pulumi/tls at `pulumi up`, or cert-manager in the cluster. */
export const pkiIssuers = enumValues(PkiIssuer);
export const keyRotationPolicies = enumValues(KeyRotationPolicy);

const uriMatch = z
    .object({
        exact: z.string().startsWith("/", "must start with '/'").optional(),
        prefix: z.string().startsWith("/", "must start with '/'").optional(),
        regex: z.string().min(1).optional(),
    })
    .strict()
    .refine((m) => [m.exact, m.prefix, m.regex].filter((v) => v !== undefined).length === 1, {
        message: "give exactly one of exact, prefix or regex",
    });

const route = z
    .object({
        /** URI matches; a request matching any of them takes this route. */
        match: z.array(uriMatch).min(1, "needs at least one match (exact, prefix or regex)"),
        destination: z
            .object({
                host: z.string().min(1, "must name the destination service, e.g. httpbin"),
                port: port,
            })
            .strict(),
    })
    .strict();

/** A duration as cert-manager's Certificate takes it (Go's time.ParseDuration without sign or units below a second). */
const goDuration = z
    .string()
    .regex(/^([0-9]+(\.[0-9]+)?(h|m|s))+$/, "must be a duration in hours, minutes or seconds as cert-manager takes it, e.g. 2160h or 90m");

/** A host whose server certificate cert-manager issues and renews in the cluster. */
const certManagerSchema = z
    .object({
        /** The issuer to ask; absent means the stack's own CA (`pki.issuer: cert-manager`). */
        issuerRef: z
            .object({
                name: z
                    .string()
                    .max(253)
                    .regex(
                        /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
                        "must be a Kubernetes object name (lower-case letters, digits, '-' and '.')",
                    ),
                kind: z.enum(issuerKinds).default("Issuer"),
                group: z.string().min(1).default("cert-manager.io"),
            })
            .strict()
            .optional(),
        /** Certificate lifetime; absent means pki.validityHours.server. */
        duration: goDuration.optional(),
        /** Renew this long before expiry; absent means pki.earlyRenewalHours. */
        renewBefore: goDuration.optional(),
        privateKey: z
            .object({
                /** Absent means pki.keyAlgorithm. */
                algorithm: z.enum(keyAlgorithms).optional(),
                /** A new key on every renewal (cert-manager's default since 1.18). */
                rotationPolicy: z.enum(keyRotationPolicies).default("Always"),
            })
            .strict()
            .default({ rotationPolicy: "Always" }),
    })
    .strict();

/** What a `certificate: cert-manager` host without a `certManager` block gets. */
export const certManagerDefaults = certManagerSchema.parse({});

const hostSchema = z
    .object({
        /** Short name: port name `https-<name>`, secret and mount names. */
        name: label,
        /** The host name served by SNI on port 443 and routed by Host header. */
        host: dnsName,
        /** Istio TLS mode of this host's server. */
        tls: z.enum(tlsModes).default("SIMPLE"),
        /**
         * Where the server certificate comes from: generated with @pulumi/tls, PEMs in the secret `secure-ingress:certificates`
         * config, or a cert-manager Certificate (settings in `certManager`).
         */
        certificate: z.enum(certificateSources).default("generated"),
        /** cert-manager settings of a `certificate: cert-manager` host. */
        certManager: certManagerSchema.optional(),
        /** Route rules of this host's VirtualService. */
        routes: z.array(route).min(1, "needs at least one route rule"),
        /** The request the printed test commands send, and what it must return; derived from the routes when absent. */
        probe: z
            .object({
                path: z.string().startsWith("/", "must start with '/'"),
                status: z.number().int().min(100).max(599).default(200),
                bodyContains: z.string().min(1).optional(),
            })
            .strict()
            .optional(),
    })
    .strict();

const subjectSchema = z
    .object({
        country: z.string().length(2, "must be a two-letter country code").optional(),
        province: z.string().min(1).optional(),
        locality: z.string().min(1).optional(),
        organization: z.string().min(1).optional(),
        organizationalUnit: z.string().min(1).optional(),
    })
    .strict();

const hours = z.number().int().positive("must be a positive number of hours");

export const pkiSchema = z
    .object({
        caMode: z.enum(caModes).default("per-host"),
        issuer: z.enum(pkiIssuers).default("tls"),
        keyAlgorithm: z.enum(keyAlgorithms).default("ECDSA-P256"),
        validityHours: z
            .object({
                root: hours.default(87600),
                intermediate: hours.default(43800),
                server: hours.default(8760),
                client: hours.default(8760),
            })
            .strict()
            .default({ root: 87600, intermediate: 43800, server: 8760, client: 8760 }),
        earlyRenewalHours: z.number().int().min(0).default(720),
        subject: subjectSchema.default({}),
    })
    .strict();

export const gatewaySchema = z
    .object({
        name: k8sName.default("mygateway"),
        namespace: k8sName.default("default"),
        workloadNamespace: k8sName.default("istio-system"),
        workloadName: k8sName.default("istio-ingressgateway"),
        selector: z.record(z.string(), z.string()).default({ istio: "ingressgateway" }),
        workload: z.enum(workloadModes).default("patch"),
        secretDelivery: z.enum(secretDeliveries).default("mounted"),
        serviceType: z.enum(serviceTypes).default("LoadBalancer"),
        replicas: z.number().int().min(1).default(1),
        httpsPort: port.default(443),
        http: z
            .object({
                enabled: z.boolean().default(false),
                port: port.default(80),
                httpsRedirect: z.boolean().default(false),
            })
            .strict()
            .default({ enabled: false, port: 80, httpsRedirect: false }),
        minTlsVersion: z.enum(tlsVersions).default("TLSV1_2"),
    })
    .strict();

export const jwtSchema = z
    .object({
        enabled: z.boolean().default(false),
        issuer: z.string().min(1, "must name the token issuer (the `iss` claim)").optional(),
        jwksUri: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
        jwks: z.string().min(1).optional(),
        audiences: z.array(z.string().min(1)).default([]),
        /** Where a test token can be fetched (printed in the test commands), e.g. Istio's demo.jwt. */
        testTokenUrl: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
        /** Host names (the hosts[].name values) that require a token; empty means every host. */
        hosts: z.array(label).default([]),
        selfIssued: z
            .object({
                enabled: z.boolean().default(false),
                subject: z.string().min(1).default("test-user"),
                algorithm: z.enum(enumValues(JwtAlgorithm)).default("RS256"),
                tokenLifetimeHours: hours.default(8760),
            })
            .strict()
            .default({ enabled: false, subject: "test-user", algorithm: "RS256", tokenLifetimeHours: 8760 }),
    })
    .strict();

export const kubernetesSchema = z
    .object({
        kubeconfig: z.string().min(1).optional(),
        context: z.string().min(1).optional(),
        /** Render manifests here instead of applying them; the default when neither kubeconfig nor context is set. */
        renderDir: z.string().min(1).optional(),
        /** Skip Pulumi's readiness await (a control plane with no nodes). */
        skipAwait: z.boolean().default(false),
    })
    .strict();

export const backendsSchema = z
    .object({
        httpbin: z.boolean().default(false),
        productpage: z.boolean().default(false),
        namespace: k8sName.default("default"),
    })
    .strict();

export const providedCertificateSchema = z
    .object({
        certPem: z.string().min(1),
        keyPem: z.string().min(1),
        /** The chain that verifies client certificates (MUTUAL) and the server certificate. */
        caPem: z.string().min(1).optional(),
        clientCertPem: z.string().min(1).optional(),
        clientKeyPem: z.string().min(1).optional(),
    })
    .strict();

/** Every key under the `secure-ingress:` namespace. */
export const configSchema = z
    .object({
        apiLevel: z.enum(apiLevels).default("current"),
        istioVersion: z
            .string()
            .regex(/^\d+\.\d+$/, "must be an Istio major.minor version such as 1.26")
            .default("1.26"),
        hosts: z.array(hostSchema).min(1, "needs at least one host"),
        gateway: gatewaySchema.default(gatewaySchema.parse({})),
        pki: pkiSchema.default(pkiSchema.parse({})),
        jwt: jwtSchema.default(jwtSchema.parse({})),
        kubernetes: kubernetesSchema.default(kubernetesSchema.parse({})),
        backends: backendsSchema.default(backendsSchema.parse({})),
        /** Host name → PEMs, for hosts with `certificate: provided`. Set it with `pulumi config set --secret --path`. */
        certificates: z.record(z.string(), providedCertificateSchema).default({}),
    })
    .strict();

export type SecureIngressConfig = z.infer<typeof configSchema>;
/** The component's validated args, every default applied: the stack config without the program's cluster settings. */
export type ArgsConfig = Omit<SecureIngressConfig, "kubernetes"> & { skipAwait: boolean };
export type HostConfig = SecureIngressConfig["hosts"][number];
export type RouteConfig = HostConfig["routes"][number];
export type UriMatch = RouteConfig["match"][number];
export type PkiConfig = SecureIngressConfig["pki"];
export type GatewayConfig = SecureIngressConfig["gateway"];
export type JwtConfig = SecureIngressConfig["jwt"];
export type KubernetesConfig = SecureIngressConfig["kubernetes"];
export type BackendsConfig = SecureIngressConfig["backends"];
export type ProvidedCertificate = z.infer<typeof providedCertificateSchema>;
export type CertManagerConfig = z.infer<typeof certManagerSchema>;
export type IssuerRefConfig = NonNullable<CertManagerConfig["issuerRef"]>;
export type { ApiLevel, TlsMode, KeyAlgorithm };

/** The config keys this program reads, each a top-level key of the schema. */
export const configKeys = Object.keys(configSchema.shape) as (keyof SecureIngressConfig)[];
