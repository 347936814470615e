import * as assert from "assert";
import * as f from "./fixtures";

describe("istio-virtualservice-gateway-exists (IST0101)", () => {
    const rule = "istio-virtualservice-gateway-exists";

    it("passes bare names in the VirtualService's namespace, <ns>/<name>, FQDN form, mesh and external gateways", () => {
        const vs = f.virtualService("multi", "httpbin.example.com", [
            "mygateway",
            "default/mygateway",
            "mygateway.default.svc.cluster.local",
            "mesh",
            "istio-system/shared",
        ]);
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), vs], { externalGateways: ["istio-system/shared"] }), []);
    });

    it("refuses a bare name that resolves to another namespace, and a missing gateway", () => {
        const vs = f.virtualService("httpbin", "httpbin.example.com", ["mygateway"], { namespace: "httpbin" });
        const vs2 = f.virtualService("bookinfo", "bookinfo.com", ["istio-system/mygateway"]);
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), vs, vs2]), [
            `VirtualService httpbin/httpbin: referenced gateway not found: "mygateway" (no Gateway httpbin/mygateway in the stack) (IST0101)`,
            `VirtualService default/bookinfo: referenced gateway not found: "istio-system/mygateway" (no Gateway istio-system/mygateway in the stack) (IST0101)`,
        ]);
    });
});

describe("istio-virtualservice-host-in-gateway (IST0132)", () => {
    const rule = "istio-virtualservice-host-in-gateway";

    it("passes the task's httpbin and bookinfo VirtualServices, and wildcard gateway hosts", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.httpbinVs(), f.bookinfoVs()]), []);
        const wild = f.mygateway();
        f.serversOf(wild)[0].hosts = ["*.example.com"];
        f.serversOf(wild)[1].hosts = ["default/bookinfo.com"];
        assert.deepStrictEqual(f.messages(rule, [wild, f.httpbinVs(), f.bookinfoVs()]), []);
    });

    it("refuses a host the gateway does not serve, `*.example.com` for example.com, and a host restricted to another namespace", () => {
        const gw = f.mygateway();
        f.serversOf(gw)[0].hosts = ["*.example.com"];
        f.serversOf(gw)[1].hosts = ["bookinfo/bookinfo.com"];
        const apex = f.virtualService("apex", "example.com", ["mygateway"]);
        assert.deepStrictEqual(f.messages(rule, [gw, f.httpbinVs(), f.bookinfoVs(), apex]), [
            `VirtualService default/bookinfo: one or more host [bookinfo.com] defined in VirtualService default/bookinfo not found in Gateway default/mygateway (IST0132)`,
            `VirtualService default/apex: one or more host [example.com] defined in VirtualService default/apex not found in Gateway default/mygateway (IST0132)`,
        ]);
    });
});
