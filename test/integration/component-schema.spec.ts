// The multi-language component: the checked-in provider/schema.json is what the SDK's analyzer derives from the
// sources today, and what other languages see is the component's args and plain outputs.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../support/harness";
import { componentSchema, readmeFile, schemaFile } from "../../provider/componentSchema";
import { argRows, beginMarker, endMarker, withArgsTable } from "../../provider/argsReference";

const token = "secure-ingress:index:SecureIngress";
const readJson = (f: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, f), "utf8"));

describe("multi-language component", function () {
    this.timeout(120000);
    let schema: Record<string, any>;

    before(async () => {
        schema = await componentSchema();
    });

    it("provider/schema.json is the schema the analyzer derives from the sources now (npm run schema rewrites it)", () => {
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(schemaFile, "utf8")), schema);
    });

    it("a Node.js plugin named and versioned as the npm package, serving the component's own type token", () => {
        assert.deepStrictEqual(
            parseYaml(fs.readFileSync(path.join(repoRoot, "provider", "PulumiPlugin.yaml"), "utf8")).runtime.name,
            "nodejs",
        );
        const root = readJson("package.json");
        const plugin = readJson("provider/package.json");
        assert.deepStrictEqual([plugin.name, plugin.version], [root.name, root.version]);
        assert.deepStrictEqual([schema.name, schema.version], [root.name, root.version]);
        assert.deepStrictEqual(Object.keys(schema.resources), [token]);
        assert.match(fs.readFileSync(path.join(repoRoot, "components", "secureIngress.ts"), "utf8"), new RegExp(`super\\("${token}"`));
    });

    it("takes the args with only hosts required, and the modes as string enums with the TypeScript values", () => {
        const resource = schema.resources[token];
        assert.deepStrictEqual(resource.requiredInputs, ["hosts"]);
        assert.ok(resource.isComponent);
        const tls = schema.types["secure-ingress:index:TlsMode"];
        assert.deepStrictEqual(
            tls.enum.map((e: { value: string }) => e.value),
            ["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"],
        );
        // Fields that decide which resources exist are plain; a provided PEM may be an Output.
        assert.strictEqual(schema.types["secure-ingress:index:HostArgs"].properties.tls.plain, true);
        assert.strictEqual(schema.types["secure-ingress:index:ProvidedCertificateArgs"].properties.certPem.plain, undefined);
    });

    it("outputs only values, no references to Kubernetes or TLS resources (those stay typed for TypeScript callers)", () => {
        const outputs = schema.resources[token].properties;
        assert.deepStrictEqual(Object.keys(outputs).sort(), [
            "certificates",
            "environment",
            "jwks",
            "jwtToken",
            "privateKeys",
            "secretNames",
            "testCommands",
            "troubleshooting",
        ]);
        assert.deepStrictEqual(schema.dependencies ?? [], []);
        assert.ok(!JSON.stringify(schema).includes('"$ref":"/'), "no reference into another package's schema");
    });

    it("the README's args reference lists every arg of the schema and nothing else, as npm run schema writes it", () => {
        const readme = fs.readFileSync(readmeFile, "utf8");
        const block = readme.slice(readme.indexOf(beginMarker), readme.indexOf(endMarker));
        const documented = [...block.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
        const inSchema = argRows(schema).map((r) => r.path);
        assert.deepStrictEqual(
            inSchema.filter((p) => !documented.includes(p)),
            [],
            "in the schema, missing from the README",
        );
        assert.deepStrictEqual(
            documented.filter((p) => !inSchema.includes(p)),
            [],
            "in the README, not in the schema",
        );
        // Every object type the args reach shows all of its fields.
        for (const field of Object.keys(schema.types["secure-ingress:index:ProvidedCertificateArgs"].properties)) {
            assert.ok(documented.includes(`certificates.<name>.${field}`), field);
        }
        assert.strictEqual(readme, withArgsTable(readme, schema));
    });

    it("the args reference gives the defaults inside optional blocks: cert-manager's own, and the probe's status", () => {
        const defaults = Object.fromEntries(argRows(schema).map((r) => [r.path, r.default]));
        // cert-manager's defaults for an issuerRef without kind and group, and its key rotation policy since v1.18.
        assert.strictEqual(defaults["hosts[].certManager.issuerRef.kind"], '`"Issuer"`');
        assert.strictEqual(defaults["hosts[].certManager.issuerRef.group"], '`"cert-manager.io"`');
        assert.strictEqual(defaults["hosts[].certManager.privateKey.rotationPolicy"], '`"Always"`');
        // A probe without a status expects what a plain successful request answers.
        assert.strictEqual(defaults["hosts[].probe.status"], "`200`");
        // Derived from other keys, so no fixed default: the description says from which.
        assert.strictEqual(defaults["hosts[].certManager.duration"], "");
        // Required fields never show one.
        assert.strictEqual(defaults["hosts[].probe.path"], "");
    });
});
