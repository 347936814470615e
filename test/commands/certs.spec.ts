// `npm run certs` writes the stack's material in the task's layout (mtls-go-example's generate.sh).
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStack, StackRun } from "../support/harness";
import { repoRoot } from "../../commands/offline/stacks";

function listFiles(dir: string, base = dir): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]));
}

describe("npm run certs", function () {
    let dev: StackRun;
    let out: string;
    before(async () => {
        dev = await runStack("dev");
        out = fs.mkdtempSync(path.join(os.tmpdir(), "certs-"));
        const outputs = path.join(out, "outputs.json");
        fs.writeFileSync(outputs, JSON.stringify(dev.outputs));
        execFileSync("npm", ["run", "-s", "certs", "--", "--from", outputs, "--out", path.join(out, "files")], { cwd: repoRoot });
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("writes the task's files for every host", () => {
        const expected = ["httpbin.example.com", "bookinfo.com"].flatMap((h) => [
            `${h}/1_root/certs/ca.cert.pem`,
            `${h}/2_intermediate/certs/intermediate.cert.pem`,
            `${h}/2_intermediate/certs/ca-chain.cert.pem`,
            `${h}/3_application/certs/${h}.cert.pem`,
            `${h}/3_application/private/${h}.key.pem`,
            `${h}/4_client/certs/${h}.cert.pem`,
            `${h}/4_client/private/${h}.key.pem`,
        ]);
        assert.deepStrictEqual(listFiles(path.join(out, "files")).sort(), expected.sort());
    });

    it("every file and folder is the owner's only (0600, 0700); the chain is intermediate then root", () => {
        const dir = path.join(out, "files", "httpbin.example.com");
        assert.strictEqual(fs.statSync(path.join(dir, "4_client/private/httpbin.example.com.key.pem")).mode & 0o777, 0o600);
        assert.strictEqual(fs.statSync(path.join(dir, "1_root/certs/ca.cert.pem")).mode & 0o777, 0o600);
        for (const d of [dir, path.join(dir, "4_client"), path.join(dir, "4_client/private"), path.join(dir, "1_root/certs")]) {
            assert.strictEqual(fs.statSync(d).mode & 0o777, 0o700, d);
        }
        const chain = fs.readFileSync(path.join(dir, "2_intermediate/certs/ca-chain.cert.pem"), "utf8");
        const root = fs.readFileSync(path.join(dir, "1_root/certs/ca.cert.pem"), "utf8");
        const intermediate = fs.readFileSync(path.join(dir, "2_intermediate/certs/intermediate.cert.pem"), "utf8");
        assert.strictEqual(chain, intermediate + root);
        assert.match(
            fs.readFileSync(path.join(dir, "4_client/private/httpbin.example.com.key.pem"), "utf8"),
            /^-----BEGIN EC PRIVATE KEY-----/,
        );
    });

    it("fails with a clear message when there are no outputs to read", () => {
        const empty = path.join(out, "empty.json");
        fs.writeFileSync(empty, "{}");
        assert.throws(
            () => execFileSync("npm", ["run", "-s", "certs", "--", "--from", empty], { cwd: repoRoot, stdio: "pipe" }),
            (e: any) => /the stack outputs hold no certificates/.test(String(e.stderr)),
        );
    });
});
