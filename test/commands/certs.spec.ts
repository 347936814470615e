// `npm run certs` writes the stack's material in the task's layout (mtls-go-example's generate.sh).
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStack, StackRun } from "../support/harness";
import { repoRoot } from "../../commands/offline/stacks";
import { certFileList, issuedCertFiles, issuedSecretFromJson } from "../../commands/certFiles";
import { issueStackCertificates } from "../support/certManagerIssuer";
import { pemBlocks, Scratch, verify } from "../support/openssl";

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

describe("npm run certs for cert-manager hosts", function () {
    this.timeout(30_000);
    const scratch = new Scratch();
    after(() => scratch.dispose());

    it("writes the stack's root for --cacert; the issued chain, and an outside issuer's CA, come from the cluster's Secret", async () => {
        const run = await runStack("cert-manager");
        const listed = certFileList(run.outputs).map((f) => f.path);
        assert.ok(listed.includes("bookinfo.com/1_root/certs/ca.cert.pem"));
        assert.ok(!listed.some((p) => p.startsWith("bookinfo.com/3_application")), "no server certificate before cert-manager issues one");
        assert.ok(listed.includes("httpbin.example.com/4_client/private/httpbin.example.com.key.pem"));

        const secret = issueStackCertificates(scratch, run).get("bookinfo.com")!;
        // as `kubectl get secret -o json` prints it
        const json = JSON.stringify({
            kind: "Secret",
            data: Object.fromEntries(Object.entries(secret.stringData).map(([k, v]) => [k, Buffer.from(String(v)).toString("base64")])),
        });
        const read = issuedSecretFromJson(json);
        assert.strictEqual(read["tls.crt"], secret.stringData["tls.crt"]);
        assert.ok(!("tls.key" in read), "the server key stays in the cluster");
        const own = issuedCertFiles("bookinfo.com", read, true);
        assert.deepStrictEqual(
            own.map((f) => f.path),
            ["bookinfo.com/3_application/certs/bookinfo.com.cert.pem"],
        );
        const outside = issuedCertFiles("bookinfo.com", read, false);
        const ca = outside.find((f) => f.path === "bookinfo.com/3_application/certs/issuer-ca.cert.pem");
        assert.strictEqual(ca?.content, run.outputs.certificates["bookinfo.com"].rootCert);
        // the file the printed command names verifies the issued chain
        const [leaf, ...chain] = pemBlocks(read["tls.crt"]!);
        const r = verify(scratch, { leaf, untrusted: chain.join(""), root: ca!.content, purpose: "sslserver", hostname: "bookinfo.com" });
        assert.strictEqual(r.status, 0, r.stderr);
    });

    it("--from-cluster on a stack without cert-manager hosts says so", () => {
        const outputs = scratch.file(JSON.stringify({ certificates: { "a.example.com": { rootCert: "x" } } }), "outputs.json");
        assert.throws(
            () =>
                execFileSync("npm", ["run", "-s", "certs", "--", "--from", outputs, "--from-cluster", "--out", scratch.dir], {
                    cwd: repoRoot,
                    stdio: "pipe",
                }),
            (e: any) => /--from-cluster: the stack has no cert-manager hosts/.test(String(e.stderr)),
        );
    });
});
