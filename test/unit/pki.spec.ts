// The PKI argument builders (components/pki/specs.ts): key types, subjects, key usages, validity, the chains.
import * as assert from "assert";
import {
    caChain,
    caSubject,
    clientCertSpec,
    intermediateCertSpec,
    keySpec,
    leafSubject,
    rootCertSpec,
    serverChain,
    serverCertSpec,
    serverCsrSpec,
} from "../../components/pki/specs";
import { config } from "../support/configs";

const pki = (settings: object = {}) => config(undefined, { pki: settings }).pki;

describe("pki builders", () => {
    it("every key algorithm is an explicit curve or size (never the provider's P-224 default)", () => {
        assert.deepStrictEqual((["ECDSA-P256", "ECDSA-P384", "RSA-2048", "RSA-3072", "RSA-4096"] as const).map(keySpec), [
            { algorithm: "ECDSA", ecdsaCurve: "P256" },
            { algorithm: "ECDSA", ecdsaCurve: "P384" },
            { algorithm: "RSA", rsaBits: 2048 },
            { algorithm: "RSA", rsaBits: 3072 },
            { algorithm: "RSA", rsaBits: 4096 },
        ]);
    });

    it("CA subjects leave out the locality, as the task's issuer line does; leaves carry all of it and CN=<host>", () => {
        const p = pki({ subject: { country: "US", province: "Denial", locality: "Springfield", organization: "Dis" } });
        assert.deepStrictEqual(caSubject(p, "httpbin.example.com Root CA"), {
            commonName: "httpbin.example.com Root CA",
            country: "US",
            province: "Denial",
            organization: "Dis",
        });
        assert.deepStrictEqual(serverCsrSpec(p, "httpbin.example.com"), {
            subject: { country: "US", province: "Denial", locality: "Springfield", organization: "Dis", commonName: "httpbin.example.com" },
            dnsNames: ["httpbin.example.com"],
        });
        assert.deepStrictEqual(leafSubject(pki(), "a.example.com"), { commonName: "a.example.com" });
    });

    it("CAs may sign certificates; leaves sign only (plus key transport for RSA), for their own purpose", () => {
        for (const spec of [rootCertSpec(pki()), intermediateCertSpec(pki())]) {
            assert.strictEqual(spec.isCaCertificate, true);
            assert.ok(spec.allowedUses.includes("cert_signing"));
        }
        assert.deepStrictEqual(serverCertSpec(pki()).allowedUses, ["digital_signature", "server_auth"]);
        assert.deepStrictEqual(clientCertSpec(pki({ keyAlgorithm: "RSA-2048" })).allowedUses, [
            "digital_signature",
            "key_encipherment",
            "client_auth",
        ]);
    });

    it("validity hours and early renewal come from the settings, per tier", () => {
        const p = pki({ validityHours: { root: 100, intermediate: 50, server: 10, client: 5 }, earlyRenewalHours: 2 });
        assert.deepStrictEqual(
            [rootCertSpec(p), intermediateCertSpec(p), serverCertSpec(p), clientCertSpec(p)].map((s) => s.validityPeriodHours),
            [100, 50, 10, 5],
        );
        assert.deepStrictEqual([serverCertSpec(p).earlyRenewalHours, clientCertSpec(p).earlyRenewalHours], [2, 2]);
        assert.strictEqual(rootCertSpec(p).setAuthorityKeyId, true);
    });

    it("the task's ca-chain is intermediate then root; the served chain is the leaf then the intermediate; one newline each", () => {
        assert.strictEqual(caChain("INTER", "ROOT\n"), "INTER\nROOT\n");
        assert.strictEqual(serverChain("LEAF\n", "INTER"), "LEAF\nINTER\n");
    });
});
