// What a downstream consumer would refuse later is refused up front, by path, with the value and the fix: IP
// literals as SNI hosts, non-RE2 regexes (messages of Go's regexp, which Istio's webhook compiles with), validity
// hours past the provider's Duration arithmetic or past their issuer, private JWK members, a missing kubeconfig
// file, and render folders that would spread private keys where they do harm.
import * as assert from "assert";
import { execFileSync } from "child_process";
import { generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { accepted, host, problemsOf } from "../support/configCases";

const one = (extra: object = {}) => ({ hosts: [host("a", "a.example.com")], ...extra });
const noSni = "TLS clients send no IP address in SNI (RFC 6066 section 3), so the gateway could not select this server; give a DNS name";

describe("config: refusals a downstream consumer would make", () => {
    describe("host names that SNI cannot carry", () => {
        const refused: [string, string][] = [
            ["10.0.0.1", `is an IPv4 address; ${noSni}`],
            ["192.168.1.1:443", `is an IPv4 address with a port; ${noSni}`],
            ["[::1]", `is an IPv6 address; ${noSni}`],
            ["[2001:db8::1]:8443", `is an IPv6 address with a port; ${noSni}`],
            ["::1", `is an IPv6 address; ${noSni}`],
            ["2001:db8::1", `is an IPv6 address; ${noSni}`],
            ["fe80::1%eth0", `is an IPv6 address; ${noSni}`],
            ["::ffff:10.0.0.1", `is an IPv6 address; ${noSni}`],
            ["b.example.com:8443", "carries a port; give the name alone (b.example.com): the port is gateway.httpsPort"],
            ["example.com.", "ends with '.'; SNI carries the name without the trailing dot (RFC 6066 section 3): give example.com"],
            ["a.b.123", "ends in an all-numeric label, which clients read as an IPv4 address (RFC 1123 section 2.1); give a DNS name"],
            ["1.2.3.4.5", "ends in an all-numeric label, which clients read as an IPv4 address (RFC 1123 section 2.1); give a DNS name"],
            ["*.10.0.0.1", "ends in an all-numeric label, which clients read as an IPv4 address (RFC 1123 section 2.1); give a DNS name"],
            [
                "Httpbin.Example.com",
                "must be a lower-case DNS name with at least two labels (a wildcard only as the left-most label, e.g. *.example.com)",
            ],
            [
                `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`,
                "is 254 characters long; a DNS name has at most 253",
            ],
        ];
        for (const [value, message] of refused) {
            it(`refuses ${value.length > 40 ? `a ${value.length}-character name` : value}`, () => {
                assert.deepStrictEqual(problemsOf({ hosts: [host("a", value)] }), [{ path: "hosts[0].host", value, message }]);
            });
        }
        for (const value of [
            "1password.com",
            "123.example.com",
            "10.0.0.1.nip.io",
            "xn--bcher-kva.example",
            "*.example.com",
            "a-1.b-2.io",
        ]) {
            it(`accepts ${value}`, () => assert.strictEqual(accepted({ hosts: [host("a", value)] }).hosts[0].host, value));
        }
    });

    describe("URI regexes outside RE2", () => {
        // Each reason is what Go's regexp.Compile (go1.26.8, the library Istio's webhook calls) says of the pattern.
        const refused: [string, string][] = [
            ["/(?!admin).*", "invalid or unsupported Perl syntax: `(?!`"],
            ["/(?=x)", "invalid or unsupported Perl syntax: `(?=`"],
            ["/(?<=a)b", "invalid named capture: `(?<=a)b`"],
            ["/(a)\\1", "invalid escape sequence: `\\1`"],
            ["/a*+", "invalid nested repetition operator: `*+`"],
            ["/a{1001}", "invalid repeat count: `{1001}`"],
            ["/a{2,1}", "invalid repeat count: `{2,1}`"],
            ["/[z-a]", "invalid character class range: `z-a`"],
            ["/(unclosed", "missing closing ): `/(unclosed`"],
            ["/unopened)", "unexpected ): `/unopened)`"],
            ["/\\Z", "invalid escape sequence: `\\Z`"],
            ["/(?x) a b", "invalid or unsupported Perl syntax: `(?x`"],
            ["/(?#comment)", "invalid or unsupported Perl syntax: `(?#`"],
            ["/\\p{Nope}", "invalid character class range: `\\p{Nope}`"],
            ["/\\cA", "invalid escape sequence: `\\c`"],
        ];
        const withRegex = (regex: string) => ({
            hosts: [
                host("a", "a.example.com", {
                    routes: [{ match: [{ prefix: "/ok" }, { regex }], destination: { host: "httpbin", port: 8000 } }],
                }),
            ],
        });
        for (const [regex, reason] of refused) {
            it(`refuses ${regex}`, () => {
                assert.deepStrictEqual(problemsOf(withRegex(regex)), [
                    {
                        path: "hosts[0].routes[0].match[1].regex",
                        value: regex,
                        message: `is not an RE2 regex (${reason}); Istio and Envoy accept RE2 syntax only: no lookaround, backreferences or possessive repeats (https://github.com/google/re2/wiki/Syntax)`,
                    },
                ]);
            });
        }
        it("refuses a regex longer than Istio's 1024 characters", () => {
            const regex = `/${"a".repeat(1024)}`;
            assert.deepStrictEqual(problemsOf(withRegex(regex)), [
                {
                    path: "hosts[0].routes[0].match[1].regex",
                    value: regex,
                    message: "is 1025 characters long; Istio accepts regexes of at most 1024 characters",
                },
            ]);
        });
        // Go compiles each of these (checked with the same go1.26.8 program).
        for (const regex of [
            "/status/.*",
            "^/api/v[0-9]+/products$",
            "/(?P<id>[0-9]+)",
            "/(?<id>[0-9]+)",
            "/\\pL+",
            "/(?i)abc",
            "/[[:alpha:]]+",
            "/\\Q.*\\E",
            "/a{1000}",
            `/${"b".repeat(1023)}`,
        ]) {
            it(`accepts ${regex.length > 40 ? `a ${regex.length}-character regex` : regex}`, () => assert.ok(accepted(withRegex(regex))));
        }
    });

    describe("route destination hosts Istio's webhook refuses", () => {
        const withDestination = (h: string) => ({
            hosts: [host("a", "a.example.com", { routes: [{ match: [{ prefix: "/" }], destination: { host: h, port: 8000 } }] })],
        });
        const fix =
            "Istio's webhook refuses the VirtualService: give a Service name such as httpbin or an FQDN such as httpbin.default.svc.cluster.local";
        const refused: [string, string][] = [
            ["*", "is the bare wildcard, which Istio refuses as a destination"],
            ["10.0.0.1", "ends in the all-numeric label 1 (an IP address is no destination host)"],
            ["Httpbin", "has the label \"Httpbin\", which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)"],
            [
                "bad_host.default",
                "has the label \"bad_host\", which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)",
            ],
            ["a..b", "has the label \"\", which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)"],
            ["httpbin.*.svc", "has the label \"*\", which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)"],
            [
                `${"x".repeat(64)}.default`,
                `has the label "${"x".repeat(64)}", which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)`,
            ],
            [
                "httpbin;rm -rf",
                "has the label \"httpbin;rm -rf\", which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)",
            ],
        ];
        for (const [value, why] of refused) {
            it(`refuses ${value.length > 30 ? `a ${value.length}-character host` : value}`, () => {
                assert.deepStrictEqual(problemsOf(withDestination(value)), [
                    { path: "hosts[0].routes[0].destination.host", value, message: `${why}; ${fix}` },
                ]);
            });
        }
        for (const value of ["httpbin", "httpbin.default.svc.cluster.local", "*.example.com", "productpage.", "a-1.b-2"]) {
            it(`accepts ${value}`, () => assert.ok(accepted(withDestination(value))));
        }
    });

    describe("cert-manager durations past Go's time.Duration", () => {
        const cm = (certManager: object) => ({
            hosts: [
                host("a", "a.example.com", {
                    certificate: "cert-manager",
                    certManager: { issuerRef: { name: "letsencrypt" }, ...certManager },
                }),
            ],
            gateway: { secretDelivery: "sds", workload: "none" },
        });
        it("refuses a duration of 2562048h, one hour past the longest Duration", () => {
            assert.deepStrictEqual(problemsOf(cm({ duration: "2562048h" })), [
                {
                    path: "hosts[0].certManager.duration",
                    value: "2562048h",
                    message:
                        "is longer than Go's time.Duration holds (2562047h), so cert-manager refuses it as invalid; use at most 2562047h",
                },
            ]);
        });
        it("accepts 2562047h", () => assert.ok(accepted(cm({ duration: "2562047h" }))));
    });

    describe("validity hours", () => {
        // Go's time.Duration is int64 nanoseconds; the provider multiplies hours by time.Hour.
        const max = Number((2n ** 63n - 1n) / 3_600_000_000_000n);
        const overflow = (path: string, value: number) => ({
            path,
            value,
            message: `overflows the TLS provider's time arithmetic (Go's time.Duration holds at most ${max} hours) and would give a certificate that expired in the past; use at most ${max}`,
        });
        it("the limit is 2562047 hours", () => assert.strictEqual(max, 2562047));
        it("refuses a root validity one hour past the limit", () => {
            assert.deepStrictEqual(problemsOf(one({ pki: { validityHours: { root: max + 1 } } })), [
                overflow("pki.validityHours.root", max + 1),
            ]);
        });
        it("refuses every tier past the limit, and the tiers that outlive their issuer", () => {
            const big = 9_000_000_000;
            assert.deepStrictEqual(
                problemsOf(one({ pki: { validityHours: { root: big, intermediate: big, server: big, client: big } } })),
                [
                    overflow("pki.validityHours.root", big),
                    overflow("pki.validityHours.intermediate", big),
                    overflow("pki.validityHours.server", big),
                    overflow("pki.validityHours.client", big),
                ],
            );
        });
        it("refuses a self-issued token lifetime past the limit", () => {
            const jwt = { enabled: true, issuer: "me@example.com", selfIssued: { enabled: true, tokenLifetimeHours: max + 24 } };
            assert.deepStrictEqual(problemsOf(one({ jwt })), [overflow("jwt.selfIssued.tokenLifetimeHours", max + 24)]);
        });
        const outlives = (child: string, value: number, parent: string, parentHours: number) => ({
            path: `pki.validityHours.${child}`,
            value,
            message: `outlives its issuer: pki.validityHours.${parent} is ${parentHours}, and a certificate stops verifying when its issuer expires; use at most ${parentHours}`,
        });
        it("refuses an intermediate that outlives the root", () => {
            assert.deepStrictEqual(
                problemsOf(
                    one({ pki: { validityHours: { root: 1000, intermediate: 1001, server: 100, client: 100 }, earlyRenewalHours: 10 } }),
                ),
                [outlives("intermediate", 1001, "root", 1000)],
            );
        });
        it("refuses server and client certificates that outlive the intermediate", () => {
            assert.deepStrictEqual(
                problemsOf(
                    one({ pki: { validityHours: { root: 1000, intermediate: 500, server: 501, client: 900 }, earlyRenewalHours: 10 } }),
                ),
                [outlives("server", 501, "intermediate", 500), outlives("client", 900, "intermediate", 500)],
            );
        });
        it("accepts the limit itself, equal lifetimes, and no CA to outlive when every host brings its own certificate", () => {
            assert.ok(accepted(one({ pki: { validityHours: { root: max, intermediate: max, server: max, client: max } } })));
            assert.ok(accepted(one({ pki: { validityHours: { root: 1000, intermediate: 1000, server: 1000, client: 1000 } } })));
        });
    });

    describe("an inline JWKS", () => {
        const jwt = (keys: unknown[]) => ({ enabled: true, issuer: "me@example.com", jwks: JSON.stringify({ keys }) });
        const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
        const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
        const ed = generateKeyPairSync("ed25519");
        const priv = (k: typeof rsa.privateKey) => k.export({ format: "jwk" }) as Record<string, unknown>;
        const pub = (k: typeof rsa.publicKey) => k.export({ format: "jwk" }) as Record<string, unknown>;
        const holds = (members: string) =>
            `holds private key material (${members}): the JWKS is published to every gateway and readable in the cluster; remove those members and keep only the public key`;
        const cases: [string, unknown[], { path: string; members: string }][] = [
            ["an RSA private key", [priv(rsa.privateKey)], { path: "jwt.jwks.keys[0]", members: "d, p, q, dp, dq, qi" }],
            ["an EC private key", [priv(ec.privateKey)], { path: "jwt.jwks.keys[0]", members: "d" }],
            ["an Ed25519 private key", [priv(ed.privateKey)], { path: "jwt.jwks.keys[0]", members: "d" }],
            ["a symmetric key", [{ kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQ" }], { path: "jwt.jwks.keys[0]", members: "k" }],
            [
                "a multi-prime RSA key",
                [{ ...pub(rsa.publicKey), oth: [{ r: "AQ", d: "AQ", t: "AQ" }] }],
                { path: "jwt.jwks.keys[0]", members: "oth" },
            ],
            ["a private key after a public one", [pub(ec.publicKey), priv(ec.privateKey)], { path: "jwt.jwks.keys[1]", members: "d" }],
        ];
        for (const [title, keys, want] of cases) {
            it(`refuses ${title} without quoting it`, () => {
                const problems = problemsOf(one({ jwt: jwt(keys) }));
                assert.deepStrictEqual(problems, [{ path: want.path, value: "(JWK)", message: holds(want.members) }]);
                const secretValues = keys.flatMap((k) =>
                    Object.entries(k as object).filter(([m]) => ["d", "p", "q", "dp", "dq", "qi", "k"].includes(m)),
                );
                for (const [, v] of secretValues) {
                    assert.ok(!JSON.stringify(problems).includes(String(v)), "a private member leaked");
                }
            });
        }
        it("refuses a key that is no JSON object and one no verifier can read", () => {
            const problems = problemsOf(one({ jwt: jwt(["x", { kty: "RSA", n: "AQAB" }]) }));
            assert.deepStrictEqual(
                problems.map((p) => [p.path, p.value]),
                [
                    ["jwt.jwks.keys[0]", "(JWK)"],
                    ["jwt.jwks.keys[1]", "(JWK)"],
                ],
            );
            assert.strictEqual(problems[0].message, "is not a JSON object; each key is a JWK such as {kty: RSA, n: ..., e: ...}");
            assert.match(
                problems[1].message,
                /^is not a public key a verifier can read \(.+\); give kty with its public members \(RSA: n, e; EC: crv, x, y; OKP: crv, x\)$/,
            );
        });
        it("never quotes a JWKS that is not JSON (it may be a pasted private key)", () => {
            const d = String(priv(ec.privateKey).d);
            const text = `{"keys": [{"kty": "EC", "d": "${d}"`;
            const problems = problemsOf(one({ jwt: { enabled: true, issuer: "me@example.com", jwks: text } }));
            assert.deepStrictEqual(problems, [
                { path: "jwt.jwks", value: "(JWKS)", message: 'must be a JSON Web Key Set: {"keys": [...]} with at least one key' },
            ]);
        });
        it("accepts public RSA, EC and Ed25519 keys", () => {
            assert.ok(accepted(one({ jwt: jwt([pub(rsa.publicKey), pub(ec.publicKey), pub(ed.publicKey)]) })));
        });
    });

    describe("local paths", () => {
        let tmp: string;
        before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "si-local-"))));
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));
        const noFile = (value: string, file: string, kind = "names no file") => ({
            path: "kubernetes.kubeconfig",
            value,
            message: `${kind} (${file}); the provider would read the text itself as kubeconfig YAML and fail; give the path of an existing kubeconfig file, or remove the key to render manifests`,
        });
        it("refuses a kubeconfig path that names no file: absolute, relative, under ~, and a folder", () => {
            for (const [value, file] of [
                ["/nonexistent/kubeconfig", "/nonexistent/kubeconfig"],
                ["missing.kubeconfig", path.join(process.cwd(), "missing.kubeconfig")],
                ["~/.definitely-missing-kubeconfig", path.join(os.homedir(), ".definitely-missing-kubeconfig")],
            ]) {
                assert.deepStrictEqual(problemsOf(one({ kubernetes: { kubeconfig: value } })), [noFile(value, file)]);
            }
            assert.deepStrictEqual(problemsOf(one({ kubernetes: { kubeconfig: tmp } })), [noFile(tmp, tmp, "is a folder")]);
        });
        it("accepts an existing kubeconfig file and kubeconfig contents (YAML or JSON)", () => {
            const file = path.join(tmp, "config");
            fs.writeFileSync(file, "apiVersion: v1\nkind: Config\n");
            for (const kubeconfig of [file, "apiVersion: v1\nkind: Config\n", '{"apiVersion": "v1", "kind": "Config"}']) {
                assert.strictEqual(accepted(one({ kubernetes: { kubeconfig } })).kubernetes.kubeconfig, kubeconfig);
            }
        });

        const advice =
            "the provider writes every Secret there, private keys included, and deletes files there on replace; use a folder of its own, e.g. rendered/<stack> (git-ignored)";
        const render = (renderDir: string) => problemsOf(one({ kubernetes: { renderDir } }));
        const refusal = (value: string, why: string) => [{ path: "kubernetes.renderDir", value, message: `${why}; ${advice}` }];
        const project = fs.realpathSync(process.cwd());
        const home = fs.realpathSync(os.homedir());
        it("refuses the file-system root", () => assert.deepStrictEqual(render("/"), refusal("/", "is the file-system root")));
        it("refuses the home folder", () =>
            assert.deepStrictEqual(render(os.homedir()), refusal(os.homedir(), `is the home folder (${home})`)));
        it("refuses the project folder and its parent", () => {
            assert.deepStrictEqual(render("."), refusal(".", `is the project folder (${project})`));
            const parent = path.dirname(project);
            const why =
                parent === path.parse(parent).root
                    ? "is the file-system root"
                    : inside(home, parent)
                      ? `holds the home folder (${parent})`
                      : `holds the project folder (${parent})`;
            assert.deepStrictEqual(render(".."), refusal("..", why));
        });
        it("refuses system folders", () => {
            for (const [dir, root] of [
                ["/etc", "/etc"],
                ["/usr/local/rendered", "/usr"],
                ["/proc/self", "/proc"],
                ["/var/lib/x", "/var"],
            ]) {
                assert.deepStrictEqual(
                    render(dir),
                    refusal(dir, `is under the system folder ${root} (${fs.existsSync(dir) ? fs.realpathSync(dir) : dir})`),
                );
            }
        });
        it("refuses a symbolic link to the project folder, judged by its target", () => {
            const link = path.join(tmp, "innocent");
            fs.symlinkSync(project, link);
            assert.deepStrictEqual(render(link), refusal(link, `is the project folder (${project})`));
        });
        it("refuses an existing file", () => {
            const file = path.join(tmp, "a-file");
            fs.writeFileSync(file, "");
            assert.deepStrictEqual(render(file), refusal(file, `is an existing file, not a folder (${fs.realpathSync(file)})`));
        });
        it("refuses a tracked folder of the repository", function () {
            if (!inGitWorkTree()) {
                this.skip();
            }
            assert.deepStrictEqual(
                render("components/out"),
                refusal(
                    "components/out",
                    `is inside a git work tree and not git-ignored (${path.join(project, "components/out")}), so the rendered private keys could be committed`,
                ),
            );
        });
        it("refuses a leading ~, which Pulumi config does not expand", () => {
            assert.deepStrictEqual(render("~/rendered"), [
                {
                    path: "kubernetes.renderDir",
                    value: "~/rendered",
                    message: `starts with '~', which only a shell expands, not Pulumi config (a folder named ~ would appear in the project); write the path out (${path.join(os.homedir(), "rendered")})`,
                },
            ]);
        });
        it("accepts a git-ignored folder of the project and a folder of its own elsewhere", () => {
            for (const renderDir of ["rendered/custom", path.join(tmp, "rendered")]) {
                assert.strictEqual(accepted(one({ kubernetes: { renderDir } })).kubernetes.renderDir, renderDir);
            }
        });
    });
});

function inside(child: string, parent: string): boolean {
    return child === parent || child.startsWith(`${parent}/`);
}

function inGitWorkTree(): boolean {
    try {
        return (
            execFileSync("git", ["rev-parse", "--is-inside-work-tree"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
            }).trim() === "true"
        );
    } catch {
        return false;
    }
}
