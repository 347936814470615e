import * as assert from "assert";
import * as f from "./fixtures";
import * as g from "./gatewayApiFixtures";

describe("gateway-api-certificate-refs", () => {
    const rule = "gateway-api-certificate-refs";

    it("passes certificateRefs to the stack's Secrets, and to Secrets listed as external", () => {
        assert.deepStrictEqual(f.messages(rule, g.goodGatewayApiStack()), []);
        assert.deepStrictEqual(
            f.messages(rule, [g.kubeGateway(), g.credentials()[0]], { externalSecrets: ["istio-system/bookinfo-credential"] }),
            [],
        );
    });

    it("refuses a Secret the stack lacks and a reference of another kind", () => {
        const gw = g.kubeGateway();
        g.listenersOf(gw)[0].tls.certificateRefs[0] = { group: "", kind: "ConfigMap", name: "httpbin-credential" };
        assert.deepStrictEqual(f.messages(rule, [gw, g.credentials()[0]]), [
            "Gateway istio-system/mygateway listeners[0].tls.certificateRefs[0]: invalid certificate reference core/ConfigMap istio-system/httpbin-credential, only secret is allowed",
            "Gateway istio-system/mygateway listeners[1].tls.certificateRefs[0]: invalid certificate reference, secret istio-system/bookinfo-credential not found in the stack (add it, or list it in externalSecrets)",
        ]);
    });
});
