import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

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
