import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

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
