import { gatewayHostsForNamespace, hostMatches } from "./hosts";
import { gateways, servers } from "./model";
import { Finding, PolicyResource, StackRule } from "./types";
import { arr, describe, fullName, isUnknown, k8sName, k8sNamespace, spec, str, types } from "./util";

/**
 * A VirtualService `gateways` entry as Istio resolves it: `mesh` (reserved), `<ns>/<name>`, a bare
 * name (the VirtualService's namespace), or the legacy FQDN `<name>.<ns>.svc.cluster.local`.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): { namespace: string; name: string } | "mesh" {
    if (ref === "mesh") {
        return "mesh";
    }
    const slash = ref.indexOf("/");
    if (slash >= 0) {
        return { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
    }
    const dot = ref.indexOf(".");
    if (dot >= 0) {
        const parts = ref.split(".");
        return { name: parts[0], namespace: parts[1] };
    }
    return { namespace: vsNamespace, name: ref };
}

function virtualServiceRefs(vs: PolicyResource): { ref: string; namespace: string; name: string }[] {
    const out: { ref: string; namespace: string; name: string }[] = [];
    for (const g of arr(spec(vs)["gateways"])) {
        const ref = str(g);
        if (!ref) {
            continue;
        }
        const r = resolveGatewayRef(ref, k8sNamespace(vs));
        if (r !== "mesh") {
            out.push({ ref, ...r });
        }
    }
    return out;
}

function findGateway(all: PolicyResource[], namespace: string, name: string): PolicyResource | undefined {
    return all.find((g) => k8sNamespace(g) === namespace && k8sName(g) === name);
}

const externalGatewaysConfig = {
    externalGateways: {
        type: "array" as const,
        description: "Gateways (`<namespace>/<name>`) that exist outside this stack, e.g. installed with Istio.",
        items: { type: "string" as const },
        default: [] as string[],
    },
};

/** IST0101 from virtualservice.GatewayAnalyzer: a referenced gateway must exist. */
export const virtualServiceGatewayExists: StackRule = {
    name: "istio-virtualservice-gateway-exists",
    description:
        "Every gateway a VirtualService names (`<ns>/<name>`, or a bare name in the VirtualService's namespace; `mesh` excepted) is a Gateway in the stack, or listed in externalGateways.",
    enforcementLevel: "mandatory",
    source: "istioctl analyze IST0101 (analyzers/virtualservice/gateways.go)",
    scope: "stack",
    configSchema: { properties: { ...externalGatewaysConfig } },
    check(resources, config) {
        const out: Finding[] = [];
        const gws = gateways(resources);
        const external = arr(config["externalGateways"]).filter((x): x is string => typeof x === "string");
        for (const vs of resources.filter((r) => types.isVirtualService(r.type))) {
            for (const ref of virtualServiceRefs(vs)) {
                if (isUnknown(ref.ref) || findGateway(gws, ref.namespace, ref.name) || external.includes(`${ref.namespace}/${ref.name}`)) {
                    continue;
                }
                out.push({
                    resource: vs,
                    message: `${describe(vs)}: referenced gateway not found: ${JSON.stringify(ref.ref)} (no Gateway ${ref.namespace}/${ref.name} in the stack) (IST0101)`,
                });
            }
        }
        return out;
    },
};

/**
 * IST0132 VirtualServiceHostNotFoundInGateway, with Istio's matching (wildcards either way, host
 * namespaces). Stricter than the analyzer, which is satisfied when any one host matches: every host of
 * the VirtualService must be served by each referenced gateway, since a host that is not gets 404 NR.
 */
export const virtualServiceHostInGateway: StackRule = {
    name: "istio-virtualservice-host-in-gateway",
    description:
        "Every host of a VirtualService bound to a Gateway matches a host of that Gateway's servers (exactly or by wildcard, honouring `ns/` prefixes); otherwise requests get 404 NR.",
    enforcementLevel: "mandatory",
    source: "istioctl analyze IST0132 (analyzers/virtualservice/gateways.go, pkg/config/host)",
    scope: "stack",
    check(resources) {
        const out: Finding[] = [];
        const gws = gateways(resources);
        for (const vs of resources.filter((r) => types.isVirtualService(r.type))) {
            const vsHosts = arr(spec(vs)["hosts"]).filter((h): h is string => typeof h === "string" && !isUnknown(h));
            for (const ref of virtualServiceRefs(vs)) {
                const gw = findGateway(gws, ref.namespace, ref.name);
                if (!gw) {
                    continue; // reported by istio-virtualservice-gateway-exists (or external)
                }
                const gwHosts = gatewayHostsForNamespace(
                    servers(gw).flatMap((s) => s.hosts),
                    k8sNamespace(gw),
                    k8sNamespace(vs),
                );
                const missing = vsHosts.filter((h) => !gwHosts.some((g) => hostMatches(g, h)));
                if (missing.length > 0) {
                    out.push({
                        resource: vs,
                        message: `${describe(vs)}: one or more host [${missing.join(" ")}] defined in VirtualService ${fullName(vs)} not found in Gateway ${fullName(gw)} (IST0132)`,
                    });
                }
            }
        }
        return out;
    },
};
