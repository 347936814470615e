/**
 * Resources shaped like the secure-ingress task's YAML (and like what the program registers), as
 * `{type, name, urn, props}` records. Each builder returns a fresh object, so tests may mutate.
 */
import { PolicyResource } from "../rules";

export type Res = PolicyResource;

export const ISTIO_NS = "istio-system";

function urn(type: string, name: string): string {
    return `urn:pulumi:dev::secure-ingress::${type}::${name}`;
}

export function res(type: string, name: string, props: Record<string, unknown>): PolicyResource {
    return { type, name, urn: urn(type, name), props };
}

export function k8s(apiVersion: string, kind: string, name: string, props: Record<string, unknown>): PolicyResource {
    return res(`kubernetes:${apiVersion}:${kind}`, name, props);
}

const annotations = (version: string) => ({ "secure-ingress.dev/istio-version": version });

/** The task's multi-host Gateway (file-mounted certificates), `networking.istio.io/<version>`. */
export function mygateway(opts: { version?: string; namespace?: string; istio?: string } = {}): PolicyResource {
    return k8s(`networking.istio.io/${opts.version ?? "v1alpha3"}`, "Gateway", "mygateway", {
        metadata: { name: "mygateway", namespace: opts.namespace ?? "default", annotations: annotations(opts.istio ?? "1.22") },
        spec: {
            selector: { istio: "ingressgateway" },
            servers: [
                {
                    port: { number: 443, name: "https-httpbin", protocol: "HTTPS" },
                    tls: {
                        mode: "MUTUAL",
                        serverCertificate: "/etc/istio/ingressgateway-certs/tls.crt",
                        privateKey: "/etc/istio/ingressgateway-certs/tls.key",
                        caCertificates: "/etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem",
                        minProtocolVersion: "TLSV1_2",
                    },
                    hosts: ["httpbin.example.com"],
                },
                {
                    port: { number: 443, name: "https-bookinfo", protocol: "HTTPS" },
                    tls: {
                        mode: "SIMPLE",
                        serverCertificate: "/etc/istio/ingressgateway-bookinfo-certs/tls.crt",
                        privateKey: "/etc/istio/ingressgateway-bookinfo-certs/tls.key",
                        minProtocolVersion: "TLSV1_2",
                    },
                    hosts: ["bookinfo.com"],
                },
            ],
        },
    });
}

/** The same Gateway in SDS form: credentialName secrets in the workload namespace. */
export function mygatewaySds(): PolicyResource {
    return k8s("networking.istio.io/v1", "Gateway", "mygateway", {
        metadata: { name: "mygateway", namespace: "default", annotations: annotations("1.22") },
        spec: {
            selector: { istio: "ingressgateway" },
            servers: [
                {
                    port: { number: 443, name: "https-httpbin", protocol: "HTTPS" },
                    tls: { mode: "MUTUAL", credentialName: "httpbin-credential", minProtocolVersion: "TLSV1_2" },
                    hosts: ["httpbin.example.com"],
                },
                {
                    port: { number: 443, name: "https-bookinfo", protocol: "HTTPS" },
                    tls: { mode: "SIMPLE", credentialName: "bookinfo-credential", minProtocolVersion: "TLSV1_2" },
                    hosts: ["bookinfo.com"],
                },
            ],
        },
    });
}

export function virtualService(
    name: string,
    host: string,
    gateways: string[],
    opts: { namespace?: string; version?: string } = {},
): PolicyResource {
    return k8s(`networking.istio.io/${opts.version ?? "v1alpha3"}`, "VirtualService", name, {
        metadata: { name, namespace: opts.namespace ?? "default", annotations: annotations("1.22") },
        spec: {
            hosts: [host],
            gateways,
            http: [{ match: [{ uri: { prefix: "/status" } }], route: [{ destination: { host: "httpbin", port: { number: 8000 } } }] }],
        },
    });
}

export const httpbinVs = () => virtualService("httpbin", "httpbin.example.com", ["mygateway"]);
export const bookinfoVs = () => virtualService("bookinfo", "bookinfo.com", ["mygateway"]);

export function secret(
    name: string,
    data: Record<string, string>,
    opts: { namespace?: string; type?: string; plain?: boolean } = {},
): PolicyResource {
    return k8s("core/v1", "Secret", name, {
        metadata: { name, namespace: opts.namespace ?? ISTIO_NS },
        type: opts.type ?? "Opaque",
        [opts.plain ? "stringData" : "data"]: data,
    });
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The task's three mounted secrets. */
export function mountedSecrets(): PolicyResource[] {
    return [
        secret("istio-ingressgateway-certs", { "tls.crt": b64("cert"), "tls.key": b64("key") }, { type: "kubernetes.io/tls" }),
        secret("istio-ingressgateway-ca-certs", { "ca-chain.cert.pem": b64("ca") }),
        secret("istio-ingressgateway-bookinfo-certs", { "tls.crt": b64("cert"), "tls.key": b64("key") }, { type: "kubernetes.io/tls" }),
    ];
}

export function sdsSecrets(): PolicyResource[] {
    return [
        secret("httpbin-credential", { "tls.crt": "cert", "tls.key": "key", "ca.crt": "ca" }, { type: "kubernetes.io/tls", plain: true }),
        secret("bookinfo-credential", { "tls.crt": "cert", "tls.key": "key" }, { type: "kubernetes.io/tls", plain: true }),
    ];
}

/** The managed gateway Deployment, with the task's secretVolumes. */
export function gatewayDeployment(opts: { serviceAccount?: string; volumes?: boolean } = {}): PolicyResource {
    const vols =
        opts.volumes === false
            ? []
            : [
                  ["ingressgateway-certs", "istio-ingressgateway-certs", "/etc/istio/ingressgateway-certs"],
                  ["ingressgateway-ca-certs", "istio-ingressgateway-ca-certs", "/etc/istio/ingressgateway-ca-certs"],
                  ["ingressgateway-bookinfo-certs", "istio-ingressgateway-bookinfo-certs", "/etc/istio/ingressgateway-bookinfo-certs"],
              ];
    return k8s("apps/v1", "Deployment", "istio-ingressgateway", {
        metadata: { name: "istio-ingressgateway", namespace: ISTIO_NS },
        spec: {
            selector: { matchLabels: { istio: "ingressgateway" } },
            template: {
                metadata: {
                    labels: { istio: "ingressgateway", "sidecar.istio.io/inject": "true" },
                    annotations: { "inject.istio.io/templates": "gateway" },
                },
                spec: {
                    serviceAccountName: opts.serviceAccount ?? "istio-ingressgateway-service-account",
                    containers: [
                        {
                            name: "istio-proxy",
                            image: "auto",
                            volumeMounts: vols.map(([name, , mountPath]) => ({ name, mountPath, readOnly: true })),
                        },
                    ],
                    volumes: vols.map(([name, secretName]) => ({ name, secret: { secretName, optional: true } })),
                },
            },
        },
    });
}

/** `patch` mode: a server-side-apply patch of the existing istio-ingressgateway adding the bookinfo volume. */
export function gatewayPatch(): PolicyResource {
    return k8s("apps/v1", "DeploymentPatch", "istio-ingressgateway-volumes", {
        metadata: { name: "istio-ingressgateway", namespace: ISTIO_NS },
        spec: {
            template: {
                spec: {
                    containers: [
                        {
                            name: "istio-proxy",
                            volumeMounts: [
                                {
                                    name: "ingressgateway-bookinfo-certs",
                                    mountPath: "/etc/istio/ingressgateway-bookinfo-certs",
                                    readOnly: true,
                                },
                            ],
                        },
                    ],
                    volumes: [
                        {
                            name: "ingressgateway-bookinfo-certs",
                            secret: { secretName: "istio-ingressgateway-bookinfo-certs", optional: true },
                        },
                    ],
                },
            },
        },
    });
}

export function serviceAccount(name = "istio-ingressgateway-service-account"): PolicyResource {
    return k8s("core/v1", "ServiceAccount", name, { metadata: { name, namespace: ISTIO_NS } });
}

export function gatewayService(): PolicyResource {
    return k8s("core/v1", "Service", "istio-ingressgateway", {
        metadata: { name: "istio-ingressgateway", namespace: ISTIO_NS },
        spec: {
            type: "LoadBalancer",
            selector: { istio: "ingressgateway" },
            ports: [
                { name: "http2", port: 80, targetPort: 8080 },
                { name: "https", port: 443, targetPort: 8443 },
            ],
        },
    });
}

/** The Role/RoleBinding that lets only the gateway's account read its secrets. */
export function secretReaderRole(resourceNames?: string[]): PolicyResource {
    return k8s("rbac.authorization.k8s.io/v1", "Role", "istio-ingressgateway-sds", {
        metadata: { name: "istio-ingressgateway-sds", namespace: ISTIO_NS },
        rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "watch", "list"], ...(resourceNames ? { resourceNames } : {}) }],
    });
}

export function roleBinding(subjects: Record<string, unknown>[], name = "istio-ingressgateway-sds"): PolicyResource {
    return k8s("rbac.authorization.k8s.io/v1", "RoleBinding", name, {
        metadata: { name, namespace: ISTIO_NS },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "istio-ingressgateway-sds" },
        subjects,
    });
}

export const gatewaySubject = { kind: "ServiceAccount", name: "istio-ingressgateway-service-account", namespace: ISTIO_NS };

/** The ingress RequestAuthentication from istio.io's authn-policy task. */
export function requestAuthentication(
    jwksUri = "https://raw.githubusercontent.com/istio/istio/release-1.22/security/tools/jwt/samples/jwks.json",
): PolicyResource {
    return k8s("security.istio.io/v1", "RequestAuthentication", "ingressgateway", {
        metadata: { name: "ingressgateway", namespace: ISTIO_NS, annotations: annotations("1.22") },
        spec: {
            selector: { matchLabels: { istio: "ingressgateway" } },
            jwtRules: [{ issuer: "testing@secure.istio.io", jwksUri }],
        },
    });
}

export function authorizationPolicy(): PolicyResource {
    return k8s("security.istio.io/v1", "AuthorizationPolicy", "ingressgateway-require-jwt", {
        metadata: { name: "ingressgateway-require-jwt", namespace: ISTIO_NS, annotations: annotations("1.22") },
        spec: {
            selector: { matchLabels: { istio: "ingressgateway" } },
            action: "DENY",
            rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }],
        },
    });
}

/** The task's legacy JWT Policy, verbatim. */
export function legacyPolicy(
    istio = "1.0",
    jwksUri = "https://raw.githubusercontent.com/istio/istio/release-1.0/security/tools/jwt/samples/jwks.json",
): PolicyResource {
    return k8s("authentication.istio.io/v1alpha1", "Policy", "ingressgateway", {
        metadata: { name: "ingressgateway", namespace: ISTIO_NS, annotations: annotations(istio) },
        spec: {
            targets: [{ name: "istio-ingressgateway" }],
            origins: [{ jwt: { issuer: "testing@secure.istio.io", jwksUri } }],
            principalBinding: "USE_ORIGIN",
        },
    });
}

export function privateKey(name: string, props: Record<string, unknown> = { algorithm: "ECDSA", ecdsaCurve: "P256" }): PolicyResource {
    return res("tls:index/privateKey:PrivateKey", name, props);
}

export function selfSignedCert(name: string, props: Record<string, unknown>): PolicyResource {
    return res("tls:index/selfSignedCert:SelfSignedCert", name, { privateKeyPem: "[secret]", ...props });
}

export function locallySignedCert(name: string, props: Record<string, unknown>): PolicyResource {
    return res("tls:index/locallySignedCert:LocallySignedCert", name, {
        certRequestPem: "csr",
        caCertPem: "ca",
        caPrivateKeyPem: "[secret]",
        ...props,
    });
}

/** One host's PKI as the program builds it: root CA, intermediate CA, server and client leaves. */
export function pki(host = "httpbin"): PolicyResource[] {
    return [
        privateKey(`${host}-root-key`),
        privateKey(`${host}-server-key`, { algorithm: "RSA", rsaBits: 2048 }),
        selfSignedCert(`${host}-root`, { isCaCertificate: true, validityPeriodHours: 87600, allowedUses: ["cert_signing", "crl_signing"] }),
        locallySignedCert(`${host}-intermediate`, {
            isCaCertificate: true,
            validityPeriodHours: 43800,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        }),
        locallySignedCert(`${host}-server`, {
            isCaCertificate: false,
            validityPeriodHours: 8760,
            allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
        }),
        locallySignedCert(`${host}-client`, {
            isCaCertificate: false,
            validityPeriodHours: 8760,
            allowedUses: ["digital_signature", "client_auth"],
        }),
    ];
}

/** The dev stack: today's Istio, mounted secrets, managed workload, JWT on. */
export function goodMountedStack(): PolicyResource[] {
    return [
        ...pki("httpbin"),
        ...pki("bookinfo"),
        ...mountedSecrets(),
        serviceAccount(),
        gatewayDeployment(),
        gatewayService(),
        secretReaderRole(["istio-ingressgateway-certs", "istio-ingressgateway-ca-certs", "istio-ingressgateway-bookinfo-certs"]),
        roleBinding([gatewaySubject]),
        mygateway({ version: "v1" }),
        virtualService("httpbin", "httpbin.example.com", ["mygateway"], { version: "v1" }),
        virtualService("bookinfo", "bookinfo.com", ["mygateway"], { version: "v1" }),
        requestAuthentication(),
        authorizationPolicy(),
    ];
}

/** The sds stack: credentialName secrets, no workload changes. */
export function goodSdsStack(): PolicyResource[] {
    return [...pki("httpbin"), ...sdsSecrets(), mygatewaySds(), httpbinVs(), bookinfoVs(), requestAuthentication()];
}

/**
 * The legacy stack: the task's Istio 1.0 objects (the gateway Deployment stays outside the stack; a
 * DeploymentPatch adds the bookinfo volume to the chart's default certs/ca-certs mounts).
 */
export function goodLegacyStack(): PolicyResource[] {
    const gw = mygateway({ istio: "1.0" });
    // Istio 1.0's Gateway has no minProtocolVersion (istio/api#645 added it in 1.1).
    serversOf(gw).forEach((s: any) => delete s.tls.minProtocolVersion);
    return [...pki("httpbin"), ...mountedSecrets(), gatewayPatch(), gw, httpbinVs(), bookinfoVs(), legacyPolicy("1.0")];
}

import { plainResources, ruleConfig, rules, runRule } from "../rules";

/** Messages one rule reports over the resources (config: the rule's own properties). */
export function messages(ruleName: string, resources: PolicyResource[], config: Record<string, unknown> = {}): string[] {
    const rule = rules.find((r) => r.name === ruleName);
    if (!rule) {
        throw new Error(`no rule ${ruleName}`);
    }
    return runRule(rule, plainResources(resources), ruleConfig(rule, config)).map((f) => f.message);
}

/** `servers[i].tls` of a Gateway fixture, for in-place edits. */
export function tlsOf(gw: PolicyResource, i: number): Record<string, any> {
    return (gw.props.spec as any).servers[i].tls;
}

export function serversOf(gw: PolicyResource): any[] {
    return (gw.props.spec as any).servers;
}
