import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-tls-settings", () => {
    const rule = "istio-gateway-tls-settings";

    it("passes the task's SIMPLE and MUTUAL servers, file-mounted and SDS", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.mygatewaySds()]), []);
    });

    it("refuses an HTTPS server without TLS settings", () => {
        const gw = f.mygateway();
        delete f.serversOf(gw)[1].tls;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-bookinfo" (port 443 HTTPS): server must have TLS settings for HTTPS/TLS protocols`,
        ]);
    });

    it("refuses SIMPLE without a key, ISTIO_MUTUAL with a credential, certificates on plain HTTP", () => {
        const gw = f.mygateway();
        delete f.tlsOf(gw, 1).privateKey;
        f.tlsOf(gw, 0).mode = "ISTIO_MUTUAL";
        delete f.tlsOf(gw, 0).serverCertificate;
        delete f.tlsOf(gw, 0).privateKey;
        delete f.tlsOf(gw, 0).caCertificates;
        f.tlsOf(gw, 0).credentialName = "httpbin-credential";
        f.serversOf(gw).push({
            port: { number: 80, name: "http", protocol: "HTTP" },
            hosts: ["*"],
            tls: { httpsRedirect: true, credentialName: "x" },
        });
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin" (port 443 HTTPS): ISTIO_MUTUAL TLS cannot have associated credentialName`,
            `${GW} server "https-bookinfo" (port 443 HTTPS): SIMPLE TLS requires a private key (set tls.credentialName, or tls.serverCertificate and tls.privateKey)`,
            `${GW} server "http" (port 80 HTTP): server cannot have TLS settings for plain text HTTP ports (found credentialName); only tls.httpsRedirect belongs on an HTTP server`,
        ]);
    });

    it("refuses certificates on a server whose tls.mode is unset (PASSTHROUGH ignores them)", () => {
        const gw = f.mygatewaySds();
        delete f.tlsOf(gw, 1).mode;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-bookinfo" (port 443 HTTPS): PASSTHROUGH mode does not use certificates, they will be ignored (tls.mode is not set, and unset means PASSTHROUGH); set tls.mode to SIMPLE, MUTUAL or OPTIONAL_MUTUAL to terminate TLS`,
        ]);
    });

    it("refuses caCrl with credentialName", () => {
        const gw = f.mygatewaySds();
        f.tlsOf(gw, 0).caCrl = "/etc/crl.pem";
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin" (port 443 HTTPS): CRL is not supported with credentialName. CRL has to be specified in the credential`,
        ]);
    });
});

describe("istio-gateway-single-certificate-source", () => {
    const rule = "istio-gateway-single-certificate-source";

    it("passes one source per server", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.mygatewaySds()]), []);
    });

    it("refuses credentialName together with mounted files", () => {
        const gw = f.mygateway();
        f.tlsOf(gw, 0).credentialName = "httpbin-credential";
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": only one of credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates should be specified; found credentialName and serverCertificate/privateKey`,
        ]);
    });
});

describe("istio-gateway-unique-port-names", () => {
    const rule = "istio-gateway-unique-port-names";

    it("passes https-httpbin and https-bookinfo", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway()]), []);
    });

    it("refuses the task's first Gateway's `https` used twice on port 443, and a missing name", () => {
        const gw = f.mygateway();
        f.serversOf(gw)[0].port.name = "https";
        f.serversOf(gw)[1].port.name = "https";
        f.serversOf(gw).push({ port: { number: 80, protocol: "HTTP" }, hosts: ["*"] });
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW}: port names in servers must be unique: duplicate name "https" (servers #0 and #1)`,
            `${GW} server #2 (port 80): port name must be set`,
        ]);
    });
});

describe("istio-gateway-valid-hosts", () => {
    const rule = "istio-gateway-valid-hosts";

    it("passes FQDNs, `*`, `*.example.com`, namespaced hosts and IPs", () => {
        const gw = f.mygateway();
        f.serversOf(gw)[0].hosts = [
            "httpbin.example.com",
            "*",
            "*.example.com",
            "default/bookinfo.com",
            "./a.example.com",
            "*/b.example.com",
            "10.0.0.1",
            "istio.io.",
        ];
        assert.deepStrictEqual(f.messages(rule, [gw]), []);
    });

    it("refuses short names, inner and partial wildcards, bad namespaces and empty host lists", () => {
        const gw = f.mygateway();
        f.serversOf(gw)[0].hosts = ["httpbin", "foo.*.example.com", "*foo.example.com", "Bad_NS/x.example.com", "example.123"];
        f.serversOf(gw)[1].hosts = [];
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": host "httpbin" is invalid: short names (non FQDN) are not allowed`,
            `${GW} server "https-httpbin": host "foo.*.example.com" is invalid: domain name "*.example.com" invalid (label "*" invalid); partial wildcard "foo.*.example.com" not allowed`,
            `${GW} server "https-httpbin": host "*foo.example.com" is invalid: partial wildcard "*foo.example.com" not allowed`,
            `${GW} server "https-httpbin": host "Bad_NS/x.example.com" is invalid: invalid namespace value "Bad_NS" in gateway`,
            `${GW} server "https-httpbin": host "example.123" is invalid: domain name "123" invalid (top level domain "123" cannot be all-numeric)`,
            `${GW} server "https-bookinfo": server config must contain at least one host`,
        ]);
    });
});

describe("istio-gateway-min-tls-version", () => {
    const rule = "istio-gateway-min-tls-version";

    it("passes TLSV1_2, and an unset version on Istio >= 1.14 (Envoy's server default is TLS 1.2)", () => {
        const gw = f.mygatewaySds();
        delete f.tlsOf(gw, 1).minProtocolVersion;
        f.tlsOf(gw, 0).minProtocolVersion = "TLS_AUTO";
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), gw]), []);
    });

    it("refuses TLSV1_1, and a configured TLSV1_3 minimum", () => {
        const gw = f.mygatewaySds();
        f.tlsOf(gw, 0).minProtocolVersion = "TLSV1_1";
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": tls.minProtocolVersion TLSV1_1 is below the required minimum TLSV1_2`,
        ]);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds()], { minimumVersion: "TLSV1_3" }), [
            `${GW} server "https-httpbin": tls.minProtocolVersion TLSV1_2 is below the required minimum TLSV1_3`,
            `${GW} server "https-bookinfo": tls.minProtocolVersion TLSV1_2 is below the required minimum TLSV1_3`,
        ]);
    });

    it("refuses an unset version on Istio 1.1-1.13 (Envoy then defaulted to TLS 1.0), unless config says otherwise", () => {
        const gw = f.mygateway({ istio: "1.13" });
        delete f.tlsOf(gw, 1).minProtocolVersion;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-bookinfo": tls.minProtocolVersion is not set, which means TLSV1_0 (Envoy's server default for Istio 1.13, which predates Envoy 1.22 (envoyproxy/envoy#19330)); the required minimum is TLSV1_2: set tls.minProtocolVersion: TLSV1_2`,
        ]);
        assert.deepStrictEqual(f.messages(rule, [gw], { istioVersion: "1.22" }), []);
        assert.deepStrictEqual(f.messages(rule, [gw], { unsetMeans: "TLSV1_2" }), []);
        // Asked for TLS 1.3: Envoy's default of 1.2 is not enough.
        const current = f.mygatewaySds();
        delete f.tlsOf(current, 0).minProtocolVersion;
        f.tlsOf(current, 1).minProtocolVersion = "TLSV1_3";
        assert.deepStrictEqual(f.messages(rule, [current], { minimumVersion: "TLSV1_3" }), [
            `${GW} server "https-httpbin": tls.minProtocolVersion is not set, which means TLSV1_2 (Envoy's server default); the required minimum is TLSV1_3: set tls.minProtocolVersion: TLSV1_3`,
        ]);
    });

    it("leaves the task's Istio 1.0 Gateway (no minProtocolVersion field yet) to istio-gateway-legacy-tls-default", () => {
        const gw = f.goodLegacyStack().find((r) => r.type.endsWith(":Gateway"))!;
        assert.deepStrictEqual(f.messages(rule, [gw]), []);
    });

    it("refuses a maxProtocolVersion below the minimum", () => {
        const gw = f.mygatewaySds();
        f.tlsOf(gw, 0).maxProtocolVersion = "TLSV1_1";
        f.tlsOf(gw, 0).minProtocolVersion = "TLSV1_0";
        assert.deepStrictEqual(f.messages(rule, [gw], { minimumVersion: "TLSV1_0" }), []);
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": tls.minProtocolVersion TLSV1_0 is below the required minimum TLSV1_2`,
            `${GW} server "https-httpbin": tls.maxProtocolVersion TLSV1_1 is below the required minimum TLSV1_2`,
        ]);
    });
});

describe("istio-gateway-https-redirect", () => {
    const rule = "istio-gateway-https-redirect";

    it("passes HTTPS-only gateways and HTTP servers that redirect", () => {
        const gw = f.mygateway();
        f.serversOf(gw).push({ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"], tls: { httpsRedirect: true } });
        assert.deepStrictEqual(f.messages(rule, [gw]), []);
    });

    it("reports the JWT section's plain-HTTP server", () => {
        const gw = f.mygateway();
        f.serversOf(gw).push({ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["httpbin.example.com"] });
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "http" serves plain HTTP on port 80 without tls.httpsRedirect: requests (and any bearer tokens in them) stay in clear text`,
        ]);
    });
});

describe("istio-gateway-legacy-tls-default", () => {
    const rule = "istio-gateway-legacy-tls-default";

    it("passes Istio >= 1.1 Gateways (they can set minProtocolVersion; istio-gateway-min-tls-version applies)", () => {
        const gw = f.mygateway({ istio: "1.13" });
        delete f.tlsOf(gw, 0).minProtocolVersion;
        assert.deepStrictEqual(f.messages(rule, [gw, f.mygateway()]), []);
    });

    it("reports the task's Istio 1.0 Gateway: TLS 1.0 accepted, nothing to set, upgrade", () => {
        const gw = f.mygateway({ istio: "1.0" });
        delete f.tlsOf(gw, 0).minProtocolVersion;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": Istio 1.0 accepts TLSV1_0 here (Envoy's server default before Envoy 1.22, envoyproxy/envoy#19330) and its Gateway has no minProtocolVersion (added in Istio 1.1, istio/api#645); the required minimum is TLSV1_2: target a newer Istio`,
        ]);
    });
});
