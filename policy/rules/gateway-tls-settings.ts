import { credentialNames, isHttpProtocol, isTlsProtocol, serverRef, servers, tlsMode } from "./model";
import { Finding, ResourceRule } from "./types";
import { arr, present, types } from "./util";

const CERT_FIELDS = ["serverCertificate", "privateKey", "caCertificates", "credentialName", "credentialNames", "tlsCertificates"];

/**
 * The Istio webhook's server/TLS checks (validation.go `validateServer`, `validateTLSOptions`), minus
 * the client-CA check, which `istio-gateway-mutual-tls-ca` does with the stack's secrets in view.
 */
export const gatewayTlsSettings: ResourceRule = {
    name: "istio-gateway-tls-settings",
    description:
        "HTTPS/TLS Gateway servers carry TLS settings with a mode that uses their certificate; SIMPLE/MUTUAL servers " +
        "without credentialName name both a certificate and a key; ISTIO_MUTUAL and plain-HTTP servers carry no certificates.",
    enforcementLevel: "mandatory",
    source: "istio/istio pkg/config/validation/validation.go (validateServer, validateTLSOptions)",
    scope: "resource",
    appliesTo: types.isGateway,
    check(gateway) {
        const out: Finding[] = [];
        for (const s of servers(gateway)) {
            const at = `${serverRef(gateway, s)} (port ${s.portNumber ?? "?"} ${s.protocol || "?"})`;
            const tls = s.tls;
            if (isTlsProtocol(s.protocol) && !s.hasTls) {
                out.push({ message: `${at}: server must have TLS settings for HTTPS/TLS protocols` });
                continue;
            }
            if (!tls) {
                continue;
            }
            const certFields = CERT_FIELDS.filter((f) => present(tls[f]));
            if (isHttpProtocol(s.protocol)) {
                if (certFields.length > 0) {
                    out.push({
                        message: `${at}: server cannot have TLS settings for plain text HTTP ports (found ${certFields.join(", ")}); only tls.httpsRedirect belongs on an HTTP server`,
                    });
                }
                continue;
            }
            const mode = tlsMode(tls);
            if (mode === "UNKNOWN") {
                continue;
            }
            if (mode === "ISTIO_MUTUAL") {
                for (const f of certFields) {
                    out.push({ message: `${at}: ISTIO_MUTUAL TLS cannot have associated ${f}` });
                }
                continue;
            }
            if (mode === "PASSTHROUGH" || mode === "AUTO_PASSTHROUGH") {
                if (isTlsProtocol(s.protocol) && certFields.length > 0) {
                    const unset = tls["mode"] === undefined ? " (tls.mode is not set, and unset means PASSTHROUGH)" : "";
                    out.push({
                        message: `${at}: ${mode} mode does not use certificates, they will be ignored${unset}; set tls.mode to SIMPLE, MUTUAL or OPTIONAL_MUTUAL to terminate TLS`,
                    });
                }
                continue;
            }
            const prefix = mode === "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
            if (!["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"].includes(mode)) {
                out.push({ message: `${at}: unknown TLS mode ${JSON.stringify(mode)}` });
                continue;
            }
            if (present(tls["caCrl"])) {
                if (present(tls["credentialName"])) {
                    out.push({ message: `${at}: CRL is not supported with credentialName. CRL has to be specified in the credential` });
                }
                if (mode === "SIMPLE") {
                    out.push({ message: `${at}: CRL is not supported with SIMPLE TLS` });
                }
            }
            if (credentialNames(tls).length > 0 || present(tls["credentialName"]) || present(tls["credentialNames"])) {
                continue; // credentials fetched by SDS; no files needed
            }
            const pairs = present(tls["tlsCertificates"])
                ? arr(tls["tlsCertificates"]).map((c) => (c && typeof c === "object" ? (c as Record<string, unknown>) : {}))
                : [tls];
            for (const p of pairs) {
                if (!present(p["serverCertificate"])) {
                    out.push({
                        message: `${at}: ${prefix} requires a server certificate (set tls.credentialName, or tls.serverCertificate and tls.privateKey)`,
                    });
                }
                if (!present(p["privateKey"])) {
                    out.push({
                        message: `${at}: ${prefix} requires a private key (set tls.credentialName, or tls.serverCertificate and tls.privateKey)`,
                    });
                }
            }
        }
        return out;
    },
};
