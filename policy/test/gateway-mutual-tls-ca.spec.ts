import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-mutual-tls-ca", () => {
    const rule = "istio-gateway-mutual-tls-ca";

    it("passes a file CA (the task's caCertificates), a credential with ca.crt, and a <name>-cacert secret", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway()]), []);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds(), ...f.sdsSecrets()]), []);
        const separate = [
            f.mygatewaySds(),
            f.secret("httpbin-credential", { key: "k", cert: "c" }, { plain: true }),
            f.secret("httpbin-credential-cacert", { cacert: "ca" }, { plain: true }),
        ];
        assert.deepStrictEqual(f.messages(rule, separate), []);
    });

    it("refuses MUTUAL without caCertificates, and a credential secret without a CA", () => {
        const gw = f.mygateway();
        delete f.tlsOf(gw, 0).caCertificates;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin" (MUTUAL): MUTUAL TLS requires a client CA bundle: set tls.caCertificates, or use a credentialName secret that holds ca.crt (or cacert)`,
        ]);
        const sds = f.mygatewaySds();
        f.tlsOf(sds, 1).mode = "OPTIONAL_MUTUAL";
        assert.deepStrictEqual(f.messages(rule, [sds, ...f.sdsSecrets()]), [
            `${GW} server "https-bookinfo" (OPTIONAL_MUTUAL): no client CA for credentialName "bookinfo-credential": secret istio-system/bookinfo-credential has no ca.crt or cacert key, and there is no istio-system/bookinfo-credential-cacert secret; Istio would fail the SDS fetch at runtime`,
        ]);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds()]), [
            `${GW} server "https-httpbin" (MUTUAL): no client CA for credentialName "httpbin-credential": secret istio-system/httpbin-credential is not in the stack, and there is no istio-system/httpbin-credential-cacert secret; Istio would fail the SDS fetch at runtime`,
        ]);
    });
});
