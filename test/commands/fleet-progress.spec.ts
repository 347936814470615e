// Progress and summary from the engine's events (shaped as the CLI's --event-log writes them), and the outputs table
// from a real program run's outputs, its expiry dates checked against OpenSSL's reading of the same certificates.
import * as assert from "assert";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { applyEvent, formatOps, initialProgress, StackProgress, statusLine, summaryTable } from "../../commands/fleet/progress";
import { outputRows } from "../../commands/fleet/outputs";
import { pemCertificates } from "../../components/expiry";
import { runStack } from "../support/harness";
import { openssl, Scratch } from "../support/openssl";

const urn = (type: string, name: string) => `urn:pulumi:eu-1::secure-ingress::${type}::${name}`;
let seq = 0;
function step(kind: "resourcePreEvent" | "resOutputsEvent", op: string, type: string, name: string): EngineEvent {
    const metadata = {
        op: op as any,
        urn: urn(type, name),
        type,
        provider: "urn:pulumi:eu-1::secure-ingress::pulumi:providers:kubernetes::k8s::id",
    };
    return { sequence: seq++, timestamp: 1764662400 + seq, [kind]: { metadata, planning: false } } as EngineEvent;
}

describe("fleet progress", () => {
    const events: EngineEvent[] = [
        { sequence: seq++, timestamp: 1764662400, preludeEvent: { config: { "secure-ingress:apiLevel": "current" } } },
        step("resourcePreEvent", "same", "pulumi:pulumi:Stack", "secure-ingress-eu-1"),
        step("resourcePreEvent", "same", "pulumi:providers:kubernetes", "k8s"),
        step("resOutputsEvent", "same", "pulumi:providers:kubernetes", "k8s"),
        step("resourcePreEvent", "update", "kubernetes:networking.istio.io/v1:VirtualService", "virtualservice-default-httpbin"),
        step("resourcePreEvent", "create", "kubernetes:core/v1:Secret", "secret-istio-system-extra"),
        step("resourcePreEvent", "same", "kubernetes:core/v1:Service", "service-default-httpbin"),
        step("resOutputsEvent", "same", "kubernetes:core/v1:Service", "service-default-httpbin"),
        step("resOutputsEvent", "update", "kubernetes:networking.istio.io/v1:VirtualService", "virtualservice-default-httpbin"),
    ];

    it("counts finished steps by operation and those in flight, leaving out the stack and its providers", () => {
        const p = events.reduce(applyEvent, initialProgress("eu-1", "canary"));
        assert.deepStrictEqual(p.done, { same: 1, update: 1 });
        assert.strictEqual(p.inFlight, 1); // the Secret create
        assert.strictEqual(statusLine({ ...p, state: "updating" }, 0), "eu-1          [canary]    updating    2 done (~1 =1), 1 in flight");
    });

    it("the summary event's counts replace the running ones; error diagnostics and policy events are kept", () => {
        const tail: EngineEvent[] = [
            {
                sequence: seq++,
                timestamp: 1764662500,
                diagnosticEvent: {
                    urn: urn("kubernetes:core/v1:Secret", "secret-istio-system-extra"),
                    message: '\x1b[31merror: \x1b[0msecrets "extra" is forbidden: exceeded quota\nmore detail\n',
                    color: "raw",
                    severity: "error",
                },
            },
            {
                sequence: seq++,
                timestamp: 1764662501,
                diagnosticEvent: { message: "error: update failed\n", color: "raw", severity: "error" },
            },
            {
                sequence: seq++,
                timestamp: 1764662502,
                policyEvent: {
                    message: "weak key",
                    color: "raw",
                    policyName: "key-strength",
                    policyPackName: "secure-ingress",
                    policyPackVersion: "0.1.0",
                    policyPackVersionTag: "0.1.0",
                    enforcementLevel: "warning",
                },
            },
            {
                sequence: seq++,
                timestamp: 1764662503,
                summaryEvent: {
                    maybeCorrupt: false,
                    durationSeconds: 3,
                    resourceChanges: { same: 28, update: 1, create: 0 },
                    policyPacks: {},
                },
            },
        ];
        const p = [...events, ...tail].reduce(applyEvent, initialProgress("eu-1", "canary"));
        assert.deepStrictEqual(p.changes, { same: 28, update: 1, create: 0 });
        assert.strictEqual(p.inFlight, 0);
        assert.strictEqual(p.errors, 2);
        assert.strictEqual(p.firstError, 'error: secrets "extra" is forbidden: exceeded quota');
        assert.strictEqual(p.policyViolations, 1);
        assert.strictEqual(
            statusLine({ ...p, state: "failed", startedAt: 1000, endedAt: 4500 }, 0),
            "eu-1          [canary]    failed      ~1 =28  1 policy violation  3.5s",
        );
    });

    it("formats operations: replacements count once, zero counts are left out, unknown ones by name", () => {
        assert.strictEqual(formatOps({ create: 2, update: 1, delete: 0, same: 9 }), "+2 ~1 =9");
        assert.strictEqual(formatOps({ replace: 1, "create-replacement": 1, "delete-replaced": 1 }), "+-1");
        assert.strictEqual(formatOps({ import: 3 }), "import 3");
        assert.strictEqual(formatOps({}), "no changes");
    });

    it("the closing table: a row per stack with result, changes, duration and the log or the first error", () => {
        const rows: StackProgress[] = [
            {
                ...initialProgress("eu-1", "canary"),
                state: "done",
                changes: { update: 1, same: 30 },
                startedAt: 0,
                endedAt: 12300,
                log: "/w/logs/eu-1-up.log",
            },
            { ...initialProgress("us-1", "rest"), state: "failed", firstError: "error: connection refused", startedAt: 0, endedAt: 61000 },
            { ...initialProgress("ap-1", "rest"), state: "skipped", firstError: 'wave "canary" failed (x)' },
        ];
        assert.strictEqual(
            summaryTable("up", rows),
            [
                "STACK  WAVE    RESULT   CHANGES  DURATION  DETAIL",
                "eu-1   canary  done     ~1 =30   12.3s     /w/logs/eu-1-up.log",
                "us-1   rest    failed            1m01s     error: connection refused",
                'ap-1   rest    skipped           -         wave "canary" failed (x)',
                "fleet up: 1 of 3 stacks done, 2 not",
            ].join("\n"),
        );
    });
});

describe("fleet outputs", () => {
    it("lists each certificate of each host once with OpenSSL's expiry date, and each test command", async function () {
        this.timeout(60000);
        const run = await runStack("dev");
        const now = Date.parse("2026-12-02T00:00:00Z");
        const rows = outputRows("eu-1", run.outputs, now);
        const scratch = new Scratch();
        try {
            let certs = 0;
            for (const [host, fields] of Object.entries(run.outputs.certificates as Record<string, Record<string, string>>)) {
                // Every distinct certificate of the host, by OpenSSL's fingerprint, with OpenSSL's notAfter.
                const expected = new Map<string, string>();
                for (const pem of Object.values(fields)) {
                    for (const one of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
                        const f = scratch.file(one + "\n");
                        const out = openssl(["x509", "-in", f, "-noout", "-enddate", "-fingerprint", "-sha256"]).stdout;
                        const end = new Date(/notAfter=(.*)/.exec(out)![1]).toISOString();
                        expected.set(/Fingerprint=(.*)/.exec(out)![1].trim(), end);
                    }
                }
                const got = rows.filter((r) => r.kind === "certificate" && r.name === host);
                assert.strictEqual(got.length, expected.size, `${host}: ${got.length} rows for ${expected.size} certificates`);
                assert.deepStrictEqual(got.map((r) => /expires (\S+)/.exec(r.detail)![1]).sort(), [...expected.values()].sort());
                certs += got.length;
            }
            assert.ok(certs >= 8, `only ${certs} certificates`);
            const leaf = rows.find((r) => r.kind === "certificate" && r.what.startsWith("serverCert: CN=httpbin.example.com"))!;
            const days = Math.floor((Date.parse(/expires (\S+)/.exec(leaf.detail)![1]) - now) / 86400000);
            assert.ok(leaf.detail.endsWith(`(${days} days left)`), leaf.detail);
        } finally {
            scratch.dispose();
        }
        const tests = rows.filter((r) => r.kind === "test");
        assert.deepStrictEqual(
            tests.map((t) => t.name),
            (run.outputs.testCommands as { id: string }[]).map((t) => t.id),
        );
        const mutual = tests.find((t) => t.name === "httpbin-mutual-with-client-cert")!;
        assert.strictEqual(mutual.what, 'HTTP 418, body has "teapot"');
        assert.ok(mutual.detail.startsWith("curl "), mutual.detail);
        assert.ok(!JSON.stringify(rows).includes("PRIVATE KEY"), "a private key reached the table");
    });

    it("splits a chain into its certificates", async () => {
        const run = await runStack("dev");
        const chain = (run.outputs.certificates as Record<string, Record<string, string>>)["httpbin.example.com"].caChain;
        assert.strictEqual(pemCertificates(chain).length, (chain.match(/BEGIN CERTIFICATE/g) ?? []).length);
        assert.ok(pemCertificates(chain).length >= 2);
    });
});
