import { PolicyResource } from "./types";

/**
 * The value a property has while it is unknown (preview). It is the Pulumi engine's own sentinel for
 * an unknown string (the same one Pulumi mocks pass for unknown inputs); `toPlain` maps every other
 * unknown sentinel (number, bool, array, object, asset, archive) to it. Rules treat it as "present but
 * not known": they never report on an unknown value.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const UNKNOWN_SENTINELS = new Set<string>([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    UNKNOWN, // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/**
 * Deep-copies resource properties into plain JSON-like data: unwraps CrossGuard's unknown-checking
 * proxy (so reading an unknown never throws), unwraps secrets, and normalises unknown sentinels to
 * `UNKNOWN`.
 */
export function toPlain(value: unknown): unknown {
    if (value === null || value === undefined) {
        return value;
    }
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (typeof value !== "object") {
        return value;
    }
    let raw: unknown = value;
    const target = (value as Record<string, unknown>)["__getSpecialProxyTarget"];
    if (target !== undefined && target !== null && typeof target === "object") {
        raw = target;
    }
    if (Array.isArray(raw)) {
        return raw.map((e) => toPlain(e));
    }
    const obj = raw as Record<string, unknown>;
    // @pulumi/policy's Secret wrapper (only seen when secrets are proxied): take the value.
    if (obj.constructor && obj.constructor.name === "Secret" && "value" in obj && Object.keys(obj).length === 1) {
        return toPlain(obj["value"]);
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
        out[k] = toPlain(obj[k]);
    }
    return out;
}

/** A record, or undefined (unknowns and non-objects are undefined). */
export function rec(v: unknown): Record<string, unknown> | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** An array (unknown or non-array: empty). */
export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

/** A known, non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && !isUnknown(v) ? v : undefined;
}

/** True when the value is set (unknown counts as set). */
export function present(v: unknown): boolean {
    if (v === undefined || v === null || v === "") {
        return false;
    }
    if (Array.isArray(v)) {
        return v.length > 0;
    }
    return true;
}

export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && /^\d+$/.test(v)) {
        return Number(v);
    }
    return undefined;
}

/** String-valued map (labels, selectors); non-string values are dropped. */
export function strMap(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    const r = rec(v);
    if (r) {
        for (const [k, val] of Object.entries(r)) {
            if (typeof val === "string" && !isUnknown(val)) {
                out[k] = val;
            }
        }
    }
    return out;
}

/** Every label of `selector` is on `labels` (an empty selector matches nothing here). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
    const keys = Object.keys(selector);
    return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** `k=v,k2=v2`, sorted, as Kubernetes prints a selector. */
export function selectorString(selector: Record<string, string>): string {
    return Object.keys(selector)
        .sort()
        .map((k) => `${k}=${selector[k]}`)
        .join(",");
}

// ---------------------------------------------------------------------------------------------
// Resource types

const K8S = /^kubernetes:([^:]+):([^:]+)$/;

/** `{group, version, kind}` of a `kubernetes:<apiVersion>:<kind>` type, or undefined. */
export function k8sType(type: string): { group: string; version: string; kind: string } | undefined {
    const m = K8S.exec(type);
    if (!m) {
        return undefined;
    }
    const apiVersion = m[1];
    const slash = apiVersion.lastIndexOf("/");
    const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
    const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
    return { group: group === "core" ? "" : group, version, kind: m[2] };
}

function isKind(type: string, group: string, kind: string, versions?: string[]): boolean {
    const t = k8sType(type);
    return !!t && t.group === group && t.kind === kind && (!versions || versions.includes(t.version));
}

const ISTIO_NET_VERSIONS = ["v1", "v1beta1", "v1alpha3"];
const ISTIO_SEC_VERSIONS = ["v1", "v1beta1"];

export const types = {
    isGateway: (t: string) => isKind(t, "networking.istio.io", "Gateway", ISTIO_NET_VERSIONS),
    isVirtualService: (t: string) => isKind(t, "networking.istio.io", "VirtualService", ISTIO_NET_VERSIONS),
    isRequestAuthentication: (t: string) => isKind(t, "security.istio.io", "RequestAuthentication", ISTIO_SEC_VERSIONS),
    isAuthorizationPolicy: (t: string) => isKind(t, "security.istio.io", "AuthorizationPolicy", ISTIO_SEC_VERSIONS),
    isLegacyAuthnPolicy: (t: string) => isKind(t, "authentication.istio.io", "Policy", ["v1alpha1"]),
    isKubeGateway: (t: string) => isKind(t, "gateway.networking.k8s.io", "Gateway", ["v1", "v1beta1"]),
    isHttpRoute: (t: string) => isKind(t, "gateway.networking.k8s.io", "HTTPRoute", ["v1", "v1beta1"]),
    isReferenceGrant: (t: string) => isKind(t, "gateway.networking.k8s.io", "ReferenceGrant", ["v1", "v1beta1"]),
    isSecret: (t: string) => isKind(t, "", "Secret", ["v1"]),
    isConfigMap: (t: string) => isKind(t, "", "ConfigMap", ["v1"]),
    isService: (t: string) => isKind(t, "", "Service", ["v1"]),
    isDeployment: (t: string) => isKind(t, "apps", "Deployment", ["v1"]),
    isDeploymentPatch: (t: string) => isKind(t, "apps", "DeploymentPatch", ["v1"]),
    isRole: (t: string) => isKind(t, "rbac.authorization.k8s.io", "Role", ["v1"]),
    isClusterRole: (t: string) => isKind(t, "rbac.authorization.k8s.io", "ClusterRole", ["v1"]),
    isRoleBinding: (t: string) => isKind(t, "rbac.authorization.k8s.io", "RoleBinding", ["v1"]),
    isClusterRoleBinding: (t: string) => isKind(t, "rbac.authorization.k8s.io", "ClusterRoleBinding", ["v1"]),
    isKubernetes: (t: string) => K8S.test(t) && !t.startsWith("kubernetes:index:") && !t.startsWith("pulumi:providers:"),
    isPrivateKey: (t: string) => t === "tls:index/privateKey:PrivateKey",
    isCertificate: (t: string) => t === "tls:index/selfSignedCert:SelfSignedCert" || t === "tls:index/locallySignedCert:LocallySignedCert",
    isCertManagerCertificate: (t: string) => isKind(t, "cert-manager.io", "Certificate", ["v1"]),
    isCertManagerIssuer: (t: string) => isKind(t, "cert-manager.io", "Issuer", ["v1"]),
    isCertManagerClusterIssuer: (t: string) => isKind(t, "cert-manager.io", "ClusterIssuer", ["v1"]),
};

// ---------------------------------------------------------------------------------------------
// Kubernetes metadata

export function metadata(r: PolicyResource): Record<string, unknown> {
    return rec(r.props["metadata"]) ?? {};
}

/** `metadata.name`, falling back to the Pulumi name (auto-named resources). */
export function k8sName(r: PolicyResource): string {
    return str(metadata(r)["name"]) ?? r.name;
}

/** `metadata.namespace`, default `default`. */
export function k8sNamespace(r: PolicyResource): string {
    return str(metadata(r)["namespace"]) ?? "default";
}

export function fullName(r: PolicyResource): string {
    return `${k8sNamespace(r)}/${k8sName(r)}`;
}

/** `Gateway default/mygateway`, `tls.PrivateKey "ca-key"`, ... for messages. */
export function describe(r: PolicyResource): string {
    const t = k8sType(r.type);
    if (t) {
        if (t.kind === "ClusterRole" || t.kind === "ClusterRoleBinding") {
            return `${t.kind} ${k8sName(r)}`;
        }
        return `${t.kind} ${fullName(r)}`;
    }
    const m = /^([^:]+):[^:]*:([^:]+)$/.exec(r.type);
    return m ? `${m[1]}.${m[2]} "${r.name}"` : `${r.type} "${r.name}"`;
}

export function spec(r: PolicyResource): Record<string, unknown> {
    return rec(r.props["spec"]) ?? {};
}

/** Quoted list for messages: `"a", "b"`. */
export function quoteList(items: string[]): string {
    return items.map((i) => JSON.stringify(i)).join(", ");
}
