import { gateways, servers } from "./model";
import { Finding, StackRule } from "./types";
import { describe, fullName, spec, str, strMap } from "./util";

/** certificate.go `selectorSubset`: every label of x is in y with the same value (empty x: any). */
function selectorSubset(x: Record<string, string>, y: Record<string, string>): boolean {
    return Object.keys(x).every((k) => y[k] === x[k]);
}

function sameCertificate(a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
    const ca = str(a["credentialName"]);
    const cb = str(b["credentialName"]);
    if (ca && cb) {
        return ca === cb ? `credentialName ${JSON.stringify(ca)}` : undefined;
    }
    if (!ca && !cb) {
        const sa = str(a["serverCertificate"]);
        const ka = str(a["privateKey"]);
        if (sa && ka && sa === str(b["serverCertificate"]) && ka === str(b["privateKey"])) {
            return `serverCertificate ${JSON.stringify(sa)} and privateKey ${JSON.stringify(ka)}`;
        }
    }
    return undefined;
}

/** IST0138 GatewayDuplicateCertificate (analyzers/gateway/certificate.go). */
export const gatewayDuplicateCertificate: StackRule = {
    name: "istio-gateway-duplicate-certificate",
    description:
        "The same certificate (credentialName, or the same serverCertificate and privateKey files) on two Gateways with overlapping " +
        "selectors: clients that re-use an HTTP/2 connection get 404s (IST0138; istio/istio#13589). Use one Gateway for the certificate.",
    enforcementLevel: "advisory",
    source: "istioctl analyze IST0138 (analyzers/gateway/certificate.go)",
    scope: "stack",
    check(resources) {
        const out: Finding[] = [];
        const gws = gateways(resources);
        for (const cur of gws) {
            const curSel = strMap(spec(cur)["selector"]);
            for (const other of gws) {
                if (other === cur || !selectorSubset(curSel, strMap(spec(other)["selector"]))) {
                    continue;
                }
                let what: string | undefined;
                for (const a of servers(cur)) {
                    for (const b of servers(other)) {
                        if (!what && a.tls && b.tls) {
                            what = sameCertificate(a.tls, b.tls);
                        }
                    }
                }
                if (what) {
                    out.push({
                        resource: cur,
                        message: `${describe(cur)}: duplicate certificate in multiple gateways [${fullName(cur)} ${fullName(other)}] may cause 404s if clients re-use HTTP2 connections (${what}) (IST0138)`,
                    });
                }
            }
        }
        return out;
    },
};
