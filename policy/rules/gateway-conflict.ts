import { hostMatches, hostName } from "./hosts";
import { gateways, serverRef, servers } from "./model";
import { Finding, StackRule } from "./types";
import { fullName, selectorString, spec, strMap } from "./util";

/** IST0145 ConflictingGateways (analyzers/gateway/conflictinggateway.go): same selector, same port, matching hosts. */
export const gatewayConflict: StackRule = {
    name: "istio-gateway-conflict",
    description:
        "Two Gateways with the same selector and port must not serve overlapping hosts: Istio keeps one server and silently drops the other (IST0145; istio/istio#27481).",
    enforcementLevel: "mandatory",
    source: "istioctl analyze IST0145 (analyzers/gateway/conflictinggateway.go)",
    scope: "stack",
    check(resources) {
        const out: Finding[] = [];
        const gws = gateways(resources);
        for (const cur of gws) {
            const sel = selectorString(strMap(spec(cur)["selector"]));
            for (const s of servers(cur)) {
                if (s.portNumber === undefined) {
                    continue;
                }
                const conflicts: string[] = [];
                for (const other of gws) {
                    if (other === cur || selectorString(strMap(spec(other)["selector"])) !== sel) {
                        continue;
                    }
                    const hit = servers(other).some(
                        (o) =>
                            o.portNumber === s.portNumber &&
                            s.hosts.some((h) => o.hosts.some((oh) => hostMatches(hostName(h), hostName(oh)))),
                    );
                    if (hit && !conflicts.includes(fullName(other))) {
                        conflicts.push(fullName(other));
                    }
                }
                if (conflicts.length > 0) {
                    out.push({
                        resource: cur,
                        message: `${serverRef(cur, s)}: conflict with gateways ${conflicts.join(",")} (workload selector ${sel || "<none>"}, port ${s.portNumber}, hosts ${s.hosts.join(",")}) (IST0145)`,
                    });
                }
            }
        }
        return out;
    },
};
