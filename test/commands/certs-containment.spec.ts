// `npm run certs` writes under --out and nowhere else, owner-only, and never into a folder git would track; every
// folder that holds keys (rendered manifests, certificate files of the shipped stacks) is git-ignored.
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { certFileList, CertOutputs } from "../../commands/certFiles";
import { writeContained } from "../../commands/writeContained";
import { fileSafeHostName } from "../../components/naming";
import { repoRoot, shippedStacks, stackConfig } from "../../commands/offline/stacks";

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const outputsFor = (...hosts: string[]): CertOutputs => ({
    certificates: Object.fromEntries(hosts.map((h) => [h, { rootCert: pem, serverCert: pem }])),
    privateKeys: Object.fromEntries(hosts.map((h) => [h, { serverKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }])),
});

function listAll(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() && !e.isSymbolicLink() ? [p, ...listAll(p)] : [p];
    });
}

function inGitWorkTree(): boolean {
    const r = spawnSync("git", ["-C", repoRoot, "rev-parse", "--is-inside-work-tree"], { encoding: "utf8" });
    return r.status === 0 && r.stdout.trim() === "true";
}

describe("npm run certs: containment", () => {
    let tmp: string;
    let out: string;
    let outside: string;
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "certs-contain-"));
        out = path.join(tmp, "out");
        outside = path.join(tmp, "outside");
        fs.mkdirSync(outside);
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const bad of [
        "../../x",
        "../outside",
        "/etc/cron.d",
        "a/b.example.com",
        "..",
        ".",
        "x\\..\\y",
        "",
        "evil.com/../../x",
        "c:\\temp",
    ]) {
        it(`refuses the host ${JSON.stringify(bad)} from the outputs before writing anything`, () => {
            assert.throws(
                () => certFileList(outputsFor("ok.example.com", bad)),
                (e: Error) =>
                    e.message ===
                    `the outputs name hosts that are not DNS names, so their files would land outside --out: ${JSON.stringify(bad)}; nothing was written (are these a secure-ingress stack's outputs?)`,
            );
        });
    }

    it("the command exits 1 on a hostile host, and nothing appears in or outside --out", () => {
        const from = path.join(tmp, "outputs.json");
        fs.writeFileSync(from, JSON.stringify(outputsFor("a.example.com", "../outside/pwned")));
        const r = spawnSync("npx", ["ts-node", "--transpile-only", "commands/certs.ts", "--from", from, "--out", out], {
            cwd: repoRoot,
            encoding: "utf8",
        });
        assert.strictEqual(r.status, 1, r.stderr);
        assert.match(
            r.stderr,
            /^certs: the outputs name hosts that are not DNS names, so their files would land outside --out: "\.\.\/outside\/pwned"/m,
        );
        assert.deepStrictEqual(listAll(out), []);
        assert.deepStrictEqual(listAll(outside), []);
    });

    it("refuses paths with '..', empty or absolute segments even when handed over directly", () => {
        for (const p of ["../x", "a/../../x", "/tmp/x", "a//b", "./a"]) {
            assert.throws(() => writeContained(out, [{ path: p, content: "k" }]), /^Error: refusing to write outside /);
        }
        assert.deepStrictEqual(listAll(outside), []);
    });

    it("refuses a symbolic link planted as a host folder, a sub-folder or the file itself; the targets stay untouched", () => {
        const files = certFileList(outputsFor("a.example.com"));
        const cases: [string, string][] = [
            ["a.example.com", outside],
            ["a.example.com/1_root", outside],
            ["a.example.com/3_application/private/a.example.com.key.pem", path.join(outside, "victim")],
        ];
        for (const [link, target] of cases) {
            fs.rmSync(out, { recursive: true, force: true });
            fs.mkdirSync(path.join(out, path.dirname(link)), { recursive: true });
            fs.writeFileSync(path.join(outside, "victim"), "untouched");
            fs.symlinkSync(target, path.join(out, link));
            assert.throws(
                () => writeContained(out, files),
                (e: Error) =>
                    e.message ===
                    `${path.join(fs.realpathSync(out), link)} is a symbolic link; refusing to follow it out of the output folder (remove it and run again); nothing was written`,
            );
            assert.deepStrictEqual(fs.readdirSync(outside), ["victim"], link);
            assert.strictEqual(fs.readFileSync(path.join(outside, "victim"), "utf8"), "untouched");
            assert.deepStrictEqual(
                listAll(out).filter((p) => fs.lstatSync(p).isFile()),
                [],
                "a file was written before the refusal",
            );
        }
    });

    it("writes every file 0600 and every folder 0700, tightening what an earlier run left open", () => {
        fs.mkdirSync(path.join(out, "a.example.com/1_root/certs"), { recursive: true, mode: 0o755 });
        fs.writeFileSync(path.join(out, "a.example.com/1_root/certs/ca.cert.pem"), "old", { mode: 0o644 });
        const root = writeContained(out, certFileList(outputsFor("a.example.com", "*.wild.example.com")));
        assert.strictEqual(root, fs.realpathSync(out));
        const entries = listAll(out);
        assert.deepStrictEqual(entries.map((e) => path.relative(out, e)).sort(), [
            "_wildcard.wild.example.com",
            "_wildcard.wild.example.com/1_root",
            "_wildcard.wild.example.com/1_root/certs",
            "_wildcard.wild.example.com/1_root/certs/ca.cert.pem",
            "_wildcard.wild.example.com/3_application",
            "_wildcard.wild.example.com/3_application/certs",
            "_wildcard.wild.example.com/3_application/certs/_wildcard.wild.example.com.cert.pem",
            "_wildcard.wild.example.com/3_application/private",
            "_wildcard.wild.example.com/3_application/private/_wildcard.wild.example.com.key.pem",
            "a.example.com",
            "a.example.com/1_root",
            "a.example.com/1_root/certs",
            "a.example.com/1_root/certs/ca.cert.pem",
            "a.example.com/3_application",
            "a.example.com/3_application/certs",
            "a.example.com/3_application/certs/a.example.com.cert.pem",
            "a.example.com/3_application/private",
            "a.example.com/3_application/private/a.example.com.key.pem",
        ]);
        for (const e of entries) {
            const st = fs.statSync(e);
            assert.strictEqual(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, e);
        }
        assert.strictEqual(fs.readFileSync(path.join(out, "a.example.com/1_root/certs/ca.cert.pem"), "utf8"), pem);
    });

    it("follows --out itself when it is a link the user chose", () => {
        const real = path.join(tmp, "real");
        fs.mkdirSync(real);
        fs.symlinkSync(real, out);
        assert.strictEqual(writeContained(out, certFileList(outputsFor("a.example.com"))), fs.realpathSync(real));
        assert.ok(fs.existsSync(path.join(real, "a.example.com/3_application/private/a.example.com.key.pem")));
    });

    it("refuses to write keys into a folder of the repository that git would track", function () {
        if (!inGitWorkTree()) {
            this.skip();
        }
        const tracked = path.join(repoRoot, "test", `certs-out-${process.pid}`);
        try {
            assert.throws(
                () => writeContained(tracked, certFileList(outputsFor("a.example.org"))),
                (e: Error) =>
                    e.message ===
                    `git would track ${path.join(fs.realpathSync(path.join(repoRoot, "test")), `certs-out-${process.pid}`, "a.example.org")} (not git-ignored), and these folders hold private keys; pass --out certs-out (git-ignored) or a folder outside the repository; nothing was written`,
            );
            assert.ok(!fs.existsSync(tracked), "the refused folder was created");
        } finally {
            fs.rmSync(tracked, { recursive: true, force: true });
        }
    });

    it("git ignores every folder that holds keys: rendered stacks, certs-out, and each shipped host's certificate folder", function () {
        if (!inGitWorkTree()) {
            this.skip();
        }
        const stacks = shippedStacks();
        const hosts = stacks.flatMap((s) => (stackConfig(s)["secure-ingress:hosts"] as { host: string }[]).map((h) => h.host));
        const paths = [
            ...stacks.map((s) => `rendered/${s}/1-manifest/v1-secret-istio-system-x.yaml`),
            "certs-out/a.example.com/3_application/private/a.example.com.key.pem",
            ...hosts.map((h: string) => `${fileSafeHostName(h)}/3_application/private/${fileSafeHostName(h)}.key.pem`),
        ];
        const ignored = execFileSync("git", ["-C", repoRoot, "check-ignore", "--no-index", ...paths], { encoding: "utf8" })
            .trim()
            .split("\n");
        assert.deepStrictEqual(ignored, paths);
    });
});
