/**
 * The real pack, end to end without the Pulumi CLI: start `policy/index.ts` the way the
 * pulumi-analyzer-policy plugin does (cwd = policy/, so the PolicyPack reads policy/package.json),
 * read the port it prints, and speak the engine's Analyzer gRPC protocol to it.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { rules, runPolicies } from "../rules";
import * as f from "./fixtures";

const grpc = require("@grpc/grpc-js");
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const pb = require("@pulumi/pulumi/proto/analyzer_pb.js");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb.js");

const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];

function call<T>(client: any, method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
}

function resourceMessage(Ctor: any, r: f.Res) {
    const m = new Ctor();
    m.setType(r.type);
    m.setName(r.name);
    m.setUrn(r.urn);
    m.setProperties(Struct.fromJavaScript(r.props));
    m.setOptions(new pb.AnalyzerResourceOptions());
    return m;
}

/** The diagnostics as Violations. On the wire, @pulumi/policy prefixes each message with the policy's description and a newline. */
function diagnostics(res: any) {
    return res.getDiagnosticsList().map((d: any) => {
        const prefix = `${d.getDescription()}\n`;
        assert.ok(d.getMessage().startsWith(prefix), d.getMessage());
        return {
            policy: d.getPolicyname(),
            enforcementLevel: LEVEL[d.getEnforcementlevel()],
            ...(d.getUrn() ? { urn: d.getUrn() } : {}),
            message: d.getMessage().slice(prefix.length),
        };
    });
}

describe("policy pack over the Analyzer gRPC protocol (the real PolicyPack server)", function () {
    this.timeout(60000);
    let child: ChildProcess;
    let client: any;

    before(async () => {
        child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
            cwd: path.resolve(__dirname, ".."),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr!.on("data", (d) => {
            stderr += d;
        });
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    resolve(m[1]);
                }
            });
            child.on("exit", (code) => reject(new Error(`pack exited with ${code}: ${stderr}`)));
        });
        client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (child && child.exitCode === null) {
            child.kill();
        }
    });

    it("GetAnalyzerInfo: the pack's name and every rule with its level and config schema", async () => {
        const info: any = await call(client, "getAnalyzerInfo", new Empty());
        assert.strictEqual(info.getName(), "secure-ingress");
        const policies = info.getPoliciesList().map((p: any) => [p.getName(), LEVEL[p.getEnforcementlevel()]]);
        assert.deepStrictEqual(
            policies,
            rules.map((r) => [r.name, r.enforcementLevel]),
        );
        const keyStrength = info.getPoliciesList().find((p: any) => p.getName() === "tls-key-strength");
        assert.deepStrictEqual(Object.keys(keyStrength.getConfigschema().getProperties().toJavaScript()).sort(), [
            "minEcdsaBits",
            "minRsaBits",
        ]);
    });

    it("Analyze: a resource rule reports what runPolicies reports, unknown values included", async () => {
        const key = f.privateKey("ca-key", { algorithm: "ECDSA" });
        const res = await call(client, "analyze", resourceMessage(pb.AnalyzeRequest, key));
        assert.deepStrictEqual(
            diagnostics(res).map(({ urn, ...d }: any) => d),
            runPolicies([key]).map(({ urn, ...v }) => v),
        );
        const unknown = f.privateKey("later", { algorithm: "RSA", rsaBits: "3eeb2bf0-c639-47a8-9e75-3b44932eb421" });
        assert.deepStrictEqual(diagnostics(await call(client, "analyze", resourceMessage(pb.AnalyzeRequest, unknown))), []);
    });

    it("AnalyzeStack: a stack rule reports against the resource's URN", async () => {
        const stack = [
            f.mygateway(),
            f.httpbinVs(),
            f.virtualService("other", "other.example.com", ["mygateway"]),
            ...f.mountedSecrets(),
            f.requestAuthentication(),
        ];
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(stack.map((r) => resourceMessage(pb.AnalyzerResource, r)));
        const got = diagnostics(await call(client, "analyzeStack", req));
        const want = runPolicies(stack).filter((v) => rules.find((r) => r.name === v.policy)!.scope === "stack");
        assert.deepStrictEqual(got, want);
        assert.ok(got.some((d: any) => d.policy === "istio-virtualservice-host-in-gateway" && d.urn === stack[2].urn));
    });

    it("Configure: a config entry overrides the level and the thresholds", async () => {
        const req = new pb.ConfigureAnalyzerRequest();
        const cfg = new pb.PolicyConfig();
        cfg.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
        cfg.setProperties(Struct.fromJavaScript({ minRsaBits: 4096 }));
        req.getPolicyconfigMap().set("tls-key-strength", cfg);
        await call(client, "configure", req);
        const key = f.privateKey("rsa", { algorithm: "RSA", rsaBits: 3072 });
        const got = diagnostics(await call(client, "analyze", resourceMessage(pb.AnalyzeRequest, key)));
        assert.deepStrictEqual(
            got.map(({ urn, ...d }: any) => d),
            runPolicies([key], { "tls-key-strength": { enforcementLevel: "advisory", minRsaBits: 4096 } }).map(({ urn, ...v }) => v),
        );
        assert.strictEqual(got[0].enforcementLevel, "advisory");
    });
});
