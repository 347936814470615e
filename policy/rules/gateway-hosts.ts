import { validateGatewayHost } from "./hosts";
import { serverRef, servers } from "./model";
import { Finding, ResourceRule } from "./types";
import { types } from "./util";

/** validation.go `validateServer` + agent `ValidateNamespaceSlashWildcardHostname(host, isGateway=true)`. */
export const gatewayValidHosts: ResourceRule = {
    name: "istio-gateway-valid-hosts",
    description:
        "Every Gateway server lists at least one host, each of the form [namespace/]dnsName: a FQDN (or IP), `*`, or a wildcard in the left-most label only (`*.example.com`).",
    enforcementLevel: "mandatory",
    source: "istio/istio pkg/config/validation/agent (ValidateNamespaceSlashWildcardHostname)",
    scope: "resource",
    appliesTo: types.isGateway,
    check(gateway) {
        const out: Finding[] = [];
        for (const s of servers(gateway)) {
            if (s.hosts.length === 0 && !Array.isArray(s.raw["hosts"]) && s.raw["hosts"] !== undefined) {
                continue; // unknown
            }
            if (s.hosts.length === 0) {
                out.push({ message: `${serverRef(gateway, s)}: server config must contain at least one host` });
                continue;
            }
            for (const h of s.hosts) {
                const errs = validateGatewayHost(h);
                if (errs.length > 0) {
                    out.push({ message: `${serverRef(gateway, s)}: host ${JSON.stringify(h)} is invalid: ${errs.join("; ")}` });
                }
            }
        }
        return out;
    },
};
