// The exact curl commands the stack prints, run with real curl against a live TLS listener on
// 127.0.0.1 that is configured only from the objects the program produced (test/support/listener.ts), with
// the certificate files written by `npm run certs`. Each command's `expect` from the outputs is asserted; so
// are the task's other promises: SNI picks the host's certificate, httpbin still answers once bookinfo shares
// the port, another CA's client certificate is refused, an unknown name gets no certificate, a wrong --cacert
// fails verification.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import * as jose from "jose";
import { stringify as stringifyYaml } from "yaml";
import { parseConfig } from "../../components/config/parse";
import { testCommands } from "../../components/outputs/commands";
import { repoRoot, runProgram, runStack, stackConfig, StackRun } from "../support/harness";
import { cleanEnv, describeResult, httpStatuses, sh } from "../support/curl";
import { checkCommand, handshakeRefused, plainHttpCommands, PrintedCommand, reportLine, servedSubject } from "../support/printedCommands";
import { startHttpbin, startProductpage, Upstream } from "../support/httpbin";
import { LiveGateway, ListenerEvent, startGateway } from "../support/listener";
import { foreignCa, Scratch } from "../support/openssl";
import { issueToken, makeIssuerKey, needsExternalKeys } from "../support/issuer";
import { issueStackCertificates } from "../support/certManagerIssuer";

/** The task's file layout (mtls-go-example's generate.sh, as the task's curl lines use it). */
const files = (host: string) => ({
    root: `${host}/1_root/certs/ca.cert.pem`,
    caChain: `${host}/2_intermediate/certs/ca-chain.cert.pem`,
    clientCert: `${host}/4_client/certs/${host}.cert.pem`,
    clientKey: `${host}/4_client/private/${host}.key.pem`,
});

async function waitForEvent(
    events: ListenerEvent[],
    pred: (e: ListenerEvent) => boolean,
    from = 0,
    ms = 1000,
): Promise<ListenerEvent | undefined> {
    const end = Date.now() + ms;
    for (;;) {
        const e = events.slice(from).find(pred);
        if (e || Date.now() > end) {
            return e;
        }
        await new Promise((r) => setTimeout(r, 20));
    }
}

/** A stack written here: one OPTIONAL_MUTUAL host over SDS, no JWT (the shipped stacks have none). */
const optionalMutual: Record<string, unknown> = {
    "secure-ingress:gateway": { workload: "managed", secretDelivery: "sds", http: { enabled: true } },
    "secure-ingress:pki": { caMode: "per-host", keyAlgorithm: "ECDSA-P384" },
    "secure-ingress:hosts": [
        {
            name: "httpbin",
            host: "httpbin.example.com",
            tls: "OPTIONAL_MUTUAL",
            routes: [{ match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } }],
        },
    ],
    "secure-ingress:backends": { httpbin: true },
};

/** The Gateway API target with Gateway-level client validation (Istio 1.30+): one CA in a ConfigMap for every mutual host. */
const gatewayApiFrontend: Record<string, unknown> = {
    "secure-ingress:target": "gateway-api",
    "secure-ingress:istioVersion": "1.30",
    "secure-ingress:gateway": { workload: "managed", secretDelivery: "sds", http: { enabled: true, httpsRedirect: true } },
    "secure-ingress:pki": { caMode: "shared" },
    "secure-ingress:hosts": [
        {
            name: "httpbin",
            host: "httpbin.example.com",
            tls: "MUTUAL",
            routes: [{ match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } }],
        },
    ],
    "secure-ingress:backends": { httpbin: true },
};

/** Stacks a user could write beyond the shipped ones (test/fixtures/stacks): no redirect, an external issuer. */
const fixtures = path.join(repoRoot, "test", "fixtures", "stacks");
const issuerDir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ingress-issuer-"));
const externalJwt = stackConfig("external-jwt", fixtures);
externalJwt["secure-ingress:jwt"] = { ...(externalJwt["secure-ingress:jwt"] as object), jwks: makeIssuerKey(issuerDir) };

const stacks: { name: string; raw: Record<string, any>; shipped: boolean; externalIssuer?: boolean }[] = [
    { name: "dev", raw: stackConfig("dev"), shipped: true },
    { name: "sds", raw: stackConfig("sds"), shipped: true },
    { name: "gateway-api", raw: stackConfig("gateway-api"), shipped: true },
    { name: "optional-mutual", raw: optionalMutual, shipped: false },
    { name: "gateway-api-frontend", raw: gatewayApiFrontend, shipped: false },
    { name: "no-redirect", raw: stackConfig("no-redirect", fixtures), shipped: false },
    { name: "external-jwt", raw: externalJwt, shipped: false, externalIssuer: needsExternalKeys(stackConfig("external-jwt", fixtures)) },
    // cert-manager issues the server certificates from the stack's intermediate: here openssl signs them the same way.
    { name: "cert-manager", raw: stackConfig("cert-manager"), shipped: true },
];
after(() => fs.rmSync(issuerDir, { recursive: true, force: true }));

for (const { name: stack, raw, shipped, externalIssuer } of stacks) {
    // The command ids are enumerated when mocha builds the suite; the commands run are the stack's outputs.
    const enumerated = testCommands(parseConfig(raw)).map((c) => c.id);
    const rawHosts: { name: string; host: string; tls?: string; certificate?: string }[] = raw["secure-ingress:hosts"];
    const byCertManager = (h: { certificate?: string }) => h.certificate === "cert-manager";
    /** What curl's --cacert reads: the task's chain, or for a certificate cert-manager signs from the stack's CA, its root. */
    const cacertOf = (h: (typeof rawHosts)[number]) => (byCertManager(h) ? files(h.host).root : files(h.host).caChain);
    /** Hosts that have a client certificate: every generated host (as the task's generate.sh), mutual cert-manager hosts. */
    const hasClientCert = (h: (typeof rawHosts)[number]) => !byCertManager(h) || (h.tls ?? "SIMPLE") !== "SIMPLE";
    const perHostCa = (raw["secure-ingress:pki"]?.caMode ?? "per-host") === "per-host";
    const jwtEnabled = raw["secure-ingress:jwt"]?.enabled === true;
    /** The host whose server verifies client certificates, and a SIMPLE one (when the stack has them). */
    const mutual = rawHosts.find((h) => h.tls === "MUTUAL" || h.tls === "OPTIONAL_MUTUAL");
    const simple = rawHosts.find((h) => (h.tls ?? "SIMPLE") === "SIMPLE");
    const mutualHost = mutual?.host ?? "";
    // The Service Istio deploys for a Gateway API Gateway names each port after its first listener.
    const portNames =
        raw["secure-ingress:target"] === "gateway-api"
            ? { https: `https-${rawHosts[0].name}`, http: "http" }
            : { https: "https", http: "http2" };
    const simpleHost = simple?.host ?? "";

    describe(`stack ${stack}: the printed curl commands against a live TLS listener`, function () {
        this.timeout(30_000);
        let run: StackRun;
        let gw: LiveGateway;
        let httpbin: Upstream;
        let productpage: Upstream;
        let dir: string;
        let env: NodeJS.ProcessEnv;
        let securePort: number;
        let httpPort: number;
        let foreign: ReturnType<typeof foreignCa>;
        let token: string;
        /** host -> the server certificate the gateway presents (the program's, or the one issued as cert-manager would). */
        const served = new Map<string, string>();
        const scratch = new Scratch();

        const curl = (command: string, extraEnv: Record<string, string> = {}) => sh(command, { cwd: dir, env: { ...env, ...extraEnv } });
        const printed = (id: string): PrintedCommand => {
            const c = (run.outputs.testCommands as PrintedCommand[]).find((x) => x.id === id);
            assert.ok(c, `outputs.testCommands has no ${id}`);
            return c;
        };

        before(async function () {
            run = shipped ? await runStack(stack) : await runProgram(parseConfig(raw), stack);
            for (const [host, secret] of issueStackCertificates(scratch, run)) {
                served.set(host, secret.stringData["tls.crt"]);
            }
            for (const h of rawHosts.filter((x) => !byCertManager(x))) {
                served.set(h.host, run.outputs.certificates[h.host].serverCert);
            }
            [httpbin, productpage] = await Promise.all([startHttpbin(), startProductpage()]);
            // The stand-ins serve the Services of those names, wherever the program put them.
            const upstreams = new Map<string, number>();
            for (const r of run.resources) {
                const o = r.inputs;
                if (o.kind !== "Service") {
                    continue;
                }
                const key = `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
                if (o.metadata.name === "httpbin") {
                    upstreams.set(key, httpbin.port);
                }
                if (o.metadata.name === "productpage") {
                    upstreams.set(key, productpage.port);
                }
            }
            gw = await startGateway(run, { upstreams });
            securePort = gw.servicePort(portNames.https);
            // No plain-HTTP server: nothing listens for INGRESS_PORT.
            httpPort = parseConfig(raw).gateway.http.enabled ? gw.servicePort(portNames.http) : 0;

            dir = path.join(scratch.dir, "work");
            fs.mkdirSync(dir);
            const outputsFile = scratch.file(
                JSON.stringify({ certificates: run.outputs.certificates, privateKeys: run.outputs.privateKeys }),
                "outputs.json",
            );
            const certs = await sh(`npm run --silent certs -- --from ${outputsFile} --out ${dir}`, {
                cwd: repoRoot,
                env: process.env,
                timeoutMs: 25_000,
            });
            assert.strictEqual(certs.code, 0, describeResult(certs));
            // The self-issued token of the outputs, or one signed by the stack's external issuer.
            token = externalIssuer ? await issueToken(issuerDir, raw) : String(run.outputs.jwtToken);
            env = cleanEnv(scratch.dir, {
                INGRESS_HOST: "127.0.0.1",
                SECURE_INGRESS_PORT: String(securePort),
                INGRESS_PORT: String(httpPort),
                TOKEN: token,
            });
            foreign = foreignCa(scratch, "intruder.example.net");
        });

        after(async () => {
            await gw?.close();
            await Promise.all([httpbin?.close(), productpage?.close()]);
            scratch.dispose();
        });

        it("npm run certs wrote the task's files (CA chain, client certificate, 0600 client key) for every host", () => {
            for (const h of rawHosts) {
                const f = files(h.host);
                for (const p of [f.root, f.caChain, ...(hasClientCert(h) ? [f.clientCert, f.clientKey] : [])]) {
                    assert.ok(fs.existsSync(path.join(dir, p)), `${p} missing`);
                }
                if (hasClientCert(h)) {
                    assert.strictEqual(fs.statSync(path.join(dir, f.clientKey)).mode & 0o777, 0o600, `${f.clientKey} mode`);
                } else {
                    assert.ok(
                        !fs.existsSync(path.join(dir, f.clientCert)),
                        `${h.host} verifies no client, so it has no client certificate`,
                    );
                }
            }
        });

        it("every HTTPS server of the Gateway sits on the port the Service's `https` port targets (the task's 443)", () => {
            const https = gw.view.servers.filter((s) => s.protocol === "HTTPS");
            assert.deepStrictEqual([...new Set(https.map((s) => s.port))], [443]);
            assert.strictEqual(gw.view.servicePorts.get(portNames.https), 443);
            assert.deepStrictEqual(https.flatMap((s) => s.hosts).sort(), rawHosts.map((h) => h.host).sort());
        });

        it("prints the commands the suite enumerated, one per id", () => {
            assert.deepStrictEqual(
                (run.outputs.testCommands as PrintedCommand[]).map((c) => c.id),
                enumerated,
            );
        });

        it("the printed expectations are the task's (handshake refused without --cert, teapot with it, 200 for bookinfo, 403/200 for JWT)", () => {
            const cmds = run.outputs.testCommands as PrintedCommand[];
            for (const h of rawHosts) {
                const mine = cmds.filter((c) => c.host === h.host && !c.id.includes("-jwt-"));
                for (const c of mine) {
                    assert.ok(c.command.includes(`--resolve ${h.host}:$SECURE_INGRESS_PORT:$INGRESS_HOST`), c.command);
                    assert.ok(c.command.includes(`--cacert ${cacertOf(h)}`), c.command);
                }
                const withCert = mine.filter(
                    (c) =>
                        c.command.includes(`--cert ${files(h.host).clientCert}`) && c.command.includes(`--key ${files(h.host).clientKey}`),
                );
                const withoutCert = mine.filter((c) => !c.command.includes("--cert "));
                const teapot = (c: PrintedCommand) => c.expect.status === 418 && (c.expect.bodyContains ?? "").includes("teapot");
                if (h.tls === "MUTUAL") {
                    assert.strictEqual(withoutCert.length, 1, `${h.host}: one command without --cert`);
                    const codes = withoutCert[0].expect.curlExitCodes ?? [];
                    assert.ok(
                        codes.includes(35) && codes.includes(56) && codes.every((x) => handshakeRefused.includes(x)),
                        `${h.host}: ${JSON.stringify(withoutCert[0].expect)}`,
                    );
                    assert.strictEqual(withoutCert[0].expect.status, undefined);
                    assert.ok(withCert.length === 1 && teapot(withCert[0]), `${h.host}: the teapot with --cert/--key`);
                } else if (h.tls === "OPTIONAL_MUTUAL") {
                    assert.ok(withoutCert.length === 1 && teapot(withoutCert[0]), `${h.host}: the teapot without a certificate`);
                    assert.ok(withCert.length === 1 && teapot(withCert[0]), `${h.host}: the teapot with --cert/--key`);
                } else {
                    assert.strictEqual(mine.length, 1, `${h.host}: one SIMPLE command`);
                    assert.deepStrictEqual(mine[0].expect, { status: 200 });
                    assert.ok(mine[0].command.includes(`https://${h.host}:$SECURE_INGRESS_PORT/productpage`), mine[0].command);
                }
            }
            const jwt = cmds.filter((c) => c.id.includes("-jwt-"));
            if (!jwtEnabled) {
                return assert.deepStrictEqual(jwt, []);
            }
            const bearer = (c: PrintedCommand) => /Authorization: Bearer \$\{?TOKEN\b/.test(c.command);
            assert.deepStrictEqual(
                jwt.filter((c) => !bearer(c)).map((c) => c.expect),
                [{ status: 403 }],
                "no token: RBAC denies (403)",
            );
            assert.deepStrictEqual(
                jwt.filter(bearer).map((c) => c.expect),
                [{ status: 200 }],
                "the token: 200",
            );
        });

        for (const id of enumerated) {
            it(`${id}: the printed command gives what it promises`, async () => {
                const c = printed(id);
                const mark = gw.events.length;
                const checked = await checkCommand(c, { cwd: dir, env });
                assert.deepStrictEqual(checked.problems, [], reportLine(stack, checked));
                if (c.expect.curlExitCodes) {
                    const refusal = await waitForEvent(gw.events, (e) => e.kind === "tls-error" && e.sni === c.host, mark);
                    assert.ok(refusal, `the listener logged no TLS refusal for ${c.host}`);
                    assert.match(refusal.detail ?? "", /peer did not return a certificate|certificate required/i);
                }
            });
        }

        if (mutual) {
            it("the teapot is httpbin's, as the task shows it", async () => {
                const r = await curl(printed(enumerated.find((i) => i.endsWith("-mutual-with-client-cert"))!).command);
                for (const line of ["-=[ teapot ]=-", "_...._", '`"""`']) {
                    assert.ok(r.stdout.includes(line), `missing ${line}\n${describeResult(r)}`);
                }
            });
        }

        if (mutual && simple) {
            it("httpbin still answers after bookinfo is served on the same port, each with its own certificate", async () => {
                const before = await curl(printed(enumerated.find((i) => i.endsWith("-mutual-with-client-cert"))!).command);
                const book = await curl(printed(enumerated.find((i) => i.endsWith("-simple"))!).command);
                const after = await curl(printed(enumerated.find((i) => i.endsWith("-mutual-with-client-cert"))!).command);
                for (const r of [before, after]) {
                    assert.strictEqual(r.code, 0, describeResult(r));
                    assert.deepStrictEqual([...new Set(httpStatuses(r))], [418], describeResult(r));
                    assert.match(servedSubject(r) ?? "", new RegExp(`CN ?= ?${mutualHost.replace(/\./g, "\\.")}$`));
                }
                assert.strictEqual(book.code, 0, describeResult(book));
                assert.deepStrictEqual([...new Set(httpStatuses(book))], [200], describeResult(book));
                assert.match(servedSubject(book) ?? "", new RegExp(`CN ?= ?${simpleHost.replace(/\./g, "\\.")}$`));
                assert.ok(
                    httpbin.seen.some((s) => s.url === "/status/418") && productpage.seen.some((s) => s.url === "/productpage"),
                    "both upstreams were reached",
                );
            });
        }

        it("SNI picks each host's own server certificate (the one in outputs.certificates)", async () => {
            for (const h of rawHosts) {
                const f = files(h.host);
                const read = (p: string) => fs.readFileSync(path.join(dir, p));
                const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
                    const s = tls.connect({
                        host: "127.0.0.1",
                        port: securePort,
                        servername: h.host,
                        ca: read(cacertOf(h)),
                        ...(h.tls === "MUTUAL" || h.tls === "OPTIONAL_MUTUAL" ? { cert: read(f.clientCert), key: read(f.clientKey) } : {}),
                    });
                    s.once("secureConnect", () => {
                        const cert = s.getPeerCertificate();
                        assert.ok(s.authorized, `client did not verify ${h.host}: ${s.authorizationError}`);
                        s.end();
                        resolve(cert);
                    });
                    s.once("error", reject);
                });
                const want = new crypto.X509Certificate(served.get(h.host)!);
                assert.strictEqual(peer.fingerprint256, want.fingerprint256, h.host);
                assert.strictEqual(peer.subject.CN, h.host);
            }
        });

        if (mutual) {
            it(`a client certificate from a CA the ${mutual.tls} server does not trust is refused`, async () => {
                const f = files(mutualHost);
                const base = `curl -s -o /dev/null -w "%{http_code}" --header "Authorization: Bearer $TOKEN" --resolve ${mutualHost}:$SECURE_INGRESS_PORT:$INGRESS_HOST --cacert ${f.caChain}`;
                const url = `https://${mutualHost}:$SECURE_INGRESS_PORT/status/418`;
                const refused = async (cert: string, key: string) => {
                    const mark = gw.events.length;
                    const r = await curl(`${base} --cert ${cert} --key ${key} ${url}`);
                    assert.notStrictEqual(r.code, 0, describeResult(r));
                    assert.deepStrictEqual(
                        httpStatuses(r).filter((s) => s !== 0),
                        [],
                        describeResult(r),
                    );
                    const refusal = mutual!.tls === "MUTUAL" ? "tls-error" : "refused-client-cert";
                    const e = await waitForEvent(gw.events, (x) => x.kind === refusal && x.sni === mutualHost, mark);
                    assert.ok(e, "the listener logged no TLS refusal");
                    assert.match(
                        e.detail ?? "",
                        /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_SIGNATURE_FAILURE/,
                    );
                };
                await refused(foreign.clientCert, foreign.clientKey);
                if (!simple || !hasClientCert(simple)) {
                    return;
                }
                const other = files(simpleHost);
                if (perHostCa) {
                    // per-host CAs: the other host's client certificate chains to another root
                    await refused(other.clientCert, other.clientKey);
                } else {
                    // one shared CA: every host's client certificate is trusted by every MUTUAL server
                    const sibling = await curl(`${base} --cert ${other.clientCert} --key ${other.clientKey} ${url}`);
                    assert.strictEqual(sibling.code, 0, describeResult(sibling));
                    assert.deepStrictEqual(httpStatuses(sibling), [418]);
                }
            });
        }

        it("an unknown SNI name, or none, gets no certificate", async () => {
            const name = "unknown.example.org";
            const unknown = await curl(
                `curl -v -k --resolve ${name}:$SECURE_INGRESS_PORT:$INGRESS_HOST https://${name}:$SECURE_INGRESS_PORT/status/418`,
            );
            assert.strictEqual(unknown.code, 35, describeResult(unknown));
            assert.doesNotMatch(unknown.stderr, /Server certificate/, "no certificate was presented");
            assert.match(unknown.stderr, /unrecognized name/i);
            assert.ok(await waitForEvent(gw.events, (e) => e.kind === "no-server-for-sni" && e.sni === name));
            // curl sends no SNI for an IP address: no server matches either
            const bare = await curl(`curl -v -k -HHost:${rawHosts[0].host} https://$INGRESS_HOST:$SECURE_INGRESS_PORT/`);
            assert.strictEqual(bare.code, 35, describeResult(bare));
            assert.doesNotMatch(bare.stderr, /Server certificate/);
        });

        if (simple) {
            it("a wrong --cacert fails server verification (curl exit 60)", async () => {
                const url = `https://${simpleHost}:$SECURE_INGRESS_PORT/productpage`;
                const resolve = `--resolve ${simpleHost}:$SECURE_INGRESS_PORT:$INGRESS_HOST`;
                const wrong = await curl(`curl -s -o /dev/null ${resolve} --cacert ${foreign.caCert} ${url}`);
                assert.strictEqual(wrong.code, 60, describeResult(wrong));
                const right = await curl(`curl -s -o /dev/null -w "%{http_code}" ${resolve} --cacert ${files(simpleHost).caChain} ${url}`);
                assert.strictEqual(right.code, 0, describeResult(right));
                if (perHostCa) {
                    const crossed = await curl(`curl -s -o /dev/null ${resolve} --cacert ${files(mutualHost).caChain} ${url}`);
                    assert.strictEqual(
                        crossed.code,
                        60,
                        `the other host's CA chain must not verify ${simpleHost}\n${describeResult(crossed)}`,
                    );
                }
            });
        }

        const jwtHosts: string[] = raw["secure-ingress:jwt"]?.hosts ?? [];
        if (jwtEnabled && mutual && (jwtHosts.length === 0 || jwtHosts.includes((mutual as { name?: string }).name ?? ""))) {
            it("end-user JWT: a token signed by another key is refused (401), the stack's token is accepted", async () => {
                const { privateKey } = await jose.generateKeyPair("RS256");
                const forged = await new jose.SignJWT({ ...jose.decodeJwt(token) })
                    .setProtectedHeader({ alg: "RS256", kid: jose.decodeProtectedHeader(token).kid })
                    .sign(privateKey);
                const f = files(mutualHost);
                const cmd =
                    `curl -s -o /dev/null -w "%{http_code}" --header "Authorization: Bearer $T" -HHost:${mutualHost} --resolve ${mutualHost}:$SECURE_INGRESS_PORT:$INGRESS_HOST ` +
                    `--cacert ${f.caChain} --cert ${f.clientCert} --key ${f.clientKey} https://${mutualHost}:$SECURE_INGRESS_PORT/status/200`;
                const bad = await curl(cmd, { T: forged });
                assert.deepStrictEqual(httpStatuses(bad), [401], describeResult(bad));
                const none = await curl(cmd.replace(` --header "Authorization: Bearer $T"`, ""));
                assert.deepStrictEqual(httpStatuses(none), [403], describeResult(none));
                const good = await curl(cmd, { T: token });
                assert.deepStrictEqual(httpStatuses(good), [200], describeResult(good));
            });
        }

        if (externalIssuer) {
            it("the real-gateway run's checker (test/e2e/check-commands.ts) passes every command against this listener", async () => {
                const project = fs.mkdtempSync(path.join(scratch.dir, "project-"));
                fs.writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), stringifyYaml({ config: raw }));
                const outputsFile = scratch.file(JSON.stringify(run.outputs), "all-outputs.json");
                const cli = path.join(repoRoot, "test", "e2e", "check-commands.ts");
                const r = await sh(
                    `node -r ts-node/register/transpile-only ${cli} --project ${project} --stack ${stack} --outputs ${outputsFile} --cwd ${dir}`,
                    { cwd: repoRoot, env, timeoutMs: 45_000 },
                );
                assert.strictEqual(r.code, 0, describeResult(r));
                const passed = r.stdout.match(/^PASS {2}/gm) ?? [];
                assert.strictEqual(passed.length, enumerated.length + plainHttpCommands(parseConfig(raw)).length, r.stdout);
            });
        }

        const plain = plainHttpCommands(parseConfig(raw));
        for (const c of plain) {
            it(`plain HTTP ${c.id}: answers as the Gateway's HTTP server says (${JSON.stringify(c.expect)})`, async () => {
                const checked = await checkCommand(c, { cwd: dir, env });
                assert.deepStrictEqual(checked.problems, [], reportLine(stack, checked));
            });
        }
    });
}
