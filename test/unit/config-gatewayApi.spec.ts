// Config of `target: gateway-api`: the default keeps the Istio target, and every combination the Gateway API (as
// Istio converts it) cannot serve is refused by path, with the value and the fix.
import * as assert from "assert";
import { ConfigError, parseConfig } from "../../components/config/parse";
import { clientValidation } from "../../components/gatewayApi/clientValidation";

const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };
const host = (name: string, tls = "SIMPLE", extra: object = {}) => ({ name, host: `${name}.example.com`, tls, routes: [route], ...extra });
const base = { target: "gateway-api", gateway: { workload: "managed", secretDelivery: "sds" } };

function problems(raw: Record<string, unknown>): Map<string, string> {
    try {
        parseConfig(raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return new Map(
            e.problems.map((p) => [
                p.path.replace(/^secure-ingress:/, ""),
                `${p.value === undefined ? "" : JSON.stringify(p.value)} ${p.message}`,
            ]),
        );
    }
    assert.fail("config was accepted");
}

describe("config: target gateway-api", () => {
    it("defaults to the Istio target with the Gateway API settings at their defaults", () => {
        const c = parseConfig({ hosts: [host("a")] });
        assert.strictEqual(c.target, "istio");
        assert.deepStrictEqual(c.gatewayApi, { gatewayClassName: "istio", channel: "standard" });
    });

    it("accepts a Gateway API stack with SDS and an Istio-deployed workload", () => {
        const c = parseConfig({ ...base, istioVersion: "1.26", hosts: [host("a", "MUTUAL"), host("b")] });
        assert.strictEqual(c.target, "gateway-api");
        assert.strictEqual(clientValidation(c), "listener-option");
    });

    it("refuses mounted certificates naming sds, a patched workload, istio-1.0 and TLS 1.3 in one error", () => {
        const p = problems({
            target: "gateway-api",
            apiLevel: "istio-1.0",
            gateway: { minTlsVersion: "TLSV1_3" },
            hosts: [host("a")],
        });
        assert.match(p.get("gateway.secretDelivery")!, /^"mounted" .*use sds/);
        assert.match(p.get("gateway.workload")!, /^"patch" .*managed .*mygateway-istio.*none/);
        assert.match(p.get("apiLevel")!, /^"istio-1.0" .*apiLevel current/);
        assert.match(p.get("gateway.minTlsVersion")!, /^"TLSV1_3" .*TLSV1_2/);
    });

    it("refuses gateway.replicas and gateway.selector, which Istio's own gateway deployment would ignore", () => {
        const p = problems({ ...base, gateway: { ...base.gateway, replicas: 3, selector: { app: "edge" } }, hosts: [host("a")] });
        assert.match(p.get("gateway.replicas")!, /^3 has no effect .*mygateway-istio.*remove it/);
        assert.match(p.get("gateway.selector")!, /^\{"app":"edge"\} has no effect .*targetRefs; remove it, or use target istio/);
        const unmanaged = problems({ ...base, gateway: { ...base.gateway, workload: "none", replicas: 2 }, hosts: [host("a")] });
        assert.match(unmanaged.get("gateway.replicas")!, /^2 .*existing Service istio-ingressgateway/);
        // The defaults written out are accepted, and both settings keep working for target istio.
        parseConfig({ ...base, gateway: { ...base.gateway, replicas: 1, selector: { istio: "ingressgateway" } }, hosts: [host("a")] });
        const istio = parseConfig({ gateway: { workload: "managed", replicas: 3, selector: { istio: "edge" } }, hosts: [host("a")] });
        assert.deepStrictEqual([istio.gateway.replicas, istio.gateway.selector], [3, { istio: "edge" }]);
    });

    it("refuses an Istio older than 1.22, naming the version", () => {
        const p = problems({ ...base, istioVersion: "1.21", hosts: [host("a")] });
        assert.match(p.get("istioVersion")!, /^"1.21" .*1\.22/);
    });

    it("chooses the Gateway-level frontend form on Istio 1.30+ when every host is mutual under one CA", () => {
        const c = parseConfig({
            ...base,
            istioVersion: "1.30",
            pki: { caMode: "shared" },
            hosts: [host("a", "MUTUAL"), host("b", "MUTUAL")],
        });
        assert.strictEqual(clientValidation(c), "frontend");
        // The same stack on 1.29 with the standard CRDs would lose the field: the listener option instead.
        const older = parseConfig({ ...base, istioVersion: "1.29", pki: { caMode: "shared" }, hosts: [host("a", "MUTUAL")] });
        assert.strictEqual(clientValidation(older), "listener-option");
        const experimental = parseConfig({
            ...base,
            istioVersion: "1.29",
            gatewayApi: { channel: "experimental" },
            hosts: [host("a", "MUTUAL")],
        });
        assert.strictEqual(clientValidation(experimental), "frontend");
        const mixed = parseConfig({ ...base, istioVersion: "1.31", hosts: [host("a", "MUTUAL"), host("b")] });
        assert.strictEqual(clientValidation(mixed), "listener-option");
    });

    it("refuses an explicit frontend form that the target Istio or CRD channel would drop, naming the version", () => {
        const old = problems({ ...base, istioVersion: "1.27", gatewayApi: { clientValidation: "frontend" }, hosts: [host("a", "MUTUAL")] });
        assert.match(old.get("istioVersion")!, /^"1.27" .*1\.28/);
        const std = problems({ ...base, istioVersion: "1.28", gatewayApi: { clientValidation: "frontend" }, hosts: [host("a", "MUTUAL")] });
        assert.match(std.get("gatewayApi.channel")!, /^"standard" .*Istio 1\.28 .*experimental/);
    });

    it("refuses the frontend form for a SIMPLE host on the same port, OPTIONAL_MUTUAL, and two CAs", () => {
        const p = problems({
            ...base,
            istioVersion: "1.31",
            gatewayApi: { clientValidation: "frontend" },
            pki: { caMode: "per-host" },
            hosts: [host("a", "MUTUAL"), host("b", "OPTIONAL_MUTUAL"), host("c")],
        });
        assert.match(p.get("hosts[2].tls")!, /^"SIMPLE" .*every listener of a port.*listener-option/);
        assert.match(p.get("hosts[1].tls")!, /^"OPTIONAL_MUTUAL" .*60113/);
        assert.match(p.get("gatewayApi.clientValidation")!, /^"frontend" .*one caCertificateRef/);
    });

    it("refuses OPTIONAL_MUTUAL through the listener option before Istio 1.27", () => {
        const p = problems({ ...base, istioVersion: "1.26", hosts: [host("a", "OPTIONAL_MUTUAL")] });
        assert.match(p.get("hosts[0].tls")!, /^"OPTIONAL_MUTUAL" .*1\.27.*1\.26/);
        parseConfig({ ...base, istioVersion: "1.27", hosts: [host("a", "OPTIONAL_MUTUAL")] });
    });

    it("refuses a client validation setting on the Istio target", () => {
        const p = problems({ gatewayApi: { clientValidation: "frontend" }, hosts: [host("a")] });
        assert.match(p.get("gatewayApi.clientValidation")!, /is ignored: target is istio/);
    });
});
