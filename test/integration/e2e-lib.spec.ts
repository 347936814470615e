// The e2e scripts' shared bash (test/e2e/lib.sh), run by real bash: run-folder pruning on a machine where nothing
// ran yet and across a new year, the project copy, and the check for providers taken from PATH.
import * as assert from "assert";
import * as crypto from "crypto";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../support/harness";
import { opensslOk, Scratch } from "../support/openssl";

const lib = path.join(repoRoot, "test", "e2e", "lib.sh");

function bash(script: string, cwd: string): { status: number; stdout: string; stderr: string } {
    const r = spawnSync("bash", ["-c", `set -euo pipefail; source ${JSON.stringify(lib)}; ${script}`], { cwd, encoding: "utf8" });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("e2e scripts' shared bash (test/e2e/lib.sh)", function () {
    this.timeout(30_000);
    const scratch = new Scratch();
    after(() => scratch.dispose());

    it("prune_runs: a missing folder and an empty one are fine under set -euo pipefail", () => {
        const r = bash(
            `prune_runs ${scratch.dir}/never-made 5; mkdir -p ${scratch.dir}/empty; prune_runs ${scratch.dir}/empty 5; echo done`,
            scratch.dir,
        );
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.stdout.trim(), "done");
    });

    it("prune_runs keeps the newest runs by their timestamp names, across a new year, and nothing else is touched", () => {
        const root = fs.mkdtempSync(path.join(scratch.dir, "runs-"));
        const runs = ["run-20261230T120000", "run-20261231T235959", "run-20270101T000001", "run-20270102T080000"];
        for (const r of [...runs, "cluster"]) {
            fs.mkdirSync(path.join(root, r));
        }
        fs.writeFileSync(path.join(root, "run-notes.txt"), "a file, not a run folder");
        const r = bash(`prune_runs ${root} 2`, scratch.dir);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(fs.readdirSync(root).sort(), ["cluster", "run-20270101T000001", "run-20270102T080000", "run-notes.txt"]);
    });

    it("copy_project: the files git sees, not ignored ones, with node_modules linked", () => {
        const dest = path.join(scratch.dir, "project");
        const r = bash(`copy_project ${dest}`, scratch.dir);
        assert.strictEqual(r.status, 0, r.stderr);
        for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "index.ts", "components/gateway/spec.ts", "policy/PulumiPolicy.yaml"]) {
            assert.strictEqual(fs.readFileSync(path.join(dest, f), "utf8"), fs.readFileSync(path.join(repoRoot, f), "utf8"), f);
        }
        assert.strictEqual(fs.realpathSync(path.join(dest, "node_modules")), fs.realpathSync(path.join(repoRoot, "node_modules")));
        assert.ok(!fs.existsSync(path.join(dest, ".git")) && !fs.existsSync(path.join(dest, "bin")));
    });

    it("no_path_plugin_warnings fails on the CLI's warning for a provider found on PATH, and passes without one", () => {
        const bad = scratch.file(
            " +  pulumi:pulumi:Stack p create warning: using pulumi-resource-tls from $PATH at /x/bin/pulumi-resource-tls\n",
            "bad.log",
        );
        const good = scratch.file("Resources:\n    + 2 created\n", "good.log");
        const r1 = bash(`no_path_plugin_warnings ${good} ${bad}`, scratch.dir);
        assert.strictEqual(r1.status, 1);
        assert.match(r1.stdout, /using pulumi-resource-tls from \$PATH/);
        const r2 = bash(`no_path_plugin_warnings ${good}`, scratch.dir);
        assert.strictEqual(r2.status, 0, r2.stdout + r2.stderr);
    });

    it("the commands' environment over a tools cache: only the CLI on PATH, the providers linked as installed plugins", () => {
        const cache = fs.mkdtempSync(path.join(scratch.dir, "cache-"));
        const home = path.join(scratch.dir, "pulumi-home");
        // A tools cache with stand-in executables, where tools/env.sh puts it for this cache root.
        const r = bash(
            `export SECURE_INGRESS_CACHE=${cache}; source ${repoRoot}/tools/env.sh; mkdir -p "$SI_BIN";
             for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random; do
               printf '#!/bin/sh\necho %s\n' "$b" >"$SI_BIN/$b"; chmod +x "$SI_BIN/$b"; done
             W=${home}-w; e2e_env
             echo "pulumi=$(pulumi)"; echo "on-path-tls=$(command -v pulumi-resource-tls || echo none)"
             echo "home=$PULUMI_HOME"; echo "backend=$PULUMI_BACKEND_URL"; echo "acquire=$PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"
             for d in "$PULUMI_HOME"/plugins/*; do echo "plugin=$(basename "$d") -> $(readlink "$d"/*)"; done`.replace(
                /W=[^;]+;/,
                `W=${home}-w;`,
            ),
            scratch.dir,
        );
        assert.strictEqual(r.status, 0, r.stderr);
        const lines = r.stdout.trim().split("\n");
        assert.ok(lines.includes("pulumi=pulumi"), r.stdout);
        assert.ok(lines.includes("on-path-tls=none"), r.stdout);
        assert.ok(lines.includes(`home=${home}-w/home`) && lines.includes(`backend=file://${home}-w/state`), r.stdout);
        assert.ok(lines.includes("acquire=true"), r.stdout);
        const plugins = lines.filter((l) => l.startsWith("plugin=")).map((l) => l.replace(/ -> .*\/bin\//, " -> bin/"));
        // The versions the npm SDKs ask the CLI for.
        const sdkVersion = (n: string): string =>
            JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", "@pulumi", n, "package.json"), "utf8")).version;
        assert.deepStrictEqual(
            plugins,
            ["kubernetes", "random", "tls"].map((n) => `plugin=resource-${n}-v${sdkVersion(n)} -> bin/pulumi-resource-${n}`),
        );
    });
    describe("key material in a stack's state: what the renewal checks read and how they move the tls provider's clock", () => {
        const SECRET = "4dabf18193072939515e22adb298388d";
        const secret = (v: unknown) => ({ [SECRET]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(v) });
        const urn = (type: string, name: string) => `urn:pulumi:s::p::secure-ingress:pki:HostCertificates$${type}::${name}`;
        const leafType = "tls:index/locallySignedCert:LocallySignedCert";
        let certPem: string, serial: string, pubPem: string, state: object, stateFile: string;

        before(() => {
            const key = scratch.file(opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]), "key.pem");
            certPem = opensslOk(["req", "-x509", "-key", key, "-subj", "/CN=httpbin.example.com", "-days", "1"]);
            serial = opensslOk(["x509", "-noout", "-serial"], certPem)
                .trim()
                .replace(/^serial=/, "");
            pubPem = opensslOk(["pkey", "-in", key, "-pubout"]);
            state = {
                version: 3,
                deployment: {
                    resources: [
                        {
                            urn: urn("tls:index/privateKey:PrivateKey", "httpbin-server-key"),
                            type: "tls:index/privateKey:PrivateKey",
                            outputs: { publicKeyPem: secret(pubPem) },
                        },
                        {
                            urn: urn(leafType, "httpbin-server"),
                            type: leafType,
                            outputs: { certPem, isCaCertificate: false, validityEndTime: "2026-01-01T00:00:00Z" },
                        },
                        {
                            urn: urn(leafType, "shared-intermediate"),
                            type: leafType,
                            outputs: { certPem, isCaCertificate: true, validityEndTime: "2027-01-01T00:00:00Z" },
                        },
                    ],
                },
            };
            stateFile = scratch.file(JSON.stringify(state), "state.json");
        });

        // P stands in for `pulumi` in the project: export prints the state, import records the file it was given.
        const standIn = (imported: string) =>
            `P() { case "$1 $2" in "stack export") cat ${stateFile} ;; "stack import") stat -c %a "\${@: -1}" >${imported}.mode; cp "\${@: -1}" ${imported} ;; esac; }; PROJECT=${repoRoot}`;

        it("state_material: each certificate's serial (as openssl reads it) and each key's public-key hash, by URN", () => {
            const r = bash(`W=${scratch.dir}; ${standIn("/dev/null")}; state_material s`, scratch.dir);
            assert.strictEqual(r.status, 0, r.stderr);
            const pubHash = crypto.createHash("sha256").update(pubPem).digest("hex").slice(0, 16);
            assert.deepStrictEqual(r.stdout.trim().split("\n"), [
                `${urn(leafType, "httpbin-server")} cert ${serial}`,
                `${urn(leafType, "shared-intermediate")} cert ${serial}`,
                `${urn("tls:index/privateKey:PrivateKey", "httpbin-server-key")} key ${pubHash}`,
            ]);
        });

        it("shift_leaf_expiry moves only the leaves' validityEndTime to now + MINUTES, through a 0600 file it removes", () => {
            const imported = path.join(scratch.dir, "imported.json");
            const w = fs.mkdtempSync(path.join(scratch.dir, "w-"));
            const t0 = Date.now();
            const r = bash(`W=${w}; ${standIn(imported)}; shift_leaf_expiry s 30`, scratch.dir);
            const t1 = Date.now();
            assert.strictEqual(r.status, 0, r.stderr);
            const res = JSON.parse(fs.readFileSync(imported, "utf8")).deployment.resources;
            const end = Date.parse(res[1].outputs.validityEndTime);
            assert.ok(end >= t0 + 30 * 60000 - 1000 && end <= t1 + 30 * 60000 + 1000, res[1].outputs.validityEndTime);
            assert.strictEqual(res[2].outputs.validityEndTime, "2027-01-01T00:00:00Z");
            assert.strictEqual(res[1].outputs.certPem, certPem);
            assert.strictEqual(fs.readFileSync(`${imported}.mode`, "utf8").trim(), "600");
            assert.deepStrictEqual(fs.readdirSync(w), []);
        });

        it("renewal_changes counts CA certificates and keys that changed and leaves that kept their serial", () => {
            const lines = (m: Record<string, string>) =>
                Object.entries(m)
                    .sort()
                    .map(([u, v]) => `${u} ${v}`)
                    .join("\n") + "\n";
            const before = {
                [urn("tls:index/selfSignedCert:SelfSignedCert", "shared-root")]: "cert 01",
                [urn(leafType, "shared-intermediate")]: "cert 02",
                [urn("tls:index/privateKey:PrivateKey", "httpbin-server-key")]: "key aa",
                [urn(leafType, "httpbin-server")]: "cert 03",
                [urn(leafType, "httpbin-client")]: "cert 04",
            };
            const renewed = { ...before, [urn(leafType, "httpbin-server")]: "cert 13", [urn(leafType, "httpbin-client")]: "cert 14" };
            const partly = {
                ...before,
                [urn(leafType, "httpbin-server")]: "cert 13",
                [urn("tls:index/privateKey:PrivateKey", "httpbin-server-key")]: "key bb",
            };
            const newRoot = { ...renewed, [urn("tls:index/selfSignedCert:SelfSignedCert", "shared-root")]: "cert 21" };
            const count = (after: Record<string, string>) => {
                const r = bash(
                    `renewal_changes ${scratch.file(lines(before), "before")} ${scratch.file(lines(after), "after")}`,
                    scratch.dir,
                );
                assert.strictEqual(r.status, 0, r.stderr);
                return r.stdout.trim();
            };
            assert.strictEqual(count(renewed), "0 2 0");
            assert.strictEqual(count(partly), "1 2 1");
            assert.strictEqual(count(newRoot), "1 2 0");
            assert.strictEqual(count(before), "0 2 2");
        });
    });
});
