import { serverRef, servers } from "./model";
import { Finding, ResourceRule } from "./types";
import { present, types } from "./util";

/** validation.go: "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified". */
export const gatewaySingleCertificateSource: ResourceRule = {
    name: "istio-gateway-single-certificate-source",
    description:
        "A Gateway server names exactly one certificate source: credentialName, credentialNames, serverCertificate/privateKey files, or tlsCertificates.",
    enforcementLevel: "mandatory",
    source: "istio/istio pkg/config/validation/validation.go (validateTLSOptions)",
    scope: "resource",
    appliesTo: types.isGateway,
    check(gateway) {
        const out: Finding[] = [];
        for (const s of servers(gateway)) {
            const tls = s.tls;
            if (!tls) {
                continue;
            }
            const sources: string[] = [];
            if (present(tls["credentialName"])) {
                sources.push("credentialName");
            }
            if (present(tls["credentialNames"])) {
                sources.push("credentialNames");
            }
            // Stricter than the webhook, which counts files only as a complete pair: half a file pair next
            // to a credential is just as ambiguous.
            if (present(tls["serverCertificate"]) || present(tls["privateKey"])) {
                sources.push("serverCertificate/privateKey");
            }
            if (present(tls["tlsCertificates"])) {
                sources.push("tlsCertificates");
            }
            if (sources.length > 1) {
                out.push({
                    message: `${serverRef(gateway, s)}: only one of credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates should be specified; found ${sources.join(" and ")}`,
                });
            }
        }
        return out;
    },
};
