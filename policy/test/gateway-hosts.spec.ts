import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

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
