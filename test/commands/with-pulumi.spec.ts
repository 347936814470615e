// `npm run pulumi -- ...` (commands/with-pulumi.sh) with a stand-in CLI on PATH that prints what it was given: a
// preview runs without intermediate checkpoints (it persists no state), every other command with them, and the
// caller's own setting wins.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../commands/offline/stacks";

describe("npm run pulumi: the engine's checkpoints", function () {
    this.timeout(20000);
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "with-pulumi-"));
        fs.writeFileSync(path.join(dir, "pulumi"), '#!/bin/sh\necho "skip=${PULUMI_SKIP_CHECKPOINTS-unset} args=$*"\n', { mode: 0o755 });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function run(args: string[], extra: Record<string, string> = {}): string {
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PATH: `${dir}:${process.env.PATH}`,
            PULUMI_BACKEND_URL: `file://${dir}/state`,
            ...extra,
        };
        delete env.SI_USE_CACHED_TOOLS;
        if (!("PULUMI_SKIP_CHECKPOINTS" in extra)) {
            delete env.PULUMI_SKIP_CHECKPOINTS;
        }
        return execFileSync("bash", [path.join(repoRoot, "commands", "with-pulumi.sh"), ...args], { env, encoding: "utf8" }).trim();
    }

    it("skips them for `pulumi preview`", () => {
        assert.strictEqual(run(["pulumi", "preview", "--stack", "dev"]), "skip=true args=preview --stack dev");
    });

    it("keeps them for commands that write state", () => {
        for (const cmd of [
            ["up", "--yes"],
            ["destroy", "--yes"],
            ["refresh", "--yes"],
            ["stack", "import"],
            ["up", "preview"],
        ]) {
            assert.strictEqual(run(["pulumi", ...cmd]), `skip=unset args=${cmd.join(" ")}`);
        }
    });

    it("keeps the caller's value", () => {
        assert.strictEqual(run(["pulumi", "preview"], { PULUMI_SKIP_CHECKPOINTS: "false" }), "skip=false args=preview");
    });
});
