// Writes what `istioctl analyze --use-kube=false` reads: the Kubernetes objects of every shipped stack (the program
// under Pulumi mocks, as the live tests run it), and the failing fixtures of the policy rules derived from Istio's
// analyzers, each file named after the IST code the pack claims for it. Usage: render.ts OUT_DIR (STACK | --fixtures | --list |
// --variants | --variant NAME: the gateway-api stack's variants);
// one stack per process, since the Pulumi mocks belong to the process.
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { k8sObjects, runProgram, runStack, shippedStacks, stackConfig } from "../../support/harness";
import { parseConfig } from "../../../components/config/parse";
import * as f from "../../../policy/test/fixtures";
import { PolicyResource, runPolicies } from "../../../policy/rules";

function manifest(r: PolicyResource): Record<string, unknown> {
    const m = /^kubernetes:(.+):([^:]+)$/.exec(r.type);
    if (!m) {
        throw new Error(`not a Kubernetes type: ${r.type}`);
    }
    return { apiVersion: m[1].replace(/^core\//, ""), kind: m[2], ...r.props };
}

const write = (file: string, objects: Record<string, unknown>[]) =>
    fs.writeFileSync(file, objects.map((o) => `---\n${stringify(o)}`).join(""));

/** The rule's failing fixture, as its spec builds it, with the IST code it claims. */
function failingFixtures(): { code: string; rule: string; resources: PolicyResource[] }[] {
    const missing = f.virtualService("bookinfo", "bookinfo.com", ["istio-system/mygateway"]);
    const notServed = f.virtualService("other", "other.example.com", ["mygateway"]);
    const wild = f.mygatewaySds();
    (wild.props.metadata as any).name = "wildcard";
    f.serversOf(wild).splice(1, 1);
    f.serversOf(wild)[0].hosts = ["*.example.com"];
    const dup = f.mygatewaySds();
    (dup.props.metadata as any).name = "bookinfo-gateway";
    f.serversOf(dup).splice(0, 1);
    f.tlsOf(dup, 0).credentialName = "httpbin-credential";
    f.serversOf(dup)[0].hosts = ["other.example.com"];
    return [
        { code: "IST0101", rule: "istio-virtualservice-gateway-exists", resources: [f.mygateway(), missing] },
        { code: "IST0132", rule: "istio-virtualservice-host-in-gateway", resources: [f.mygateway(), notServed] },
        { code: "IST0145", rule: "istio-gateway-conflict", resources: [f.mygateway(), wild] },
        { code: "IST0138", rule: "istio-gateway-duplicate-certificate", resources: [f.mygatewaySds(), dup] },
    ];
}

/** The gateway-api stack with what its shipped file does not exercise: each variant's config over it. */
const gatewayApiVariants: Record<string, Record<string, unknown>> = {
    frontend: {
        "secure-ingress:istioVersion": "1.30",
        "secure-ingress:pki": { caMode: "shared" },
        "secure-ingress:hosts": (stackConfig("gateway-api")["secure-ingress:hosts"] as any[]).map((h) => ({ ...h, tls: "MUTUAL" })),
    },
    "existing-workload-http-routes": {
        "secure-ingress:gateway": { workload: "none", secretDelivery: "sds", http: { enabled: true }, serviceType: "ClusterIP" },
    },
    "cross-namespace-backend": {
        "secure-ingress:hosts": (stackConfig("gateway-api")["secure-ingress:hosts"] as any[]).map((h) => ({
            ...h,
            routes: h.routes.map((r: any) => ({
                ...r,
                destination: { ...r.destination, host: `${r.destination.host}.shop.svc.cluster.local` },
            })),
        })),
    },
};

async function main() {
    const [out, what, variant] = process.argv.slice(2);
    if (what === "--variants") {
        console.log(Object.keys(gatewayApiVariants).join("\n"));
        return;
    }
    if (what === "--variant") {
        fs.mkdirSync(path.join(out, "variants"), { recursive: true });
        const run = await runProgram(parseConfig({ ...stackConfig("gateway-api"), ...gatewayApiVariants[variant] }), variant);
        write(
            path.join(out, "variants", `${variant}.yaml`),
            k8sObjects(run).map((r) => r.inputs),
        );
        return;
    }
    if (what === "--list") {
        console.log(shippedStacks().join("\n"));
        return;
    }
    if (what !== "--fixtures") {
        fs.mkdirSync(path.join(out, "stacks"), { recursive: true });
        const run = await runStack(what);
        write(
            path.join(out, "stacks", `${what}.yaml`),
            k8sObjects(run).map((r) => r.inputs),
        );
        return;
    }
    fs.mkdirSync(path.join(out, "fixtures"), { recursive: true });
    for (const fx of failingFixtures()) {
        const claimed = runPolicies(fx.resources).filter((v) => v.policy === fx.rule);
        if (claimed.length === 0 || !claimed.every((v) => v.message.includes(`(${fx.code})`))) {
            throw new Error(`${fx.rule}: the fixture does not get the pack's ${fx.code} finding: ${JSON.stringify(claimed)}`);
        }
        write(path.join(out, "fixtures", `${fx.code}-${fx.rule}.yaml`), fx.resources.map(manifest));
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
