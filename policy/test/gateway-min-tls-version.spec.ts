import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-min-tls-version", () => {
    const rule = "istio-gateway-min-tls-version";

    it("passes TLSV1_2, and an unset version on Istio >= 1.14 (Envoy's server default is TLS 1.2)", () => {
        const gw = f.mygatewaySds();
        delete f.tlsOf(gw, 1).minProtocolVersion;
        f.tlsOf(gw, 0).minProtocolVersion = "TLS_AUTO";
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), gw]), []);
    });

    it("refuses TLSV1_1, and a configured TLSV1_3 minimum", () => {
        const gw = f.mygatewaySds();
        f.tlsOf(gw, 0).minProtocolVersion = "TLSV1_1";
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": tls.minProtocolVersion TLSV1_1 is below the required minimum TLSV1_2`,
        ]);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds()], { minimumVersion: "TLSV1_3" }), [
            `${GW} server "https-httpbin": tls.minProtocolVersion TLSV1_2 is below the required minimum TLSV1_3`,
            `${GW} server "https-bookinfo": tls.minProtocolVersion TLSV1_2 is below the required minimum TLSV1_3`,
        ]);
    });

    it("refuses an unset version on Istio 1.1-1.13 (Envoy then defaulted to TLS 1.0), unless config says otherwise", () => {
        const gw = f.mygateway({ istio: "1.13" });
        delete f.tlsOf(gw, 1).minProtocolVersion;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-bookinfo": tls.minProtocolVersion is not set, which means TLSV1_0 (Envoy's server default for Istio 1.13, which predates Envoy 1.22 (envoyproxy/envoy#19330)); the required minimum is TLSV1_2: set tls.minProtocolVersion: TLSV1_2`,
        ]);
        assert.deepStrictEqual(f.messages(rule, [gw], { istioVersion: "1.22" }), []);
        assert.deepStrictEqual(f.messages(rule, [gw], { unsetMeans: "TLSV1_2" }), []);
        // Asked for TLS 1.3: Envoy's default of 1.2 is not enough.
        const current = f.mygatewaySds();
        delete f.tlsOf(current, 0).minProtocolVersion;
        f.tlsOf(current, 1).minProtocolVersion = "TLSV1_3";
        assert.deepStrictEqual(f.messages(rule, [current], { minimumVersion: "TLSV1_3" }), [
            `${GW} server "https-httpbin": tls.minProtocolVersion is not set, which means TLSV1_2 (Envoy's server default); the required minimum is TLSV1_3: set tls.minProtocolVersion: TLSV1_3`,
        ]);
    });

    it("leaves the task's Istio 1.0 Gateway (no minProtocolVersion field yet) to istio-gateway-legacy-tls-default", () => {
        const gw = f.goodLegacyStack().find((r) => r.type.endsWith(":Gateway"))!;
        assert.deepStrictEqual(f.messages(rule, [gw]), []);
    });

    it("refuses a maxProtocolVersion below the minimum", () => {
        const gw = f.mygatewaySds();
        f.tlsOf(gw, 0).maxProtocolVersion = "TLSV1_1";
        f.tlsOf(gw, 0).minProtocolVersion = "TLSV1_0";
        assert.deepStrictEqual(f.messages(rule, [gw], { minimumVersion: "TLSV1_0" }), []);
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": tls.minProtocolVersion TLSV1_0 is below the required minimum TLSV1_2`,
            `${GW} server "https-httpbin": tls.maxProtocolVersion TLSV1_1 is below the required minimum TLSV1_2`,
        ]);
    });
});

describe("istio-gateway-legacy-tls-default", () => {
    const rule = "istio-gateway-legacy-tls-default";

    it("passes Istio >= 1.1 Gateways (they can set minProtocolVersion; istio-gateway-min-tls-version applies)", () => {
        const gw = f.mygateway({ istio: "1.13" });
        delete f.tlsOf(gw, 0).minProtocolVersion;
        assert.deepStrictEqual(f.messages(rule, [gw, f.mygateway()]), []);
    });

    it("reports the task's Istio 1.0 Gateway: TLS 1.0 accepted, nothing to set, upgrade", () => {
        const gw = f.mygateway({ istio: "1.0" });
        delete f.tlsOf(gw, 0).minProtocolVersion;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": Istio 1.0 accepts TLSV1_0 here (Envoy's server default before Envoy 1.22, envoyproxy/envoy#19330) and its Gateway has no minProtocolVersion (added in Istio 1.1, istio/api#645); the required minimum is TLSV1_2: target a newer Istio`,
        ]);
    });
});
