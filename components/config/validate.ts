// Checks that span several keys, run after the schema has accepted each field on its own.
import { SecureIngressConfig, HostConfig } from "./schema";
import { certManagerProblems } from "./validateCertManager";
import { nameProblems } from "./validateNames";
import { limitProblems } from "./validateLimits";
import { localProblems } from "./validateLocal";
import { providedPemProblems } from "./validatePem";

export interface SemanticProblem {
    path: string;
    value: unknown;
    message: string;
}

const needsCa = (h: HostConfig) => h.tls === "MUTUAL" || h.tls === "OPTIONAL_MUTUAL";

function versionAtLeast(version: string, major: number, minor: number): boolean {
    const [ma, mi] = version.split(".").map(Number);
    return ma > major || (ma === major && mi >= minor);
}

function duplicates<T>(items: T[], key: (t: T) => string): Map<string, number[]> {
    const seen = new Map<string, number[]>();
    items.forEach((item, i) => seen.set(key(item), [...(seen.get(key(item)) ?? []), i]));
    return new Map([...seen].filter(([, idx]) => idx.length > 1));
}

export function semanticProblems(c: SecureIngressConfig): SemanticProblem[] {
    const first = [
        ...hostProblems(c),
        ...gatewayProblems(c),
        ...jwtProblems(c),
        ...kubernetesProblems(c),
        ...certificateProblems(c),
        ...certManagerProblems(c),
    ];
    // A key already refused (e.g. a duplicate host name) would only repeat as a derived-name collision.
    const taken = new Set(first.map((p) => p.path));
    const derived = [...nameProblems(c), ...limitProblems(c), ...localProblems(c)].filter((p) => !taken.has(p.path));
    return [...first, ...derived];
}

function hostProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    for (const [name, idx] of duplicates(c.hosts, (h) => h.name)) {
        for (const i of idx.slice(1)) {
            out.push({
                path: `hosts[${i}].name`,
                value: name,
                message: `duplicates hosts[${idx[0]}].name: the port name https-${name} must be unique in the Gateway; give each host its own name`,
            });
        }
    }
    for (const [host, idx] of duplicates(c.hosts, (h) => h.host)) {
        for (const i of idx.slice(1)) {
            out.push({
                path: `hosts[${i}].host`,
                value: host,
                message: `duplicates hosts[${idx[0]}].host: one server per host on port ${c.gateway.httpsPort}; merge the routes into one host entry`,
            });
        }
    }
    // User-chosen names are keys: own properties only (a host named "constructor" finds no inherited entry).
    const provided = (name: string) => (Object.hasOwn(c.certificates, name) ? c.certificates[name] : undefined);
    c.hosts.forEach((h, i) => {
        if (h.tls === "OPTIONAL_MUTUAL" && (c.apiLevel === "istio-1.0" || !versionAtLeast(c.istioVersion, 1, 19))) {
            out.push({
                path: `hosts[${i}].tls`,
                value: h.tls,
                message: `needs Istio 1.19 or later with apiLevel current; use MUTUAL, or set istioVersion to 1.19+`,
            });
        }
        if (h.certificate === "provided" && !provided(h.name)) {
            out.push({
                path: `certificates.${h.name}`,
                value: undefined,
                message: `is missing: hosts[${i}] (${h.host}) has certificate: provided; set it with pulumi config set --secret --path 'certificates.${h.name}.certPem' (and keyPem, caPem)`,
            });
        }
        if (h.certificate === "provided" && needsCa(h) && provided(h.name) && !provided(h.name)?.caPem) {
            out.push({
                path: `certificates.${h.name}.caPem`,
                value: undefined,
                message: `is missing: hosts[${i}] uses ${h.tls} TLS, which needs the CA chain that verifies client certificates`,
            });
        }
    });
    return out;
}

function gatewayProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const g = c.gateway;
    if (g.http.httpsRedirect && !g.http.enabled) {
        out.push({
            path: "gateway.http.httpsRedirect",
            value: true,
            message: "needs gateway.http.enabled: true (the redirect is served by the plain-HTTP server)",
        });
    }
    if (g.http.enabled && g.http.port === g.httpsPort) {
        out.push({
            path: "gateway.http.port",
            value: g.http.port,
            message: `equals gateway.httpsPort; plain HTTP and HTTPS need different ports (e.g. 80 and 443)`,
        });
    }
    if (g.secretDelivery === "sds" && c.apiLevel === "istio-1.0") {
        out.push({
            path: "gateway.secretDelivery",
            value: g.secretDelivery,
            message: "sds (credentialName) does not exist in Istio 1.0; use mounted with apiLevel istio-1.0, or apiLevel current",
        });
    }
    if (g.secretDelivery === "mounted" && g.workload === "none") {
        out.push({
            path: "gateway.workload",
            value: g.workload,
            message:
                "mounted secrets need a gateway workload to mount them; use patch (an existing istio-ingressgateway) or managed, or secretDelivery sds",
        });
    }
    if (Object.keys(g.selector).length === 0) {
        out.push({ path: "gateway.selector", value: g.selector, message: "must select the gateway pods, e.g. {istio: ingressgateway}" });
    }
    if (c.pki.earlyRenewalHours >= Math.min(c.pki.validityHours.server, c.pki.validityHours.client)) {
        out.push({
            path: "pki.earlyRenewalHours",
            value: c.pki.earlyRenewalHours,
            message: "must be shorter than pki.validityHours.server and .client, or every run would renew the certificates",
        });
    }
    return out;
}

function jwtProblems(c: SecureIngressConfig): SemanticProblem[] {
    const j = c.jwt;
    if (!j.enabled) {
        return [];
    }
    const out: SemanticProblem[] = [];
    if (!j.issuer) {
        out.push({ path: "jwt.issuer", value: undefined, message: "is required when jwt.enabled is true (e.g. testing@secure.istio.io)" });
    }
    const sources = [j.jwksUri && "jwksUri", j.jwks && "jwks", j.selfIssued.enabled && "selfIssued"].filter(Boolean);
    if (sources.length !== 1) {
        out.push({
            path: "jwt",
            value: sources,
            message: "needs exactly one key source: jwksUri (https), jwks (inline JSON) or selfIssued.enabled",
        });
    }
    if (j.jwks) {
        try {
            const parsed = JSON.parse(j.jwks);
            if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) {
                throw new Error("no keys");
            }
        } catch {
            // Never quoted: a pasted private JWK would be printed.
            out.push({ path: "jwt.jwks", value: "(JWKS)", message: 'must be a JSON Web Key Set: {"keys": [...]} with at least one key' });
        }
    }
    const names = new Set(c.hosts.map((h) => h.name));
    j.hosts.forEach((n, i) => {
        if (!names.has(n)) {
            out.push({ path: `jwt.hosts[${i}]`, value: n, message: `names no host; use one of ${[...names].join(", ")}` });
        }
    });
    if (c.apiLevel === "istio-1.0" && j.hosts.length > 0 && j.hosts.length < c.hosts.length) {
        out.push({
            path: "jwt.hosts",
            value: j.hosts,
            message: "the istio-1.0 Policy applies to every host of the gateway service; remove jwt.hosts or use apiLevel current",
        });
    }
    if (c.apiLevel === "istio-1.0" && j.selfIssued.enabled && j.selfIssued.algorithm === "EdDSA") {
        out.push({ path: "jwt.selfIssued.algorithm", value: "EdDSA", message: "Istio 1.0's Envoy verifies RS256 only; use RS256" });
    }
    return out;
}

function kubernetesProblems(c: SecureIngressConfig): SemanticProblem[] {
    const k = c.kubernetes;
    if (k.renderDir && (k.kubeconfig || k.context)) {
        return [
            {
                path: "kubernetes.renderDir",
                value: k.renderDir,
                message: "renders manifests instead of applying them; set either renderDir or kubeconfig/context, not both",
            },
        ];
    }
    return [];
}

function certificateProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const byName = new Map(c.hosts.map((h) => [h.name, h]));
    for (const [name, pems] of Object.entries(c.certificates)) {
        const host = byName.get(name);
        if (!host) {
            out.push({
                path: `certificates.${name}`,
                value: "(PEMs)",
                message: `names no host; use one of ${[...byName.keys()].join(", ")}`,
            });
            continue;
        }
        if (host.certificate !== "provided") {
            out.push({
                path: `certificates.${name}`,
                value: "(PEMs)",
                message: `is ignored: hosts entry '${name}' has certificate: ${host.certificate}; set certificate: provided or remove it`,
            });
            continue;
        }
        out.push(...providedPemProblems(name, host.host, pems));
    }
    return out;
}
