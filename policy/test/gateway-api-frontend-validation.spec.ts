import * as assert from "assert";
import * as f from "./fixtures";
import * as g from "./gatewayApiFixtures";

function withFrontend(istio: string, refs: Record<string, string>[], mode?: string) {
    const gw = g.kubeGateway({ istio });
    (gw.props.spec as any).tls = { frontend: { default: { validation: { caCertificateRefs: refs, ...(mode ? { mode } : {}) } } } };
    return gw;
}
const configMap = { group: "", kind: "ConfigMap", name: "mygateway-client-ca" };

describe("gateway-api-frontend-validation", () => {
    const rule = "gateway-api-frontend-validation";

    it("passes one ConfigMap CA on Istio 1.30 (standard CRDs) and on 1.28 with the experimental channel; no frontend at all", () => {
        assert.deepStrictEqual(f.messages(rule, [withFrontend("1.30", [configMap])]), []);
        assert.deepStrictEqual(f.messages(rule, [withFrontend("1.28", [configMap])], { gatewayApiChannel: "experimental" }), []);
        assert.deepStrictEqual(f.messages(rule, [g.kubeGateway({ istio: "1.20" })]), []);
    });

    it("refuses what Istio or the CRD channel would drop: before 1.28, 1.29 with standard CRDs, two CAs, a Secret CA, fallback before 1.31", () => {
        const GW = "Gateway istio-system/mygateway";
        assert.deepStrictEqual(f.messages(rule, [withFrontend("1.27", [configMap])]), [
            `${GW}: Istio 1.27 ignores spec.tls.frontend (read from 1.28): its listeners verify no client certificate`,
        ]);
        const secretCa = { group: "", kind: "Secret", name: "ca" };
        assert.deepStrictEqual(f.messages(rule, [withFrontend("1.29", [configMap, secretCa], "AllowInsecureFallback")]), [
            `${GW}: Istio 1.29 vendors Gateway API v1.4, whose standard CRDs have no spec.tls.frontend: the API server drops it; install the experimental channel or target Istio 1.30+`,
            `${GW} tls.frontend.default.validation.caCertificateRefs[1]: a Secret CA reference is denied by SDS on Istio 1.29 (istio/istio#60277); use a ConfigMap with key ca.crt`,
            `${GW} tls.frontend.default: only one caCertificateRef is supported by Istio (2 given)`,
            `${GW}: AllowInsecureFallback is read by Istio 1.31 and later; Istio 1.29 verifies clients strictly`,
        ]);
    });
});
