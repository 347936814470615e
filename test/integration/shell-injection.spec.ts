// Every printed line (testCommands, environment, troubleshooting) run by real bash with a hostile value in every
// config field that reaches it: nothing the value holds executes, and each program receives the value intact.
// The programs the lines call are stubs on PATH that record their argv; nothing touches the network.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../../components/config/parse";
import { SecureIngressConfig } from "../../components/config/schema";
import { environmentCommands, IngressEndpoint, testCommands, troubleshootingCommands } from "../../components/outputs/commands";

/** Shell syntax of every kind: substitution, backticks, separators, quotes of both kinds, newline, globs, tilde. */
const payload = (field: string) =>
    `${field}'q"d $(touch PWNED-a) \`touch PWNED-b\`; touch PWNED-c && touch PWNED-d | x\ntouch PWNED-e $HOME * ~ \\ !x`;

const stubbed = ["curl", "kubectl", "openssl", "grep", "base64", "istioctl", "npm", "pulumi"];

interface Call {
    program: string;
    argv: string[];
}

class Sandbox {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "shell-injection-"));
    readonly work = path.join(this.root, "work");
    readonly calls = path.join(this.root, "calls");
    readonly bin = path.join(this.root, "bin");

    constructor() {
        for (const d of [this.work, this.calls, this.bin]) {
            fs.mkdirSync(d);
        }
        for (const p of stubbed) {
            // Each call: its program name, then every argument, NUL-separated, in a file of its own.
            const script = `#!/bin/bash\nf=$(mktemp "$CALLS/call.XXXXXXXX")\nprintf '%s\\0' "${p}" "$@" > "$f"\n${p === "kubectl" ? "echo gw-pod-0\n" : ""}`;
            fs.writeFileSync(path.join(this.bin, p), script, { mode: 0o755 });
        }
    }

    /** Runs one line; returns its exit code, stderr and the calls it made. */
    run(line: string, env: Record<string, string> = {}): { code: number; stderr: string; calls: Call[] } {
        for (const f of fs.readdirSync(this.calls)) {
            fs.rmSync(path.join(this.calls, f));
        }
        const r = spawnSync("bash", ["-c", line], {
            cwd: this.work,
            encoding: "utf8",
            env: { PATH: `${this.bin}:/usr/bin:/bin`, HOME: this.root, CALLS: this.calls, ...env },
        });
        const calls = fs.readdirSync(this.calls).map((f) => {
            const parts = fs.readFileSync(path.join(this.calls, f), "utf8").split("\0").slice(0, -1);
            return { program: parts[0], argv: parts.slice(1) };
        });
        return { code: r.status ?? -1, stderr: r.stderr, calls };
    }

    /** Files anywhere under the sandbox whose name says an injected command ran. */
    pwned(): string[] {
        const found: string[] = [];
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                if (e.isDirectory()) {
                    walk(path.join(d, e.name));
                } else if (e.name.startsWith("PWNED")) {
                    found.push(path.join(d, e.name));
                }
            }
        };
        walk(this.root);
        return found;
    }

    remove() {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

/** A valid config, then a payload in every field that reaches a printed command (the builders are pure, so no validation). */
function hostileConfig(variant: {
    secretDelivery: "mounted" | "sds";
    token: "url" | "self" | "external";
    http: boolean;
    target?: "gateway-api";
}): SecureIngressConfig {
    const route = (m: object) => ({ match: [m], destination: { host: "httpbin", port: 8000 } });
    const c = parseConfig({
        ...(variant.target ? { target: variant.target, istioVersion: "1.31" } : {}),
        hosts: [
            { name: "a", host: "a.example.com", tls: "MUTUAL", routes: [route({ exact: "/x" })] },
            { name: "b", host: "b.example.com", routes: [route({ prefix: "/y" })] },
            {
                name: "c",
                host: "c.example.com",
                tls: "OPTIONAL_MUTUAL",
                probe: { path: "/z", status: 200 },
                routes: [route({ prefix: "/" })],
            },
        ],
        gateway: {
            workload: "managed",
            secretDelivery: variant.secretDelivery,
            http: { enabled: variant.http, port: 80, httpsRedirect: false },
        },
        jwt: {
            enabled: true,
            issuer: "me@example.com",
            ...(variant.token === "self" ? { selfIssued: { enabled: true } } : { jwksUri: "https://example.com/jwks.json" }),
            ...(variant.token === "url" ? { testTokenUrl: "https://example.com/token" } : {}),
        },
    });
    c.hosts.forEach((h, i) => {
        h.name = payload(`name${i}`);
        h.host = payload(`host${i}`);
    });
    c.hosts[0].routes[0].match[0].exact = payload("exact");
    c.hosts[1].routes[0].match[0].prefix = payload("prefix");
    c.hosts[2].probe!.path = payload("probe");
    c.gateway.workloadNamespace = payload("ns");
    c.gateway.workloadName = payload("workload");
    c.gateway.name = payload("gateway");
    c.gateway.namespace = payload("routens");
    c.gateway.selector = { [payload("labelkey")]: payload("labelvalue"), app: payload("app") };
    if (variant.token === "url") {
        c.jwt.testTokenUrl = payload("tokenurl");
    }
    return c;
}

const env = { INGRESS_HOST: "192.0.2.1", INGRESS_PORT: "8080", SECURE_INGRESS_PORT: "8443", TOKEN: "tok.en.value" };

/** The curl argv a test command must produce, from the task's layout (written out here, not taken from the code). */
function expectedCurl(
    host: string,
    path: string,
    o: { statusOnly: boolean; clientCert: boolean; token: boolean; http: boolean; address: string; port: string; httpPort: string },
): string[] {
    const bearer = o.token ? ["--header", `Authorization: Bearer ${env.TOKEN}`] : [];
    if (o.http) {
        return [...bearer, "-I", `-HHost:${host}`, `http://${o.address}:${o.httpPort}${path}`];
    }
    return [
        ...(o.statusOnly ? ["-o", "/dev/null", "-s", "-v", "-w", "%{http_code}\\n"] : ["-v"]),
        `-HHost:${host}`,
        "--resolve",
        `${host}:${o.port}:${o.address}`,
        "--cacert",
        `${host}/2_intermediate/certs/ca-chain.cert.pem`,
        ...(o.clientCert ? ["--cert", `${host}/4_client/certs/${host}.cert.pem`, "--key", `${host}/4_client/private/${host}.key.pem`] : []),
        ...bearer,
        `https://${host}:${o.port}${path}`,
    ];
}

describe("printed commands under hostile config values", function () {
    this.timeout(60_000);
    const box = new Sandbox();
    after(() => box.remove());

    const variants = [
        { secretDelivery: "mounted", token: "url", http: false },
        { secretDelivery: "sds", token: "self", http: true },
        { secretDelivery: "mounted", token: "external", http: true },
        { secretDelivery: "sds", token: "self", http: true, target: "gateway-api" },
    ] as const;
    const endpoints: (IngressEndpoint | undefined)[] = [undefined, { host: payload("lb-address"), httpPort: 80, httpsPort: 443 }];

    for (const v of variants) {
        for (const ep of endpoints) {
            it(`${"target" in v ? `${v.target}, ` : ""}${v.secretDelivery} secrets, ${v.token} token, http ${v.http}, ${ep ? "known address" : "environment address"}: nothing executes, argv intact`, () => {
                const c = hostileConfig(v);
                const lines = [
                    ...testCommands(c, ep).map((t) => ({ line: t.command, test: t })),
                    ...environmentCommands(c, ep).map((line) => ({ line, test: undefined })),
                    ...troubleshootingCommands(c).map((line) => ({ line, test: undefined })),
                ];
                assert.ok(lines.length >= 15, `only ${lines.length} lines`);
                const address = ep ? ep.host : env.INGRESS_HOST;
                const port = ep ? String(ep.httpsPort) : env.SECURE_INGRESS_PORT;
                const httpPort = ep ? String(ep.httpPort) : env.INGRESS_PORT;
                const paths = [payload("exact"), payload("prefix"), payload("probe")];
                let curls = 0;
                for (const { line, test } of lines) {
                    const r = box.run(line, env);
                    assert.deepStrictEqual(box.pwned(), [], `ran injected code: ${line}`);
                    assert.strictEqual(r.code, 0, `${line}\n${r.stderr}`);
                    if (!test) {
                        continue;
                    }
                    const i = c.hosts.findIndex((h) => h.host === test.host);
                    const jwt = test.id.endsWith("-jwt-without-token") || test.id.endsWith("-jwt-with-token");
                    const curl = r.calls.filter((x) => x.program === "curl");
                    assert.strictEqual(curl.length, 1, line);
                    curls++;
                    // Every host is protected (jwt.hosts empty), so every line but the tokenless JWT check carries the token.
                    // No probe names a body, so every HTTPS line prints the status only.
                    const expected = expectedCurl(payload(`host${i}`), paths[i], {
                        statusOnly: true,
                        clientCert: test.id.includes("with-client-cert") || (jwt && !v.http),
                        token: !test.id.endsWith("-jwt-without-token"),
                        http: jwt && v.http,
                        address,
                        port,
                        httpPort,
                    });
                    assert.deepStrictEqual(curl[0].argv, expected, test.id);
                }
                assert.strictEqual(curls, 7);
                const kubectlArgs = lines.flatMap(({ line }) =>
                    box
                        .run(line, env)
                        .calls.filter((x) => x.program === "kubectl")
                        .map((x) => x.argv),
                );
                const gatewayApi = "target" in v;
                // Istio labels the pods it deploys for a Gateway API Gateway with the Gateway's name.
                const selector = gatewayApi
                    ? `gateway.networking.k8s.io/gateway-name=${payload("gateway")}`
                    : `${payload("labelkey")}=${payload("labelvalue")},app=${payload("app")}`;
                assert.ok(kubectlArgs.some((a) => a.join("\0") === ["logs", "-n", payload("ns"), "-l", selector].join("\0")));
                assert.ok(kubectlArgs.some((a) => a.join("\0") === ["delete", "pod", "-n", payload("ns"), "-l", selector].join("\0")));
                if (!ep) {
                    const source = gatewayApi ? ["get", "gateway", payload("gateway")] : ["get", "service", payload("workload")];
                    assert.ok(kubectlArgs.some((a) => a.slice(0, 5).join("\0") === ["-n", payload("ns"), ...source].join("\0")));
                }
                if (gatewayApi) {
                    assert.ok(
                        kubectlArgs.some((a) => a.slice(0, 4).join("\0") === ["-n", payload("routens"), "get", "httproute"].join("\0")),
                    );
                }
                if (v.secretDelivery === "sds") {
                    assert.ok(
                        kubectlArgs.some(
                            (a) =>
                                a.slice(0, 5).join("\0") ===
                                ["-n", payload("ns"), "get", "secret", `${payload("name1")}-credential`].join("\0"),
                        ),
                    );
                } else {
                    assert.ok(
                        kubectlArgs.some(
                            (a) =>
                                a.join("\0") ===
                                [
                                    "exec",
                                    "-i",
                                    "-n",
                                    payload("ns"),
                                    "gw-pod-0",
                                    "--",
                                    "ls",
                                    "-al",
                                    `/etc/istio/ingressgateway-${payload("name1")}-certs`,
                                ].join("\0"),
                        ),
                    );
                }
                if (v.token === "url") {
                    const r = box.run(
                        environmentCommands(c, ep).find((l) => l.startsWith("export TOKEN="))!,
                        env,
                    );
                    assert.deepStrictEqual(r.calls, [{ program: "curl", argv: [payload("tokenurl"), "-s"] }]);
                }
            });
        }
    }

    it("cert-manager hosts: --cacert names the issuing root or the outside issuer's CA file, the Certificate checks run intact", () => {
        const c = hostileConfig({ secretDelivery: "sds", token: "self", http: false });
        c.pki.issuer = "cert-manager";
        c.hosts[0].certificate = "cert-manager";
        c.hosts[1].certificate = "cert-manager";
        c.hosts[1].certManager = {
            issuerRef: { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" },
            privateKey: { rotationPolicy: "Always" },
        };
        const lines = [...testCommands(c).map((t) => t.command), ...environmentCommands(c), ...troubleshootingCommands(c)];
        const argvs = lines.flatMap((line) => {
            const r = box.run(line, env);
            assert.deepStrictEqual(box.pwned(), [], `ran injected code: ${line}`);
            assert.strictEqual(r.code, 0, `${line}\n${r.stderr}`);
            return r.calls;
        });
        const cacerts = argvs.filter((x) => x.program === "curl").map((x) => x.argv[x.argv.indexOf("--cacert") + 1]);
        const [h0, h1, h2] = [0, 1, 2].map((i) => payload(`host${i}`));
        assert.ok(cacerts.includes(`${h0}/1_root/certs/ca.cert.pem`), cacerts.join("\n"));
        assert.ok(cacerts.includes(`${h1}/3_application/certs/issuer-ca.cert.pem`), cacerts.join("\n"));
        assert.ok(cacerts.includes(`${h2}/2_intermediate/certs/ca-chain.cert.pem`), cacerts.join("\n"));
        const kubectl = argvs.filter((x) => x.program === "kubectl").map((x) => x.argv.join("\0"));
        for (const i of [0, 1]) {
            const cert = `${payload(`name${i}`)}-credential`;
            assert.ok(kubectl.includes(["-n", payload("ns"), "get", "certificate", cert, "-o", "wide"].join("\0")), cert);
            assert.ok(kubectl.includes(["-n", payload("ns"), "describe", "certificate", cert].join("\0")), cert);
        }
        assert.ok(argvs.some((x) => x.program === "npm" && x.argv.join(" ") === "run certs -- --from-cluster"));
    });

    it("an external issuer without testTokenUrl: with TOKEN unset the token lines stop before curl and say why", () => {
        const c = hostileConfig({ secretDelivery: "mounted", token: "external", http: true });
        const withToken = testCommands(c).find((t) => t.id.endsWith("-jwt-with-token"))!;
        assert.match(withToken.description, /export TOKEN first: this stack has no test token/);
        const { TOKEN: _unset, ...noToken } = env;
        const r = box.run(withToken.command, noToken);
        assert.strictEqual(r.code, 127);
        assert.deepStrictEqual(r.calls, []);
        assert.match(r.stderr, /TOKEN: set TOKEN to a JWT signed by the key of jwt.jwksUri or jwt.jwks and issued by jwt.issuer/);
        const setup = environmentCommands(c).find((l) => l.includes("TOKEN"))!;
        assert.notStrictEqual(box.run(setup, noToken).code, 0);
        assert.strictEqual(box.run(setup, env).code, 0);
        // Without a token the check itself still runs and expects the AuthorizationPolicy's refusal.
        const without = testCommands(c).find((t) => t.id.endsWith("-jwt-without-token"))!;
        assert.strictEqual(box.run(without.command, noToken).code, 0);
        assert.deepStrictEqual(without.expect, { status: 403 });
    });
});
