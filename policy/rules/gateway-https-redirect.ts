import { serverRef, servers } from "./model";
import { Finding, ResourceRule } from "./types";
import { types } from "./util";

export const gatewayHttpsRedirect: ResourceRule = {
    name: "istio-gateway-https-redirect",
    description:
        "A plain-HTTP Gateway server should set tls.httpsRedirect (301 to HTTPS); otherwise requests, and any bearer tokens in them, travel in clear text.",
    enforcementLevel: "advisory",
    source: "istio/api gateway.proto (httpsRedirect); the task's JWT section sends tokens over plain HTTP",
    scope: "resource",
    appliesTo: types.isGateway,
    check(gateway) {
        const out: Finding[] = [];
        for (const s of servers(gateway)) {
            if (s.protocol !== "HTTP" && s.protocol !== "HTTP2") {
                continue;
            }
            if (s.tls && s.tls["httpsRedirect"] === true) {
                continue;
            }
            if (s.tls && s.tls["httpsRedirect"] !== undefined && s.tls["httpsRedirect"] !== false) {
                continue; // unknown
            }
            out.push({
                message: `${serverRef(gateway, s)} serves plain ${s.protocol} on port ${s.portNumber ?? "?"} without tls.httpsRedirect: requests (and any bearer tokens in them) stay in clear text`,
            });
        }
        return out;
    },
};
