import * as assert from "assert";
import * as f from "./fixtures";

describe("tls-key-strength", () => {
    const rule = "tls-key-strength";

    it("passes ECDSA P-256/P-384, RSA 2048 (also the provider default), ED25519", () => {
        const keys = [
            f.privateKey("p256"),
            f.privateKey("p384", { algorithm: "ECDSA", ecdsaCurve: "P384" }),
            f.privateKey("rsa", { algorithm: "RSA", rsaBits: 3072 }),
            f.privateKey("rsa-default", { algorithm: "RSA" }),
            f.privateKey("ed", { algorithm: "ED25519" }),
        ];
        assert.deepStrictEqual(f.messages(rule, keys), []);
    });

    it("refuses P-224, explicit or by the provider default, and RSA 1024", () => {
        const keys = [
            f.privateKey("ca-key", { algorithm: "ECDSA" }),
            f.privateKey("p224", { algorithm: "ECDSA", ecdsaCurve: "P224" }),
            f.privateKey("rsa1024", { algorithm: "RSA", rsaBits: 1024 }),
        ];
        assert.deepStrictEqual(f.messages(rule, keys), [
            `tls.PrivateKey "ca-key": ECDSA curve P224 (ecdsaCurve is not set, and the provider's default curve is P224) is refused; set ecdsaCurve to P256 or stronger (at least 256 bits)`,
            `tls.PrivateKey "p224": ECDSA curve P224 is refused; set ecdsaCurve to P256 or stronger (at least 256 bits)`,
            `tls.PrivateKey "rsa1024": RSA key of 1024 bits is too weak; use at least 2048 bits (rsaBits)`,
        ]);
    });

    it("takes its thresholds from config", () => {
        const keys = [f.privateKey("rsa", { algorithm: "RSA", rsaBits: 2048 }), f.privateKey("p256")];
        assert.deepStrictEqual(f.messages(rule, keys, { minRsaBits: 3072, minEcdsaBits: 384 }), [
            `tls.PrivateKey "rsa": RSA key of 2048 bits is too weak; use at least 3072 bits (rsaBits)`,
            `tls.PrivateKey "p256": ECDSA curve P256 is refused; set ecdsaCurve to P256 or stronger (at least 384 bits)`,
        ]);
    });
});
