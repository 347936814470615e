// The npm package: what `npm pack` puts in the tarball, where its entry points lead, and that what its .d.ts
// files import and the Node.js versions it claims agree with what it depends on.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { builtinModules } from "module";
import * as semver from "semver";
import { repoRoot } from "../support/harness";
import { installPacked, Packed, packedLibrary } from "../support/packed";

/** Every .ts source of the library, as the compiled files it must ship (components/ only; tests live elsewhere). */
function expectedFiles(): string[] {
    const walk = (dir: string): string[] =>
        fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
            const rel = path.join(dir, e.name);
            return e.isDirectory() ? walk(rel) : rel.endsWith(".ts") ? [rel] : [];
        });
    return walk("components").flatMap((f) => [`lib/${f.replace(/\.ts$/, ".js")}`, `lib/${f.replace(/\.ts$/, ".d.ts")}`]);
}

/** Bare module names the declaration files reachable from `entry` import, with the file that imports each. */
function declarationImports(entry: string): Map<string, string> {
    const bare = new Map<string, string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
        if (seen.has(file)) {
            return;
        }
        seen.add(file);
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"']+)["']/gm)) {
            const spec = m[1];
            if (!spec.startsWith(".")) {
                const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                bare.set(pkg.replace(/^node:/, ""), path.basename(file));
                continue;
            }
            const base = path.resolve(path.dirname(file), spec);
            const next = [`${base}.d.ts`, path.join(base, "index.d.ts")].find((f) => fs.existsSync(f));
            assert.ok(next, `${file} imports ${spec}, which the package does not contain`);
            visit(next);
        }
    };
    visit(entry);
    return bare;
}

describe("npm package", function () {
    this.timeout(120000);
    let packed: Packed;
    let installed: string;

    before(async () => {
        packed = await packedLibrary();
        installed = await installPacked(fs.mkdtempSync(path.join(os.tmpdir(), "si-pkg-")), packed, []);
    });

    it("packs the compiled library and nothing else: no sources, tests, fixtures, stack files, state or rendered files", () => {
        const allowed = (f: string) => f === "package.json" || f === "README.md" || /^lib\/.+\.(js|d\.ts)$/.test(f);
        assert.deepStrictEqual(
            packed.files.filter((f) => !allowed(f)),
            [],
        );
        assert.deepStrictEqual(
            packed.files.filter((f) => /(^|\/)(test|fixtures|rendered|\.pulumi-state|examples)\//.test(f) || /\.spec\.|Pulumi\./.test(f)),
            [],
        );
        const missing = expectedFiles().filter((f) => !packed.files.includes(f));
        assert.deepStrictEqual(missing, []);
        assert.ok(
            !packed.files.some((f) => f.startsWith("lib/index.") || f.startsWith("lib/commands/")),
            "the stack program is not shipped",
        );
    });

    it("main, types and exports lead to the library entry, which loads without a running stack", () => {
        const m = packed.manifest;
        assert.strictEqual(m.private, undefined);
        assert.ok(semver.valid(m.version), m.version);
        for (const entry of [m.main, m.types, m.exports["."].default, m.exports["."].types]) {
            assert.ok(packed.files.includes(path.normalize(entry)), `${entry} is not in the tarball`);
        }
        assert.strictEqual(m.exports["."].types, `./${m.types}`);
        assert.strictEqual(m.exports["."].default, `./${m.main}`);
        // The program reads stack config as soon as it is loaded (and throws outside a stack); the library does not.
        const lib = require(installed);
        assert.strictEqual(typeof lib.SecureIngress, "function");
        assert.strictEqual(typeof lib.createProgram, "function");
        assert.strictEqual(lib.TlsMode.Mutual, "MUTUAL");
    });

    it("the Pulumi SDKs are peers with ranges the repository's own versions satisfy, and not direct dependencies", () => {
        const m = packed.manifest;
        for (const name of ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/tls", "@pulumi/random"]) {
            const range = m.peerDependencies?.[name];
            assert.ok(range && semver.validRange(range) && range !== "*", `${name}: peer range ${range}`);
            const installedVersion = JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
            assert.ok(semver.satisfies(installedVersion, range), `${name} ${installedVersion} outside ${range}`);
            assert.strictEqual(m.dependencies?.[name], undefined, `${name} is a direct dependency: a consumer would get a second copy`);
        }
    });

    it("every package the shipped .d.ts files import is a dependency, a peer or Node.js itself", () => {
        const declared = new Set([
            ...Object.keys(packed.manifest.dependencies ?? {}),
            ...Object.keys(packed.manifest.peerDependencies ?? {}),
        ]);
        const imports = declarationImports(path.join(installed, packed.manifest.types));
        assert.ok(imports.has("@pulumi/pulumi") && imports.has("@pulumi/kubernetes"), [...imports.keys()].join(", "));
        const undeclared = [...imports].filter(([pkg]) => !declared.has(pkg) && !builtinModules.includes(pkg));
        assert.deepStrictEqual(undeclared, []);
    });

    it("claims only Node.js versions every runtime dependency and peer supports", () => {
        const claimed = packed.manifest.engines.node;
        const deps = [...Object.keys(packed.manifest.dependencies ?? {}), ...Object.keys(packed.manifest.peerDependencies ?? {})];
        for (const name of deps) {
            const theirs = JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")).engines?.node;
            if (theirs) {
                assert.ok(semver.subset(claimed, theirs), `engines.node ${claimed} claims versions ${name} (${theirs}) does not support`);
            }
        }
    });
});
