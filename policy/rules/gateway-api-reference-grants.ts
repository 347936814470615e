import { backendRefs, caCertificateRefs, granted, kubeGateways, listeners, Reference } from "./gateway-api-model";
import { Finding, PolicyResource, StackRule } from "./types";
import { describe, k8sNamespace, types } from "./util";

/**
 * A reference into another namespace needs a ReferenceGrant there: Istio's conversion refuses a listener's
 * certificateRef ("not accessible to a Gateway in namespace ... (missing a ReferenceGrant?)",
 * InvalidListenerRefNotPermitted), the frontend caCertificateRef the same way, and a route's backendRef (RefNotPermitted).
 */
export const gatewayApiReferenceGrants: StackRule = {
    name: "gateway-api-reference-grants",
    description:
        "Every cross-namespace reference of the Gateway API objects (listener certificateRefs, frontend caCertificateRefs, HTTPRoute backendRefs) is allowed by a ReferenceGrant in the stack, in the target's namespace.",
    enforcementLevel: "mandatory",
    source: "istio/istio pilot/pkg/config/kube/gateway/conversion.go (buildTLS, buildHTTPDestination); gateway-api GEP-709 (ReferenceGrant)",
    scope: "stack",
    check(resources) {
        const out: Finding[] = [];
        const check = (from: PolicyResource, fromKind: string, refs: Reference[]) => {
            for (const ref of refs) {
                if (ref.namespace !== k8sNamespace(from) && !granted(resources, fromKind, k8sNamespace(from), ref)) {
                    out.push({
                        resource: from,
                        message: `${describe(from)} ${ref.path}: ${ref.kind} ${ref.namespace}/${ref.name} not accessible to a ${fromKind} in namespace ${JSON.stringify(k8sNamespace(from))} (missing a ReferenceGrant in ${ref.namespace})`,
                    });
                }
            }
        };
        for (const gw of kubeGateways(resources)) {
            check(gw, "Gateway", [...listeners(gw).flatMap((l) => l.certificateRefs), ...caCertificateRefs(gw)]);
        }
        for (const route of resources.filter((r) => types.isHttpRoute(r.type))) {
            check(route, "HTTPRoute", backendRefs(route));
        }
        return out;
    },
};
