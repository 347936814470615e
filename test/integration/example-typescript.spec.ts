// examples/typescript as a user would have it: the library installed from the packed tarball (not a relative
// import), type-checked with tsc against the packed .d.ts, then run under mocks.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createRequire } from "module";
import * as pulumi from "@pulumi/pulumi";
import { captureResources, CapturedResource, repoRoot, unwrap } from "../support/harness";
import { unwrapSecrets } from "../../commands/offline/secrets";
import { compileProject, installPacked, Packed, packedLibrary } from "../support/packed";

const exampleDir = path.join(repoRoot, "examples", "typescript");
const exampleFiles = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts"];

/** What the engine is told at each registration: the URN it gives back, the provider and the dependencies. */
interface Registration {
    type: string;
    name: string;
    urn: string;
    provider: string;
    dependencies: string[];
}

/** Records every registerResource the mock engine receives (the mocks' newResource sees neither edge). */
function recordRegistrations(): Registration[] {
    const seen: Registration[] = [];
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) =>
        register(req, (err: unknown, resp: any) => {
            if (resp) {
                seen.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    provider: req.getProvider(),
                    dependencies: req.getDependenciesList(),
                });
            }
            callback(err, resp);
        });
    return seen;
}

describe("examples/typescript: the packed library in a program of its own", function () {
    this.timeout(180000);
    let packed: Packed;
    let dir: string;

    before(async () => {
        packed = await packedLibrary();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "si-example-"));
        for (const f of exampleFiles) {
            fs.copyFileSync(path.join(exampleDir, f), path.join(dir, f));
        }
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        await installPacked(dir, packed, [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    });

    it("depends on the tarball npm pack writes for this version", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.strictEqual(pkg.dependencies["secure-ingress"], `file:${path.basename(packed.tarball)}`);
        assert.ok(!fs.readFileSync(path.join(dir, "index.ts"), "utf8").includes("../"), "the example imports nothing by relative path");
        const resolved = createRequire(path.join(dir, "index.ts")).resolve("secure-ingress");
        assert.strictEqual(resolved, path.join(dir, "node_modules", "secure-ingress", packed.manifest.main));
    });

    it("type-checks with tsc against the packed .d.ts, which rejects a wrong arg", () => {
        assert.deepStrictEqual(compileProject(path.join(dir, "tsconfig.json"), { noEmit: true }), []);
        // The same program with a host missing its required fields: the packed types must say so.
        const broken = path.join(dir, "broken");
        fs.mkdirSync(broken, { recursive: true });
        const source = fs
            .readFileSync(path.join(dir, "index.ts"), "utf8")
            .replace('{ name: "app", host: "app.example.com",', '{ name: "app",');
        assert.notStrictEqual(source, fs.readFileSync(path.join(dir, "index.ts"), "utf8"));
        fs.writeFileSync(path.join(broken, "index.ts"), source);
        fs.writeFileSync(path.join(broken, "tsconfig.json"), fs.readFileSync(path.join(dir, "tsconfig.json")));
        fs.symlinkSync(path.join(dir, "node_modules"), path.join(broken, "node_modules"), "dir");
        const errors = compileProject(path.join(broken, "tsconfig.json"), { noEmit: true });
        assert.ok(
            errors.some((e) => /Property 'host' is missing/.test(e)),
            errors.join("\n"),
        );
    });

    describe("under mocks", () => {
        let resources: CapturedResource[];
        let registrations: Registration[];
        let outputs: Record<string, any>;
        const objects = (kind: string) => resources.filter((r) => r.inputs.kind === kind);

        before(async () => {
            resources = await captureResources("example");
            registrations = recordRegistrations();
            const program = require(path.join(dir, "index.ts"));
            outputs = {};
            for (const [key, value] of Object.entries(program)) {
                outputs[key] = await unwrap(pulumi.output(value as any));
            }
        });

        it("loads the library from the installed tarball", () => {
            const loaded = Object.keys(require.cache).filter((f) => f.endsWith(`${path.sep}secureIngress.js`));
            assert.ok(
                loaded.includes(path.join(dir, "node_modules", "secure-ingress", "lib", "components", "secureIngress.js")),
                loaded.join(", "),
            );
            // Not the repository's build, nor its sources (the test's own import of components/ is a .ts file).
            assert.deepStrictEqual(
                loaded.filter((f) => f.startsWith(repoRoot)),
                [],
            );
        });

        it("two Gateways in two namespaces, each with its own workload and VirtualService", () => {
            const gateways = objects("Gateway").map((g) => `${g.inputs.metadata.namespace}/${g.inputs.metadata.name}`);
            assert.deepStrictEqual(gateways.sort(), ["edge/edge", "partner/partner"]);
            const selectors = objects("Gateway").map((g) => g.inputs.spec.selector.istio);
            assert.deepStrictEqual(selectors.sort(), ["edge-gateway", "partner-gateway"]);
            const services = objects("VirtualService").map((v) => `${v.inputs.metadata.namespace}/${v.inputs.spec.hosts[0]}`);
            assert.deepStrictEqual(services.sort(), ["edge/app.example.com", "partner/partner.example.com"]);
            const deployments = objects("Deployment").map((d) => `${d.inputs.metadata.namespace}/${d.inputs.metadata.name}`);
            assert.deepStrictEqual(deployments.sort(), ["edge/edge-gateway", "partner/partner-gateway"]);
        });

        it("no two resources share a URN, and every Kubernetes object uses the program's own provider", () => {
            const urns = registrations.map((r) => r.urn);
            assert.deepStrictEqual(
                urns.filter((u, i) => urns.indexOf(u) !== i),
                [],
            );
            const provider = registrations.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "k8s");
            assert.ok(provider, "the example's k8s.Provider was registered");
            const objectsOf = registrations.filter((r) => r.type.startsWith("kubernetes:"));
            assert.ok(objectsOf.length >= 14, `${objectsOf.length} objects`);
            assert.deepStrictEqual(
                objectsOf.filter((r) => !r.provider.startsWith(`${provider.urn}::`)).map((r) => r.name),
                [],
            );
        });

        it("the PEM from the program's own tls resource arrives in the partner's Secret", () => {
            const cert = resources.find((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.name === "partner-cert");
            const key = resources.find((r) => r.type === "tls:index/privateKey:PrivateKey" && r.name === "partner-key");
            assert.ok(cert && key && cert.state.certPem.startsWith("-----BEGIN CERTIFICATE-----"), "the tls double issued a certificate");
            const [secret] = objects("Secret").filter((s) => s.inputs.metadata.namespace === "partner");
            assert.ok(secret, "a Secret in the partner namespace");
            assert.strictEqual(secret.inputs.stringData["tls.crt"].trim(), cert.state.certPem.trim());
            assert.strictEqual(secret.inputs.stringData["tls.key"].trim(), unwrapSecrets(key.state).privateKeyPem.trim());
            assert.strictEqual(outputs.partnerCertPem, cert.state.certPem);
        });

        it("the program's ConfigMap depends on both exposed Gateways", () => {
            const gatewayUrns = registrations.filter((r) => r.type === "kubernetes:networking.istio.io/v1:Gateway").map((r) => r.urn);
            assert.strictEqual(gatewayUrns.length, 2);
            const configMap = registrations.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "gateways");
            assert.ok(configMap);
            assert.deepStrictEqual(
                gatewayUrns.filter((u) => !configMap.dependencies.includes(u)),
                [],
            );
            assert.deepStrictEqual(outputs.edgeSecrets, ["app-credential"]);
        });
    });
});
