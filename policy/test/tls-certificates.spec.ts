import * as assert from "assert";
import * as f from "./fixtures";

describe("tls-leaf-validity", () => {
    const rule = "tls-leaf-validity";

    it("passes one-year leaves and ten-year CAs", () => {
        assert.deepStrictEqual(f.messages(rule, f.pki()), []);
    });

    it("refuses a two-year server certificate", () => {
        const cert = f.locallySignedCert("httpbin-server", {
            isCaCertificate: false,
            validityPeriodHours: 17520,
            allowedUses: ["server_auth"],
        });
        assert.deepStrictEqual(f.messages(rule, [cert]), [
            `tls.LocallySignedCert "httpbin-server": leaf certificate valid for 17520 hours (730 days) exceeds the maximum of 398 days (9552 hours)`,
        ]);
    });
});

describe("tls-ca-cert-signing", () => {
    const rule = "tls-ca-cert-signing";

    it("passes CAs with cert_signing", () => {
        assert.deepStrictEqual(f.messages(rule, f.pki()), []);
    });

    it("refuses a CA whose allowedUses lack cert_signing (the provider adds none)", () => {
        const ca = f.selfSignedCert("root", {
            isCaCertificate: true,
            validityPeriodHours: 87600,
            allowedUses: ["digital_signature", "crl_signing"],
        });
        assert.deepStrictEqual(f.messages(rule, [ca]), [
            `tls.SelfSignedCert "root": CA certificate (isCaCertificate: true) without cert_signing in allowedUses [digital_signature, crl_signing] cannot sign certificates`,
        ]);
    });
});

describe("tls-leaf-not-ca", () => {
    const rule = "tls-leaf-not-ca";

    it("passes server and client leaves that are not CAs", () => {
        assert.deepStrictEqual(f.messages(rule, f.pki()), []);
    });

    it("refuses a client certificate marked as a CA", () => {
        const cert = f.locallySignedCert("httpbin-client", {
            isCaCertificate: true,
            validityPeriodHours: 8760,
            allowedUses: ["cert_signing", "client_auth"],
        });
        assert.deepStrictEqual(f.messages(rule, [cert]), [
            `tls.LocallySignedCert "httpbin-client": leaf certificate (allowedUses client_auth) is marked isCaCertificate: true; issue leaves with isCaCertificate: false`,
        ]);
    });
});
