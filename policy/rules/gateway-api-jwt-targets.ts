import { GATEWAY_API_GROUP, kubeGateways, sameObject } from "./gateway-api-model";
import { Finding, StackRule } from "./types";
import { arr, describe, k8sNamespace, rec, spec, str, types } from "./util";

/**
 * A RequestAuthentication or AuthorizationPolicy attached by targetRefs applies to the named Gateway in its own
 * namespace (Istio's policy attachment, security.istio.io v1 `targetRefs`, 1.22+); one naming no Gateway of the stack
 * applies to nothing, so the JWT requirement silently disappears.
 */
export const gatewayApiJwtTargets: StackRule = {
    name: "gateway-api-jwt-targets",
    description:
        "Every targetRef of a RequestAuthentication or AuthorizationPolicy that names a Gateway (group gateway.networking.k8s.io) names a Gateway of the stack in the policy's namespace, or one listed in externalGateways.",
    enforcementLevel: "mandatory",
    source: "istio/api security/v1/request_authentication.proto and authorization_policy.proto (targetRefs: same namespace); Istio 1.22 policy attachment",
    scope: "stack",
    configSchema: {
        properties: {
            externalGateways: {
                type: "array",
                description: "Gateway API Gateways (`<namespace>/<name>`) that exist outside this stack.",
                items: { type: "string" },
                default: [],
            },
        },
    },
    check(resources, config) {
        const out: Finding[] = [];
        const gws = kubeGateways(resources);
        const external = arr(config["externalGateways"]).filter((x): x is string => typeof x === "string");
        const policies = resources.filter((r) => types.isRequestAuthentication(r.type) || types.isAuthorizationPolicy(r.type));
        for (const p of policies) {
            const ns = k8sNamespace(p);
            arr(spec(p)["targetRefs"]).forEach((t, i) => {
                const ref = rec(t);
                const name = str(ref?.["name"]);
                if (str(ref?.["kind"]) !== "Gateway" || str(ref?.["group"]) !== GATEWAY_API_GROUP || !name) {
                    return;
                }
                if (!gws.some((g) => sameObject(g, ns, name)) && !external.includes(`${ns}/${name}`)) {
                    out.push({
                        resource: p,
                        message: `${describe(p)} targetRefs[${i}]: no Gateway ${ns}/${name} in the stack (a targetRef reaches its own namespace only), so the policy applies to nothing`,
                    });
                }
            });
        }
        return out;
    },
};
