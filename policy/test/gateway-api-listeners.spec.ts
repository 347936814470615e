import * as assert from "assert";
import * as f from "./fixtures";
import * as g from "./gatewayApiFixtures";

describe("gateway-api-listener-conflicts", () => {
    const rule = "gateway-api-listener-conflicts";

    it("passes one listener per host on 443 and the HTTP listener", () => {
        assert.deepStrictEqual(f.messages(rule, [g.kubeGateway()]), []);
    });

    it("refuses a repeated listener name and two listeners for the same host on the same port", () => {
        const gw = g.kubeGateway();
        const ls = g.listenersOf(gw);
        ls[1].name = "https-httpbin";
        ls.push({ ...ls[0], name: "https-again" });
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `Gateway istio-system/mygateway: Listener name must be unique within the Gateway: "https-httpbin" (listeners[0] and listeners[1])`,
            "Gateway istio-system/mygateway: Combination of port, protocol and hostname must be unique for each listener: listeners[0] and listeners[3] are both HTTPS httpbin.example.com on port 443",
        ]);
    });
});
