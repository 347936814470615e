// What ships (the library, the commands, the policy pack, the tools) never reaches into the test tree.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../commands/offline/stacks";

const shipped = ["index.ts", "components", "commands", "policy", "tools"];
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
