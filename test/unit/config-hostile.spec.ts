// Careless and hostile config: prototype names as keys, secrets in refused values, problems in both stages at once.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { generateKeyPairSync } from "crypto";
import { ConfigError, parseConfig } from "../../components/config/parse";

const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };
const host = (name: string, h: string, extra: object = {}) => ({ name, host: h, routes: [route], ...extra });

function refusal(raw: Record<string, unknown>, opts = {}): ConfigError {
    try {
        parseConfig(raw, opts);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e;
    }
    assert.fail("config was accepted");
}

describe("config: hostile and careless input", () => {
    for (const name of ["constructor", "tostring", "valueof", "hasownproperty", "proto"]) {
        it(`a provided-certificate host named ${name} is refused for its missing PEMs, not by a crash`, () => {
            const e = refusal({ hosts: [host(name, "a.example.com", { certificate: "provided" })] });
            assert.deepStrictEqual(
                e.problems.map((p) => p.path),
                [`secure-ingress:certificates.${name}`],
            );
            assert.match(e.problems[0].message, /^is missing: hosts\[0\] \(a\.example\.com\) has certificate: provided/);
        });
    }

    it("is a pulumi.RunError, so the CLI prints the message without a stack trace", () => {
        assert.ok(pulumi.RunError.isInstance(refusal({ hosts: "x" })));
    });

    it("never prints a private key, a secret key's value, or any part of them", () => {
        const keyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
        const e = refusal(
            {
                hosts: [host("a", "a.example.com", { certificate: "provided" })],
                certificates: { a: { certPem: keyPem, keyPem: "", clientKeyPem: keyPem } },
                jwt: { enabled: "sure", issuer: "hunter2-issuer" },
            },
            { secretKeys: ["secure-ingress:jwt"] },
        );
        const body = keyPem.split("\n")[1];
        const printed = e.message + JSON.stringify(e.problems);
        assert.ok(!printed.includes(body), printed);
        assert.ok(!printed.includes("hunter2"), printed);
        assert.ok(!printed.includes("PRIVATE KEY"), printed);
        for (const p of e.problems.filter((x) => /certificates|jwt/.test(x.path) && x.value !== undefined)) {
            assert.strictEqual(p.value, "(secret)", p.path);
        }
        assert.ok(e.problems.some((p) => p.path === "secure-ingress:jwt.enabled"));
        assert.ok(e.problems.some((p) => p.path === "secure-ingress:certificates.a.keyPem"));
    });

    it("reports schema and cross-key problems together, with hosts counted as written", () => {
        const e = refusal({
            hosts: [host("bad_name", "a.example.com"), host("b", "b.example.com"), host("b", "c.example.com")],
            gateway: { workload: "none", httpsPort: "443" },
            jwt: { enabled: true, jwksUri: "https://example.com/jwks.json" },
        });
        const byPath = new Map(e.problems.map((p) => [p.path, p.message]));
        assert.match(byPath.get("secure-ingress:hosts[0].name")!, /DNS-1123 label/);
        assert.match(byPath.get("secure-ingress:gateway.httpsPort")!, /^must be a number, not a string: write a number without quotes$/);
        // The duplicate is the third host as written, although the refused first one was left out for the checks.
        assert.match(byPath.get("secure-ingress:hosts[2].name")!, /duplicates hosts\[1\]\.name/);
        assert.match(byPath.get("secure-ingress:jwt.issuer")!, /is required when jwt.enabled is true/);
        assert.match(byPath.get("secure-ingress:gateway.workload")!, /mounted secrets need a gateway workload/);
    });

    it("replaces zod's texts and suggests the nearest key or value", () => {
        const e = refusal({ hosts: [host("a", "a.example.com", { tsl: "MUTUAL", tls: "MUTAL" })], pkki: "{}", gateway: { replicas: 0 } });
        const byPath = new Map(e.problems.map((p) => [p.path, p.message]));
        assert.match(byPath.get("secure-ingress:pkki")!, /^is not a secure-ingress config key; did you mean pki\?/);
        assert.match(byPath.get("secure-ingress:hosts[0].tsl")!, /^is not a field here; did you mean tls\?/);
        assert.match(
            byPath.get("secure-ingress:hosts[0].tls")!,
            /must be one of "SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"; did you mean "MUTUAL"\?/,
        );
        assert.strictEqual(byPath.get("secure-ingress:gateway.replicas"), "is too small; use at least 1");
        assert.match(e.message, /secure-ingress:pkki: \{\} is not a secure-ingress config key/);
        assert.ok(!/Invalid input|Too (big|small)|expected .* received/.test(e.message), e.message);
    });
});
