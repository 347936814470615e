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
