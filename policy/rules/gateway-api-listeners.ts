import { listeners } from "./gateway-api-model";
import { Finding, ResourceRule } from "./types";
import { describe, types } from "./util";

/**
 * The Gateway CRD's own CEL rules (a real API server refuses the object, but a rendered stack or a preview never
 * meets one): "Listener name must be unique within the Gateway" and "Combination of port, protocol and hostname must
 * be unique for each listener".
 */
export const gatewayApiListeners: ResourceRule = {
    name: "gateway-api-listener-conflicts",
    description:
        "Every listener of a Gateway API Gateway has its own name, and no two listeners share port, protocol and hostname (one hostname per listener: the multi-host case is one listener per host).",
    enforcementLevel: "mandatory",
    source: "sigs.k8s.io/gateway-api v1.6.3 config/crd/standard/gateway.networking.k8s.io_gateways.yaml (x-kubernetes-validations of spec.listeners)",
    scope: "resource",
    appliesTo: types.isKubeGateway,
    check(gateway) {
        const out: Finding[] = [];
        const names = new Map<string, number>();
        const triples = new Map<string, number>();
        for (const l of listeners(gateway)) {
            if (l.name !== undefined) {
                const first = names.get(l.name);
                if (first !== undefined) {
                    out.push({
                        message: `${describe(gateway)}: Listener name must be unique within the Gateway: ${JSON.stringify(l.name)} (listeners[${first}] and listeners[${l.index}])`,
                    });
                } else {
                    names.set(l.name, l.index);
                }
            }
            const key = `${l.port}/${l.protocol}/${l.hostname ?? ""}`;
            const first = triples.get(key);
            if (first !== undefined) {
                out.push({
                    message: `${describe(gateway)}: Combination of port, protocol and hostname must be unique for each listener: listeners[${first}] and listeners[${l.index}] are both ${l.protocol} ${l.hostname ?? "(any hostname)"} on port ${l.port}`,
                });
            } else {
                triples.set(key, l.index);
            }
        }
        return out;
    },
};
