import * as assert from "assert";
import * as f from "./fixtures";
import * as g from "./gatewayApiFixtures";

describe("gateway-api-reference-grants", () => {
    const rule = "gateway-api-reference-grants";

    it("passes same-namespace references, and cross-namespace ones a ReferenceGrant allows", () => {
        assert.deepStrictEqual(f.messages(rule, g.goodGatewayApiStack()), []);
        const route = g.httpRoute("bookinfo", "bookinfo.com", { name: "productpage", port: 9080, namespace: "shop" });
        const grant = g.referenceGrant("shop", { kind: "HTTPRoute", namespace: "default" }, { kind: "Service", name: "productpage" });
        assert.deepStrictEqual(f.messages(rule, [g.kubeGateway(), route, grant]), []);
    });

    it("refuses a backendRef and a certificateRef into another namespace without a grant, and a grant for the wrong kind", () => {
        const route = g.httpRoute("bookinfo", "bookinfo.com", { name: "productpage", port: 9080, namespace: "shop" });
        const wrong = g.referenceGrant("shop", { kind: "Gateway", namespace: "default" }, { kind: "Service" });
        const gw = g.kubeGateway();
        g.listenersOf(gw)[1].tls.certificateRefs[0].namespace = "certs";
        assert.deepStrictEqual(f.messages(rule, [gw, route, wrong]), [
            'Gateway istio-system/mygateway listeners[1].tls.certificateRefs[0]: Secret certs/bookinfo-credential not accessible to a Gateway in namespace "istio-system" (missing a ReferenceGrant in certs)',
            'HTTPRoute default/bookinfo rules[0].backendRefs[0]: Service shop/productpage not accessible to a HTTPRoute in namespace "default" (missing a ReferenceGrant in shop)',
        ]);
    });
});
