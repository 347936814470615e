import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    effectiveEnforcementLevel,
    formatViolation,
    hasMandatory,
    PACK_NAME,
    ruleConfig,
    rules,
    ruleTable,
    runPolicies,
    UNKNOWN,
    validatePackConfig,
} from "../rules";
import { toCrossGuardPolicy } from "../crossguard";
import * as f from "./fixtures";

describe("policy pack: the whole table", () => {
    it("has unique kebab-case names, descriptions, levels, sources", () => {
        const names = rules.map((r) => r.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const r of ruleTable) {
            assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.notStrictEqual(r.name, "all");
            assert.ok(r.description.length > 40, r.name);
            assert.ok(["advisory", "mandatory"].includes(r.enforcementLevel));
            assert.ok(r.source.length > 5);
            assert.ok(!r.configSchema || !("enforcementLevel" in r.configSchema.properties));
        }
        assert.strictEqual(PACK_NAME, "secure-ingress");
    });

    it("reports nothing for the good dev (mounted) and sds stacks, and only the advisory Istio 1.0 TLS default on the legacy stack", () => {
        assert.deepStrictEqual(runPolicies(f.goodMountedStack()), []);
        assert.deepStrictEqual(runPolicies(f.goodSdsStack()), []);
        const legacy = runPolicies(f.goodLegacyStack());
        assert.deepStrictEqual(
            legacy.map((v) => [v.policy, v.enforcementLevel]),
            [
                ["istio-gateway-legacy-tls-default", "advisory"],
                ["istio-gateway-legacy-tls-default", "advisory"],
            ],
        );
        assert.ok(!hasMandatory(legacy));
    });

    it("reports a deliberately bad stack, in rule order, with levels and URNs", () => {
        const stack = f.goodMountedStack();
        const gw = stack.find((r) => r.name === "mygateway")!;
        ((gw.props.spec as any).servers[1].port as any).name = "https-httpbin";
        stack.push(f.privateKey("weak", { algorithm: "ECDSA" }));
        const v = runPolicies(stack);
        assert.deepStrictEqual(
            v.map((x) => [x.policy, x.enforcementLevel, x.urn]),
            [
                ["istio-gateway-unique-port-names", "mandatory", gw.urn],
                ["tls-key-strength", "mandatory", "urn:pulumi:dev::secure-ingress::tls:index/privateKey:PrivateKey::weak"],
            ],
        );
        assert.ok(hasMandatory(v));
    });

    it("enforcement level: policy config > all > policy default", () => {
        const rule = rules.find((r) => r.name === "gateway-end-user-authentication")!;
        assert.strictEqual(effectiveEnforcementLevel(rule), "advisory");
        assert.strictEqual(effectiveEnforcementLevel(rule, { all: "mandatory" }), "mandatory");
        assert.strictEqual(
            effectiveEnforcementLevel(rule, { all: "mandatory", "gateway-end-user-authentication": "advisory" }),
            "advisory",
        );
        assert.strictEqual(
            effectiveEnforcementLevel(rule, { "gateway-end-user-authentication": { enforcementLevel: "mandatory" } }),
            "mandatory",
        );
        assert.strictEqual(effectiveEnforcementLevel(rule, { all: { enforcementLevel: "disabled" } }), "disabled");
    });

    it("runPolicies applies levels from config, skips disabled rules, reports remediate as mandatory", () => {
        const stack = f.goodSdsStack().filter((r) => !r.type.includes("RequestAuthentication"));
        assert.deepStrictEqual(
            runPolicies(stack).map((v) => [v.policy, v.enforcementLevel]),
            [["gateway-end-user-authentication", "advisory"]],
        );
        assert.deepStrictEqual(
            runPolicies(stack, { "gateway-end-user-authentication": "mandatory" }).map((v) => v.enforcementLevel),
            ["mandatory"],
        );
        assert.deepStrictEqual(
            runPolicies(stack, { "gateway-end-user-authentication": "remediate" }).map((v) => v.enforcementLevel),
            ["mandatory"],
        );
        assert.deepStrictEqual(runPolicies(stack, { all: "disabled" }), []);
        assert.deepStrictEqual(runPolicies(stack, { all: "mandatory", "gateway-end-user-authentication": "disabled" }), []);
    });

    it("rule config: schema defaults overlaid with the given properties", () => {
        const rule = rules.find((r) => r.name === "tls-leaf-validity")!;
        assert.deepStrictEqual(ruleConfig(rule), { maxValidityDays: 398 });
        assert.deepStrictEqual(ruleConfig(rule, { enforcementLevel: "advisory", maxValidityDays: 90 }), { maxValidityDays: 90 });
        const stack = [f.locallySignedCert("server", { isCaCertificate: false, validityPeriodHours: 8760, allowedUses: ["server_auth"] })];
        assert.deepStrictEqual(runPolicies(stack), []);
        assert.deepStrictEqual(
            runPolicies(stack, { "tls-leaf-validity": { maxValidityDays: 90 } }).map((v) => v.message),
            [
                `tls.LocallySignedCert "server": leaf certificate valid for 8760 hours (365 days) exceeds the maximum of 90 days (2160 hours)`,
            ],
        );
    });

    it("validatePackConfig rejects unknown policies, levels, properties and types", () => {
        assert.deepStrictEqual(validatePackConfig({ all: "mandatory", "tls-key-strength": { minRsaBits: 3072 } }), []);
        assert.deepStrictEqual(
            validatePackConfig({
                "no-such-rule": "advisory",
                "tls-key-strength": { enforcementLevel: "strict" as any, minRsaBits: "big", typo: 1 },
                "istio-gateway-min-tls-version": { minimumVersion: "TLSV9" },
            }).map((p) => p.replace(/ \(known:.*\)/, "")),
            [
                `unknown policy "no-such-rule"`,
                `tls-key-strength.enforcementLevel: invalid enforcement level "strict"`,
                `tls-key-strength.minRsaBits: expected integer, got "big"`,
                `tls-key-strength: unknown property "typo"`,
                `istio-gateway-min-tls-version.minimumVersion: "TLSV9" is not one of TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3`,
            ],
        );
        assert.throws(() => runPolicies([], { nope: "advisory" } as any), /invalid policy pack config/);
    });

    it("the example config files are valid, and the default one keeps the good stacks clean", () => {
        const dir = path.resolve(__dirname, "..", "examples");
        const def = JSON.parse(fs.readFileSync(path.join(dir, "policy-config.json"), "utf8"));
        const strict = JSON.parse(fs.readFileSync(path.join(dir, "strict-config.json"), "utf8"));
        assert.deepStrictEqual(validatePackConfig(def), []);
        assert.deepStrictEqual(validatePackConfig(strict), []);
        assert.deepStrictEqual(runPolicies(f.goodMountedStack(), def), []);
        assert.deepStrictEqual(runPolicies(f.goodSdsStack(), def), []);
        // Strict: TLS 1.3 minimum, 90-day leaves, everything mandatory.
        const strictPolicies = new Set(runPolicies(f.goodMountedStack(), strict).map((v) => `${v.policy}:${v.enforcementLevel}`));
        assert.deepStrictEqual([...strictPolicies].sort(), [
            "istio-gateway-min-tls-version:mandatory",
            "tls-key-strength:mandatory",
            "tls-leaf-validity:mandatory",
        ]);
    });

    it("formats a violation for a terminal", () => {
        const [v] = runPolicies([f.privateKey("ca-key", { algorithm: "ECDSA", ecdsaCurve: "P224" })]);
        assert.strictEqual(
            formatViolation(v),
            `[mandatory] tls-key-strength: tls.PrivateKey "ca-key": ECDSA curve P224 is refused; set ecdsaCurve to P256 or stronger (at least 256 bits)`,
        );
    });

    it("never reports on unknown (preview) values", () => {
        const gw = f.mygatewaySds();
        (gw.props.spec as any).servers[0].tls.credentialName = UNKNOWN;
        (gw.props.spec as any).servers[1].tls = UNKNOWN;
        const key = f.privateKey("k", { algorithm: "ECDSA", ecdsaCurve: UNKNOWN });
        const secretWithUnknownData = f.secret("bookinfo-credential", {});
        secretWithUnknownData.props.data = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"; // the engine's unknown-object sentinel
        assert.deepStrictEqual(runPolicies([gw, key, f.requestAuthentication(), secretWithUnknownData, ...f.sdsSecrets().slice(0, 1)]), []);
    });
});

describe("policy pack: CrossGuard adapters", () => {
    function fakeArgs(r: f.Res, config: Record<string, unknown> = {}) {
        return {
            ...r,
            urn: r.urn!,
            opts: {} as any,
            stackTags: new Map(),
            isType: () => false,
            asType: () => undefined,
            getConfig: () => config as any,
            notApplicable: (() => {
                throw new Error();
            }) as any,
        };
    }

    it("maps every rule to a policy with the same name, level, description and config schema", () => {
        for (const rule of rules) {
            const p = toCrossGuardPolicy(rule);
            assert.strictEqual(p.name, rule.name);
            assert.strictEqual(p.enforcementLevel, rule.enforcementLevel);
            assert.strictEqual(p.description, rule.description);
            assert.strictEqual("validateStack" in p, rule.scope === "stack");
            assert.deepStrictEqual(p.configSchema?.properties ?? {}, rule.configSchema?.properties ?? {});
        }
    });

    it("validateResource reports the same messages as runPolicies, reading CrossGuard's unknown-checking proxy", () => {
        const { unknownCheckingProxy } = require("@pulumi/policy");
        const key = f.privateKey("weak", { algorithm: "RSA", rsaBits: 1024, ecdsaCurve: "3eeb2bf0-c639-47a8-9e75-3b44932eb421" });
        const policy = toCrossGuardPolicy(rules.find((r) => r.name === "tls-key-strength")!) as any;
        const got: string[] = [];
        policy.validateResource({ ...fakeArgs(key), props: unknownCheckingProxy(key.props) }, (m: string) => got.push(m));
        assert.deepStrictEqual(
            got,
            runPolicies([key]).map((v) => v.message),
        );
        const got2: string[] = [];
        policy.validateResource({ ...fakeArgs(key, { minRsaBits: 1024 }), props: unknownCheckingProxy(key.props) }, (m: string) =>
            got2.push(m),
        );
        assert.deepStrictEqual(got2, []);
    });

    it("validateStack reports messages with the URN of the resource they are about", () => {
        const stack = [f.mygatewaySds(), f.httpbinVs(), f.virtualService("other", "other.example.com", ["mygateway"])];
        const policy = toCrossGuardPolicy(rules.find((r) => r.name === "istio-virtualservice-host-in-gateway")!) as any;
        const got: [string, string | undefined][] = [];
        policy.validateStack({ resources: stack.map((r) => fakeArgs(r)), getConfig: () => ({}) }, (m: string, u?: string) =>
            got.push([m, u]),
        );
        assert.deepStrictEqual(got, [
            [
                "VirtualService default/other: one or more host [other.example.com] defined in VirtualService default/other not found in Gateway default/mygateway (IST0132)",
                stack[2].urn,
            ],
        ]);
    });

    it("loading the rules and adapters starts no gRPC server and loads no @pulumi/policy runtime", () => {
        const root = path.resolve(__dirname, "..", "..");
        const script = [
            "require('./policy/rules'); require('./policy/crossguard');",
            "const loaded = Object.keys(require.cache).filter(k => /@pulumi[\\\\/]policy|@grpc/.test(k));",
            "const handles = process.getActiveResourcesInfo().filter(h => !['TTYWrap', 'PipeWrap'].includes(h));",
            "console.log(JSON.stringify({ loaded, handles }));",
        ].join("\n");
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: root,
            encoding: "utf8",
            timeout: 30000,
        });
        assert.deepStrictEqual(JSON.parse(out.trim().split("\n").pop()!), { loaded: [], handles: [] });
        // execFileSync returned, so the child exited on its own: nothing was left listening.
        // Only policy/index.ts constructs the pack.
        const sources = ["crossguard.ts", ...fs.readdirSync(path.join(root, "policy", "rules")).map((n) => `rules/${n}`)];
        for (const s of sources) {
            assert.ok(!/new PolicyPack\(/.test(fs.readFileSync(path.join(root, "policy", s), "utf8")), s);
        }
        assert.match(fs.readFileSync(path.join(root, "policy", "index.ts"), "utf8"), /new PolicyPack\(PACK_NAME/);
    });
});
