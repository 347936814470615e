import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-single-certificate-source", () => {
    const rule = "istio-gateway-single-certificate-source";

    it("passes one source per server", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.mygatewaySds()]), []);
    });

    it("refuses credentialName together with mounted files", () => {
        const gw = f.mygateway();
        f.tlsOf(gw, 0).credentialName = "httpbin-credential";
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin": only one of credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates should be specified; found credentialName and serverCertificate/privateKey`,
        ]);
    });
});
