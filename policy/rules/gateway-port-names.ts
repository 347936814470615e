import { servers } from "./model";
import { Finding, ResourceRule } from "./types";
import { describe, types } from "./util";

/** validation.go `ValidateGateway`: "port names in servers must be unique"; `validateServerPort`: "port name must be set". */
export const gatewayUniquePortNames: ResourceRule = {
    name: "istio-gateway-unique-port-names",
    description:
        "Every Gateway server has a port name, unique within the Gateway (the multi-host task's https-httpbin / https-bookinfo); duplicates make Istio drop servers.",
    enforcementLevel: "mandatory",
    source: "istio/istio pkg/config/validation/validation.go (ValidateGateway); istio/istio#11509",
    scope: "resource",
    appliesTo: types.isGateway,
    check(gateway) {
        const out: Finding[] = [];
        const seen = new Map<string, number>();
        for (const s of servers(gateway)) {
            if (!s.portName) {
                out.push({ message: `${describe(gateway)} server #${s.index} (port ${s.portNumber ?? "?"}): port name must be set` });
                continue;
            }
            const first = seen.get(s.portName);
            if (first !== undefined) {
                out.push({
                    message: `${describe(gateway)}: port names in servers must be unique: duplicate name ${JSON.stringify(s.portName)} (servers #${first} and #${s.index})`,
                });
            } else {
                seen.set(s.portName, s.index);
            }
        }
        return out;
    },
};
