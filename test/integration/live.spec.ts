// Issue 3 §3: the exact curl commands the stack prints, run with real curl against a live TLS listener on
// 127.0.0.1 that is configured only from the objects the program produced (test/support/listener.ts), with
// the certificate files written by `npm run certs`. Each command's `expect` from the outputs is asserted; so
// are the task's other promises: SNI picks the host's certificate, httpbin still answers once bookinfo shares
// the port, another CA's client certificate is refused, an unknown name gets no certificate, a wrong --cacert
// fails verification.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as tls from "tls";
import * as jose from "jose";
import { parseConfig } from "../../components/config/parse";
import { testCommands } from "../../components/outputs/commands";
import { repoRoot, runProgram, runStack, stackConfig, StackRun } from "../support/harness";
import { cleanEnv, curlTrace, describeResult, httpStatuses, sh, ShellResult } from "../support/curl";
import { startHttpbin, startProductpage, Upstream } from "../support/httpbin";
import { LiveGateway, ListenerEvent, startGateway } from "../support/listener";
import { foreignCa, Scratch } from "../support/openssl";
import { issueStackCertificates } from "../support/certManagerIssuer";

interface PrintedCommand {
    id: string;
    host: string;
    command: string;
    expect: { status?: number; bodyContains?: string; curlExitCodes?: number[] };
}

/** The task's file layout (mtls-go-example's generate.sh, as the task's curl lines use it). */
const files = (host: string) => ({
    root: `${host}/1_root/certs/ca.cert.pem`,
    caChain: `${host}/2_intermediate/certs/ca-chain.cert.pem`,
    clientCert: `${host}/4_client/certs/${host}.cert.pem`,
    clientKey: `${host}/4_client/private/${host}.key.pem`,
});

/**
 * How curl reports a refused handshake (curl's man page, EXIT CODES): 35 (TLS 1.2: the alert ends the
 * handshake), 56 (TLS 1.3: the alert arrives when curl reads), 55 (TLS 1.3: the server has closed when curl sends),
 * 16 (the same over HTTP/2, which curl negotiates with Envoy: seen against a real gateway in test/e2e/gateway).
 */
const handshakeRefused = [16, 35, 55, 56];

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

/** The `*  subject:` line of curl -v's server certificate section. */
function servedSubject(r: ShellResult): string | undefined {
    return /^\*\s+subject: (.+)$/m.exec(curlTrace(r.stderr))?.[1];
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

const stacks: { name: string; raw: Record<string, any>; shipped: boolean }[] = [
    { name: "dev", raw: stackConfig("dev"), shipped: true },
    { name: "sds", raw: stackConfig("sds"), shipped: true },
    { name: "optional-mutual", raw: optionalMutual, shipped: false },
    // cert-manager issues the server certificates from the stack's intermediate: here openssl signs them the same way.
    { name: "cert-manager", raw: stackConfig("cert-manager"), shipped: true },
];

for (const { name: stack, raw, shipped } of stacks) {
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
    const simpleHost = simple?.host ?? "";

    describe(`stack ${stack}: the printed curl commands against a live TLS listener (issue 3 §3)`, function () {
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
            securePort = gw.servicePort("https");
            httpPort = gw.servicePort("http2");

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
            env = cleanEnv(scratch.dir, {
                INGRESS_HOST: "127.0.0.1",
                SECURE_INGRESS_PORT: String(securePort),
                INGRESS_PORT: String(httpPort),
                TOKEN: String(run.outputs.jwtToken),
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
            assert.strictEqual(gw.view.servicePorts.get("https"), 443);
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
            const bearer = (c: PrintedCommand) => c.command.includes("Authorization: Bearer $TOKEN");
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
                const r = await curl(c.command);
                const why = describeResult(r);
                const statuses = httpStatuses(r);
                if (c.expect.curlExitCodes) {
                    assert.ok(c.expect.curlExitCodes.includes(r.code), `exit ${r.code}, want one of ${c.expect.curlExitCodes}\n${why}`);
                    assert.ok(
                        c.expect.curlExitCodes.every((x) => handshakeRefused.includes(x)),
                        `expected exits ${c.expect.curlExitCodes} are handshake failures`,
                    );
                    assert.deepStrictEqual(statuses, [], `no HTTP response may arrive\n${why}`);
                    const refusal = await waitForEvent(gw.events, (e) => e.kind === "tls-error" && e.sni === c.host, mark);
                    assert.ok(refusal, `the listener logged no TLS refusal for ${c.host}`);
                    assert.match(refusal.detail ?? "", /peer did not return a certificate|certificate required/i);
                    return;
                }
                assert.strictEqual(r.code, 0, why);
                assert.ok(statuses.length > 0, `curl reported no HTTP status\n${why}`);
                if (c.expect.status !== undefined) {
                    for (const s of statuses) {
                        assert.strictEqual(s, c.expect.status, why);
                    }
                }
                if (c.expect.bodyContains !== undefined) {
                    assert.ok(r.stdout.includes(c.expect.bodyContains), `body lacks ${c.expect.bodyContains}\n${why}`);
                }
                if (c.command.includes("https://") && c.command.includes(" -v")) {
                    assert.match(r.stderr, /SSL certificate verify ok/, why);
                    assert.match(servedSubject(r) ?? "", new RegExp(`CN ?= ?${c.host.replace(/\./g, "\\.")}$`), why);
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

        if (jwtEnabled && mutual) {
            it("end-user JWT: a token signed by another key is refused (401), the stack's token is accepted", async () => {
                const token = String(run.outputs.jwtToken);
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

        if (simple) {
            it("plain HTTP answers as the Gateway's HTTP server says (redirect to https when httpsRedirect is set)", async () => {
                const redirect = raw["secure-ingress:gateway"]?.http?.httpsRedirect === true;
                const r = await curl(
                    `curl -s -o /dev/null -w "%{http_code} %{redirect_url}" -HHost:${simpleHost} http://$INGRESS_HOST:$INGRESS_PORT/productpage`,
                );
                assert.strictEqual(r.code, 0, describeResult(r));
                if (redirect) {
                    assert.strictEqual(r.stdout.trim(), `301 https://${simpleHost}/productpage`);
                } else {
                    assert.match(r.stdout, /^(200|403) /);
                }
            });
        }
    });
}
