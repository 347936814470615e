// What ships (the library, the commands, the policy pack, the tools) never reaches into the test tree, and the
// tests are found by module: every folder of components/ has a spec named after it, every policy rule file one of
// its name, and `npm test` runs specs wherever they sit under test/.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../commands/offline/stacks";

const shipped = ["index.ts", "components", "commands", "policy", "tools", "provider"];
const testRoot = path.join(repoRoot, "test");

function files(p: string): string[] {
    const full = path.join(repoRoot, p);
    if (!fs.existsSync(full)) {
        return [];
    }
    if (fs.statSync(full).isFile()) {
        return [p];
    }
    return fs
        .readdirSync(full)
        .filter((f) => f !== "node_modules" && f !== "test")
        .flatMap((f) => files(path.join(p, f)));
}

/** Relative module paths a TypeScript file imports and paths a shell script sources or runs. */
function references(file: string, text = fs.readFileSync(path.join(repoRoot, file), "utf8")): string[] {
    if (file.endsWith(".ts")) {
        return [...text.matchAll(/(?:from|import|require\()\s*["'](\.[^"']*)["']/g)].map((m) =>
            path.resolve(repoRoot, path.dirname(file), m[1]),
        );
    }
    if (file.endsWith(".sh")) {
        return [...text.matchAll(/(?:source|bash|\.)\s+"?\$[A-Z_]*(?:ROOT|REPO)[A-Z_]*}?"?\/([^\s"']+)/g)].map((m) =>
            path.join(repoRoot, m[1]),
        );
    }
    return [];
}

describe("layout: shipped code does not depend on test/", () => {
    const shippedFiles = shipped.flatMap(files).filter((f) => /\.(ts|sh)$/.test(f) && !f.startsWith(path.join("policy", "test")));

    it("finds the shipped sources it checks", () => {
        assert.ok(shippedFiles.includes(path.join("commands", "policyCheck.ts")));
        assert.ok(shippedFiles.includes(path.join("commands", "pulumi-env.sh")));
        assert.ok(shippedFiles.length > 40, `only ${shippedFiles.length} files`);
    });

    it("no shipped file imports, sources or runs anything under test/", () => {
        const offenders = shippedFiles.flatMap((f) =>
            references(f)
                .filter((r) => r === testRoot || r.startsWith(testRoot + path.sep))
                .map((r) => `${f} -> ${path.relative(repoRoot, r)}`),
        );
        assert.deepStrictEqual(offenders, []);
    });

    it("the library (components/, index.ts) does not import the policy pack, which imports it", () => {
        const policyRoot = path.join(repoRoot, "policy");
        const library = shippedFiles.filter((f) => f === "index.ts" || f.startsWith(`components${path.sep}`));
        const offenders = library.flatMap((f) =>
            references(f)
                .filter((r) => r.startsWith(policyRoot + path.sep))
                .map((r) => `${f} -> ${path.relative(repoRoot, r)}`),
        );
        assert.ok(library.length > 20, `only ${library.length} library files`);
        assert.deepStrictEqual(offenders, []);
    });

    it("the check sees an import or a source into test/ when there is one", () => {
        const ts = references("components/probe.ts", 'import { runStack } from "../test/support/harness";');
        assert.deepStrictEqual(ts, [path.join(testRoot, "support", "harness")]);
        const sh = references("commands/probe.sh", 'source "$SI_REPO/test/e2e/lib.sh"');
        assert.deepStrictEqual(sh, [path.join(testRoot, "e2e", "lib.sh")]);
    });
});

/** Every file under a folder of the repository, relative to it. */
function walk(dir: string): string[] {
    return fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(dir, e.name);
        return e.isDirectory() ? (e.name === "node_modules" ? [] : walk(rel)) : [rel];
    });
}

describe("layout: tests findable by module", () => {
    const specs = walk("test").filter((f) => f.endsWith(".spec.ts") && !f.startsWith(path.join("test", "e2e")));

    it("every folder of components/ has a spec under test/ named after it (<folder>.spec.ts or <folder>-<part>.spec.ts)", () => {
        const modules = fs
            .readdirSync(path.join(repoRoot, "components"), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name);
        assert.ok(modules.includes("gateway") && modules.length >= 10, modules.join(", "));
        const named = (m: string) => specs.some((f) => new RegExp(`^${m}(-[\\w-]+)?\\.spec\\.ts$`).test(path.basename(f)));
        assert.deepStrictEqual(
            modules.filter((m) => !named(m)),
            [],
        );
    });

    it("every policy rule file has policy/test/<file>.spec.ts", () => {
        const ruleFiles = fs
            .readdirSync(path.join(repoRoot, "policy", "rules"))
            .filter((f) => /^\s+name: "[a-z0-9-]+",$/m.test(fs.readFileSync(path.join(repoRoot, "policy", "rules", f), "utf8")));
        assert.ok(ruleFiles.includes("gateway-tls-settings.ts") && ruleFiles.length >= 15, ruleFiles.join(", "));
        const missing = ruleFiles.filter((f) => !fs.existsSync(path.join(repoRoot, "policy", "test", f.replace(/\.ts$/, ".spec.ts"))));
        assert.deepStrictEqual(missing, []);
    });

    it("npm test runs every spec under test/ (any folder) and policy/test/", () => {
        const script: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts.test;
        assert.ok(script.includes("'test/**/*.spec.ts'") && script.includes("'policy/test/**/*.spec.ts'"), script);
        assert.ok(
            specs.some((f) => f.startsWith(path.join("test", "unit"))) && specs.some((f) => f.startsWith(path.join("test", "integration"))),
        );
    });

    it("every path test/README.md names exists", () => {
        const readme = fs.readFileSync(path.join(repoRoot, "test", "README.md"), "utf8");
        const paths = [...readme.matchAll(/`((?:test|policy|components|commands)\/[\w./-]+)`/g)].map((m) => m[1]);
        assert.ok(paths.length > 10, `only ${paths.length} paths`);
        assert.deepStrictEqual(
            paths.filter((p) => !fs.existsSync(path.join(repoRoot, p.replace(/\/$/, "")))),
            [],
        );
    });
});
