// The VirtualService builder (components/routes/spec.ts): one per host, bound to the Gateway, its routes as written.
import * as assert from "assert";
import { gatewayReference, virtualServiceObject } from "../../components/routes/spec";
import { config, host } from "../support/configs";

describe("routes builder", () => {
    const routes = [
        { match: [{ exact: "/productpage" }, { prefix: "/api/v1/products" }], destination: { host: "productpage", port: 9080 } },
        { match: [{ regex: "/static/.*" }], destination: { host: "static.web.svc.cluster.local", port: 80 } },
    ];

    it("one VirtualService for the host, in the Gateway's namespace, each match kept as exact, prefix or regex", () => {
        const c = config([host("bookinfo", "bookinfo.com", "SIMPLE", routes)], { gateway: { namespace: "shop" } });
        const vs = virtualServiceObject(c, c.hosts[0]);
        assert.strictEqual(vs.apiVersion, "networking.istio.io/v1");
        assert.deepStrictEqual(vs.metadata, {
            name: "bookinfo",
            namespace: "shop",
            annotations: { "secure-ingress.dev/istio-version": "1.26" },
        });
        assert.deepStrictEqual(vs.spec, {
            hosts: ["bookinfo.com"],
            gateways: ["shop/mygateway"],
            http: [
                {
                    match: [{ uri: { exact: "/productpage" } }, { uri: { prefix: "/api/v1/products" } }],
                    route: [{ destination: { host: "productpage", port: { number: 9080 } } }],
                },
                {
                    match: [{ uri: { regex: "/static/.*" } }],
                    route: [{ destination: { host: "static.web.svc.cluster.local", port: { number: 80 } } }],
                },
            ],
        });
    });

    it("names the Gateway as <namespace>/<name> today, and by its bare name for Istio 1.0 (the task's form)", () => {
        assert.strictEqual(gatewayReference(config(undefined, { gateway: { name: "gw", namespace: "edge" } })), "edge/gw");
        const legacy = config(undefined, { apiLevel: "istio-1.0", istioVersion: "1.0", gateway: { name: "gw", namespace: "edge" } });
        assert.strictEqual(gatewayReference(legacy), "gw");
        assert.strictEqual(virtualServiceObject(legacy, legacy.hosts[0]).apiVersion, "networking.istio.io/v1alpha3");
    });
});
