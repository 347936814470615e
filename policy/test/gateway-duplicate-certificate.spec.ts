import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-duplicate-certificate (IST0138)", () => {
    const rule = "istio-gateway-duplicate-certificate";

    it("passes one Gateway with one certificate per host", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway()]), []);
    });

    it("reports the same credentialName on two gateways with the same selector, on both", () => {
        const a = f.mygatewaySds();
        const b = f.mygatewaySds();
        (b.props.metadata as any).name = "bookinfo-gateway";
        f.serversOf(b).splice(0, 1);
        f.tlsOf(b, 0).credentialName = "httpbin-credential";
        assert.deepStrictEqual(f.messages(rule, [a, b]), [
            `${GW}: duplicate certificate in multiple gateways [default/mygateway default/bookinfo-gateway] may cause 404s if clients re-use HTTP2 connections (credentialName "httpbin-credential") (IST0138)`,
            `Gateway default/bookinfo-gateway: duplicate certificate in multiple gateways [default/bookinfo-gateway default/mygateway] may cause 404s if clients re-use HTTP2 connections (credentialName "httpbin-credential") (IST0138)`,
        ]);
    });

    it("reports the same certificate files on gateways whose selectors overlap (subset), not on disjoint ones", () => {
        const a = f.mygateway();
        const b = f.mygateway();
        (b.props.metadata as any).name = "other";
        (b.props.spec as any).selector = { istio: "ingressgateway", app: "edge" };
        assert.deepStrictEqual(f.messages(rule, [a, b]), [
            `${GW}: duplicate certificate in multiple gateways [default/mygateway default/other] may cause 404s if clients re-use HTTP2 connections (serverCertificate "/etc/istio/ingressgateway-certs/tls.crt" and privateKey "/etc/istio/ingressgateway-certs/tls.key") (IST0138)`,
        ]);
        (b.props.spec as any).selector = { istio: "eastwestgateway" };
        assert.deepStrictEqual(f.messages(rule, [a, b]), []);
    });
});
