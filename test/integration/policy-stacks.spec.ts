// The whole policy pack over the resources the program registers for each shipped stack.
import * as assert from "assert";
import { execFileSync } from "child_process";
import { runPolicies, Violation } from "../../policy/rules";
import { runStack } from "../support/harness";
import { repoRoot } from "../../commands/offline/stacks";

async function violations(stack: string): Promise<Violation[]> {
    const run = await runStack(stack);
    return runPolicies(run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })));
}

const summary = (vs: Violation[]) => vs.map((v) => `${v.enforcementLevel} ${v.policy} ${v.urn?.split("::").pop()}`).sort();

describe("policy pack over the shipped stacks", function () {
    it("dev, sds and cert-manager (today's Istio): no violation", async () => {
        assert.deepStrictEqual(await violations("dev"), []);
        assert.deepStrictEqual(await violations("sds"), []);
        assert.deepStrictEqual(await violations("cert-manager"), []);
    });

    it("gateway-api (the task on the Kubernetes Gateway API): no violation", async () => {
        assert.deepStrictEqual(await violations("gateway-api"), []);
    });

    it("legacy (the task for Istio 1.0): nothing mandatory; advisories for what Istio 1.0 could not express", async () => {
        assert.deepStrictEqual(summary(await violations("legacy")), [
            // The task's plain-HTTP JWT check.
            "advisory istio-gateway-https-redirect gateway-default-mygateway",
            // Istio 1.0 has no minProtocolVersion and its Envoy accepted TLS 1.0: one per HTTPS server.
            "advisory istio-gateway-legacy-tls-default gateway-default-mygateway",
            "advisory istio-gateway-legacy-tls-default gateway-default-mygateway",
        ]);
    });

    it("bad-example: the legacy Policy on Istio 1.26, two-year leaves, plain HTTP", async () => {
        assert.deepStrictEqual(summary(await violations("bad-example")), [
            "advisory istio-gateway-https-redirect gateway-default-mygateway",
            "mandatory istio-legacy-authentication-policy policy-istio-system-ingressgateway",
            "mandatory tls-leaf-validity secure-ingress-pki-httpbin-server",
        ]);
    });

    it("npm run policy:check exits 1 on a mandatory violation and 0 on a clean stack", () => {
        const run = (stack: string) => {
            try {
                return {
                    code: 0,
                    out: execFileSync("npm", ["run", "-s", "policy:check", "--", "--stack", stack], { cwd: repoRoot, encoding: "utf8" }),
                };
            } catch (e: any) {
                return { code: e.status as number, out: String(e.stdout) };
            }
        };
        const bad = run("bad-example");
        assert.strictEqual(bad.code, 1);
        assert.match(bad.out, /\[mandatory\] tls-leaf-validity: .*17520 hours/);
        assert.match(bad.out, /stack bad-example: 3 violation\(s\), 2 mandatory/);
        const dev = run("dev");
        assert.strictEqual(dev.code, 0);
        assert.match(dev.out, /stack dev: 0 violation\(s\), 0 mandatory/);
    });
});
