import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError, parseConfig } from "../../components/config/parse";
import { configSchema } from "../../components/config/schema";
import { repoRoot, shippedStacks, stackConfig } from "../../commands/offline/stacks";

const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };
const host = (name: string, h: string, extra: object = {}) => ({ name, host: h, routes: [route], ...extra });

/** The problems of a config, as `path -> message`; fails when the config is accepted. */
function problems(raw: Record<string, unknown>): Map<string, string> {
    try {
        parseConfig(raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return new Map(e.problems.map((p) => [p.path, p.message]));
    }
    assert.fail("config was accepted");
}

describe("config", () => {
    it("accepts every shipped stack", () => {
        const stacks = shippedStacks();
        assert.deepStrictEqual(stacks, ["bad-example", "cert-manager", "dev", "gateway-api", "legacy", "sds"]);
        for (const s of stacks) {
            parseConfig(stackConfig(s));
        }
    });

    it("applies the documented defaults", () => {
        const c = parseConfig({ "secure-ingress:hosts": JSON.stringify([host("httpbin", "httpbin.example.com")]) });
        assert.strictEqual(c.apiLevel, "current");
        assert.strictEqual(c.gateway.name, "mygateway");
        assert.strictEqual(c.gateway.workloadNamespace, "istio-system");
        assert.strictEqual(c.gateway.secretDelivery, "mounted");
        assert.strictEqual(c.gateway.minTlsVersion, "TLSV1_2");
        assert.strictEqual(c.pki.keyAlgorithm, "ECDSA-P256");
        assert.strictEqual(c.pki.caMode, "per-host");
        assert.strictEqual(c.hosts[0].tls, "SIMPLE");
        assert.strictEqual(c.jwt.enabled, false);
    });

    it("keeps Pulumi.yaml's declared defaults equal to the schema's", () => {
        const project = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"));
        const declared = project.config as Record<string, { default: unknown }>;
        const defaults = configSchema.parse({ hosts: [host("a", "a.example.com")] }) as Record<string, unknown>;
        assert.ok(Object.keys(declared).length >= 2);
        for (const [key, spec] of Object.entries(declared)) {
            assert.strictEqual(spec.default, defaults[key.replace(/^secure-ingress:/, "")], key);
        }
    });

    it("reads JSON strings as Pulumi stores structured values", () => {
        const c = parseConfig({
            "secure-ingress:hosts": JSON.stringify([host("bookinfo", "bookinfo.com")]),
            "secure-ingress:istioVersion": "1.24",
            "other:key": "x",
        });
        assert.strictEqual(c.hosts[0].host, "bookinfo.com");
        assert.strictEqual(c.istioVersion, "1.24");
    });

    it("lists every problem by key path in one error, naming the value and the fix", () => {
        let error: ConfigError | undefined;
        try {
            parseConfig({
                hosts: [
                    host("httpbin", "Httpbin.Example.com"),
                    host("two", "bad_host"),
                    { ...host("three", "three.example.com"), tls: "STRICT" },
                ],
                gateway: { workload: "sometimes", httpsPort: 70000 },
                jwt: { enabled: true, jwksUri: "http://example.com/jwks.json" },
            });
        } catch (e) {
            error = e as ConfigError;
        }
        assert.ok(error instanceof ConfigError);
        const paths = error.problems.map((p) => p.path).sort();
        assert.deepStrictEqual(paths, [
            "secure-ingress:gateway.httpsPort",
            "secure-ingress:gateway.workload",
            "secure-ingress:hosts[0].host",
            "secure-ingress:hosts[1].host",
            "secure-ingress:hosts[2].tls",
            // A cross-key problem, reported together with the schema's.
            "secure-ingress:jwt.issuer",
            "secure-ingress:jwt.jwksUri",
        ]);
        assert.match(error.message, /secure-ingress:hosts\[0\]\.host: "Httpbin\.Example\.com" must be a lower-case DNS name/);
        assert.match(error.message, /secure-ingress:gateway\.workload: "sometimes" must be one of "managed", "patch", "none"/);
        assert.match(error.message, /secure-ingress:jwt\.jwksUri: "http:\/\/example\.com\/jwks\.json" must be an https:\/\/ URL/);
        assert.match(error.message, /secure-ingress:gateway\.httpsPort: 70000 must be a port number from 1 to 65535/);
        assert.match(error.message, /^invalid secure-ingress stack config \(7 problems\)/);
    });

    it("refuses duplicate hosts and duplicate port names", () => {
        const p = problems({
            hosts: [host("httpbin", "httpbin.example.com"), host("httpbin", "other.example.com"), host("third", "httpbin.example.com")],
        });
        assert.match(p.get("secure-ingress:hosts[1].name")!, /duplicates hosts\[0\]\.name: the port name https-httpbin must be unique/);
        assert.match(p.get("secure-ingress:hosts[2].host")!, /duplicates hosts\[0\]\.host/);
    });

    it("refuses MUTUAL with a provided certificate that brings no CA", () => {
        const p = problems({
            hosts: [host("httpbin", "httpbin.example.com", { tls: "MUTUAL", certificate: "provided" })],
            certificates: { httpbin: { certPem: "x", keyPem: "y" } },
        });
        assert.match(p.get("secure-ingress:certificates.httpbin.caPem")!, /MUTUAL TLS, which needs the CA chain/);
        assert.match(p.get("secure-ingress:certificates.httpbin.certPem")!, /is not a PEM certificate/);
        assert.match(p.get("secure-ingress:certificates.httpbin.keyPem")!, /is not an unencrypted PEM private key/);
    });

    it("refuses a provided host without certificates, and certificates for no host", () => {
        const p = problems({
            hosts: [host("httpbin", "httpbin.example.com", { certificate: "provided" })],
            certificates: { ghost: { certPem: "x", keyPem: "y" } },
        });
        assert.match(
            p.get("secure-ingress:certificates.httpbin")!,
            /is missing: hosts\[0\] \(httpbin\.example\.com\) has certificate: provided/,
        );
        assert.match(p.get("secure-ingress:certificates.ghost")!, /names no host; use one of httpbin/);
    });

    it("refuses unknown modes, empty routes, bad matches and ports out of range", () => {
        const p = problems({
            hosts: [
                { name: "a", host: "a.example.com", routes: [] },
                {
                    name: "b",
                    host: "b.example.com",
                    routes: [{ match: [{ prefix: "/x", exact: "/y" }], destination: { host: "svc", port: 0 } }],
                },
            ],
            gateway: { secretDelivery: "carrier-pigeon" },
            pki: { caMode: "none", keyAlgorithm: "ECDSA-P224" },
        });
        assert.match(p.get("secure-ingress:hosts[0].routes")!, /needs at least one route rule/);
        assert.match(p.get("secure-ingress:hosts[1].routes[0].match[0]")!, /exactly one of exact, prefix or regex/);
        assert.match(p.get("secure-ingress:hosts[1].routes[0].destination.port")!, /port number from 1 to 65535/);
        assert.match(p.get("secure-ingress:gateway.secretDelivery")!, /must be one of "mounted", "sds"/);
        assert.match(p.get("secure-ingress:pki.caMode")!, /must be one of "per-host", "shared"/);
        assert.match(p.get("secure-ingress:pki.keyAlgorithm")!, /must be one of "ECDSA-P256"/);
    });

    it("refuses JWT without an issuer or key source, and a jwt.hosts entry that names no host", () => {
        const p = problems({ hosts: [host("httpbin", "httpbin.example.com")], jwt: { enabled: true, hosts: ["nobody"] } });
        assert.match(p.get("secure-ingress:jwt.issuer")!, /is required when jwt.enabled is true/);
        assert.match(p.get("secure-ingress:jwt")!, /exactly one key source/);
        assert.match(p.get("secure-ingress:jwt.hosts[0]")!, /names no host; use one of httpbin/);
    });

    it("refuses combinations the API level cannot express", () => {
        const p = problems({
            apiLevel: "istio-1.0",
            hosts: [host("a", "a.example.com", { tls: "OPTIONAL_MUTUAL" }), host("b", "b.example.com")],
            gateway: { secretDelivery: "sds" },
            jwt: { enabled: true, issuer: "me", jwks: '{"keys":[{"kty":"oct"}]}', hosts: ["a"] },
        });
        assert.match(p.get("secure-ingress:hosts[0].tls")!, /needs Istio 1.19 or later/);
        assert.match(p.get("secure-ingress:gateway.secretDelivery")!, /does not exist in Istio 1.0/);
        assert.match(p.get("secure-ingress:jwt.hosts")!, /applies to every host/);
    });

    it("refuses mounted secrets with no workload, a redirect without HTTP, clashing ports, and render plus kubeconfig", () => {
        const p = problems({
            hosts: [host("a", "a.example.com")],
            gateway: { workload: "none", http: { enabled: false, httpsRedirect: true } },
            kubernetes: { renderDir: "out", kubeconfig: "~/.kube/config" },
        });
        assert.match(p.get("secure-ingress:gateway.workload")!, /mounted secrets need a gateway workload/);
        assert.match(p.get("secure-ingress:gateway.http.httpsRedirect")!, /needs gateway.http.enabled: true/);
        assert.match(p.get("secure-ingress:kubernetes.renderDir")!, /not both/);
        const q = problems({ hosts: [host("a", "a.example.com")], gateway: { httpsPort: 8443, http: { enabled: true, port: 8443 } } });
        assert.match(q.get("secure-ingress:gateway.http.port")!, /plain HTTP and HTTPS need different ports/);
    });

    it("refuses unknown keys and unknown fields", () => {
        const p = problems({ "secure-ingress:hosts": [host("a", "a.example.com", { sni: true })], "secure-ingress:gatway": "{}" });
        assert.match(p.get("secure-ingress:gatway")!, /is not a secure-ingress config key; did you mean gateway\?/);
        assert.match(
            p.get("secure-ingress:hosts[0].sni")!,
            /is not a field here; known: name, host, tls, certificate, certManager, routes, probe/,
        );
    });
});
