// The cert-manager rules on Certificates and Issuers as cert-manager.io/v1 writes them.
import * as assert from "assert";
import { certManagerIssuerRef, certManagerKeyStrength, certManagerRenewal } from "../rules/cert-manager";
import { PolicyResource } from "../rules";

const res = (kind: string, props: Record<string, unknown>): PolicyResource => ({
    type: `kubernetes:cert-manager.io/v1:${kind}`,
    name: String((props.metadata as any).name),
    props,
});

describe("cert-manager rules", () => {
    it("renewBefore vs duration, key size, and an issuerRef the stack lacks (each passing and failing)", () => {
        const good = res("Certificate", {
            metadata: { name: "a", namespace: "istio-system" },
            spec: {
                secretName: "a",
                duration: "24h",
                renewBefore: "8h",
                privateKey: { algorithm: "ECDSA", size: 256 },
                issuerRef: { name: "ca" },
            },
        });
        const bad = res("Certificate", {
            metadata: { name: "b", namespace: "istio-system" },
            spec: {
                secretName: "b",
                duration: "24h",
                renewBefore: "24h",
                privateKey: { algorithm: "RSA", size: 1024 },
                issuerRef: { name: "nope" },
            },
        });
        const issuer = res("Issuer", { metadata: { name: "ca", namespace: "istio-system" }, spec: { ca: { secretName: "k" } } });
        assert.deepStrictEqual(certManagerRenewal.check(good, {}), []);
        assert.match(certManagerRenewal.check(bad, {})[0].message, /must be shorter than the duration 24h/);
        assert.deepStrictEqual(certManagerKeyStrength.check(good, {}), []);
        assert.match(certManagerKeyStrength.check(bad, {})[0].message, /RSA key of 1024 bits/);
        const found = certManagerIssuerRef.check([good, bad, issuer], {});
        assert.deepStrictEqual(
            found.map((f) => f.resource?.name),
            ["b"],
        );
    });
});
