import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-conflict (IST0145)", () => {
    const rule = "istio-gateway-conflict";

    it("passes gateways that differ in selector, port or host", () => {
        const other = f.mygatewaySds();
        (other.props.metadata as any).name = "other";
        f.serversOf(other).forEach((s: any) => {
            s.hosts = ["other.example.com"];
        });
        const otherPort = f.mygatewaySds();
        (otherPort.props.metadata as any).name = "alt-port";
        f.serversOf(otherPort).forEach((s: any) => {
            s.port.number = 8443;
        });
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), other, otherPort]), []);
    });

    it("reports two gateways with the same selector, port 443 and a wildcard host that covers httpbin.example.com", () => {
        const wild = f.mygatewaySds();
        (wild.props.metadata as any).name = "wildcard";
        f.serversOf(wild).splice(1, 1);
        f.serversOf(wild)[0].hosts = ["*.example.com"];
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), wild]), [
            `${GW} server "https-httpbin": conflict with gateways default/wildcard (workload selector istio=ingressgateway, port 443, hosts httpbin.example.com) (IST0145)`,
            `Gateway default/wildcard server "https-httpbin": conflict with gateways default/mygateway (workload selector istio=ingressgateway, port 443, hosts *.example.com) (IST0145)`,
        ]);
    });
});
