// Plain-data views of Gateway API objects that the gateway-api rules share: listeners, and every reference an
// object makes to another object (kind, namespace, name), with where it was written.
import { PolicyResource } from "./types";
import { arr, isUnknown, k8sName, k8sNamespace, rec, spec, str, types } from "./util";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

export interface Listener {
    index: number;
    name?: string;
    port?: number;
    protocol?: string;
    hostname?: string;
    certificateRefs: Reference[];
}

/** A reference from one object to another, as written (namespace defaulted to the referrer's). */
export interface Reference {
    /** Where it was written, for messages: `listeners[0].tls.certificateRefs[0]`. */
    path: string;
    group: string;
    kind: string;
    namespace: string;
    name: string;
}

function reference(r: PolicyResource, path: string, v: unknown, defaultKind: string, defaultGroup = ""): Reference | undefined {
    const o = rec(v);
    const name = str(o?.["name"]);
    if (!o || !name || isUnknown(name)) {
        return undefined;
    }
    return {
        path,
        group: str(o["group"]) ?? defaultGroup,
        kind: str(o["kind"]) ?? defaultKind,
        namespace: str(o["namespace"]) ?? k8sNamespace(r),
        name,
    };
}

export function listeners(gw: PolicyResource): Listener[] {
    return arr(spec(gw)["listeners"]).map((v, index) => {
        const l = rec(v) ?? {};
        const tls = rec(l["tls"]);
        const port = l["port"];
        return {
            index,
            name: str(l["name"]),
            port: typeof port === "number" ? port : undefined,
            protocol: str(l["protocol"]),
            hostname: str(l["hostname"]),
            certificateRefs: arr(tls?.["certificateRefs"]).flatMap((c, i) => {
                const ref = reference(gw, `listeners[${index}].tls.certificateRefs[${i}]`, c, "Secret");
                return ref ? [ref] : [];
            }),
        };
    });
}

/** The CA references of the Gateway-level client validation (`default` and each `perPort`). */
export function caCertificateRefs(gw: PolicyResource): Reference[] {
    const frontend = rec(rec(spec(gw)["tls"])?.["frontend"]);
    if (!frontend) {
        return [];
    }
    const configs: [string, unknown][] = [
        ["tls.frontend.default", frontend["default"]],
        ...arr(frontend["perPort"]).map((p, i): [string, unknown] => [`tls.frontend.perPort[${i}].tls`, rec(p)?.["tls"]]),
    ];
    return configs.flatMap(([path, c]) =>
        arr(rec(rec(c)?.["validation"])?.["caCertificateRefs"]).flatMap((v, i) => {
            const ref = reference(gw, `${path}.validation.caCertificateRefs[${i}]`, v, "ConfigMap");
            return ref ? [ref] : [];
        }),
    );
}

/** Every backendRef of an HTTPRoute (default kind Service). */
export function backendRefs(route: PolicyResource): Reference[] {
    return arr(spec(route)["rules"]).flatMap((rule, i) =>
        arr(rec(rule)?.["backendRefs"]).flatMap((b, j) => {
            const ref = reference(route, `rules[${i}].backendRefs[${j}]`, b, "Service");
            return ref ? [ref] : [];
        }),
    );
}

export function kubeGateways(all: PolicyResource[]): PolicyResource[] {
    return all.filter((r) => types.isKubeGateway(r.type));
}

/** Whether a ReferenceGrant in the target's namespace lets `fromKind` objects of `fromNamespace` reach the target. */
export function granted(all: PolicyResource[], fromKind: string, fromNamespace: string, to: Reference): boolean {
    return all
        .filter((g) => types.isReferenceGrant(g.type) && k8sNamespace(g) === to.namespace)
        .some((g) => {
            const from = arr(spec(g)["from"]).some((f) => {
                const o = rec(f);
                return str(o?.["group"]) === GATEWAY_API_GROUP && str(o?.["kind"]) === fromKind && str(o?.["namespace"]) === fromNamespace;
            });
            const reaches = arr(spec(g)["to"]).some((t) => {
                const o = rec(t);
                const name = str(o?.["name"]);
                return (str(o?.["group"]) ?? "") === to.group && str(o?.["kind"]) === to.kind && (name === undefined || name === to.name);
            });
            return from && reaches;
        });
}

/** `Gateway istio-system/mygateway` -> its name for lookups. */
export function sameObject(r: PolicyResource, namespace: string, name: string): boolean {
    return k8sNamespace(r) === namespace && k8sName(r) === name;
}
