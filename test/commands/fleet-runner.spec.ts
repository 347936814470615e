// Which engine environment each fleet verb runs with: only a preview, which persists no state, skips the engine's
// intermediate checkpoints; every verb that writes state keeps them, and the caller's own setting wins.
import * as assert from "assert";
import { verbs } from "../../commands/fleet/plan";
import { Engine, verbEnvVars } from "../../commands/fleet/runner";

const engine = { pulumi: {}, envVars: { PULUMI_BACKEND_URL: "file:///tmp/fleet-state" } } as unknown as Engine;

describe("fleet runner: the environment of each verb", () => {
    it("skips checkpoints in a preview and keeps the backend", () => {
        assert.deepStrictEqual(verbEnvVars("preview", engine, {}), {
            PULUMI_BACKEND_URL: "file:///tmp/fleet-state",
            PULUMI_SKIP_CHECKPOINTS: "true",
        });
    });

    it("never skips checkpoints for a verb that is not a preview", () => {
        const others = verbs.filter((v) => v !== "preview");
        assert.deepStrictEqual(others, ["up", "destroy", "outputs"]);
        for (const v of others) {
            assert.strictEqual(verbEnvVars(v, engine, {}).PULUMI_SKIP_CHECKPOINTS, undefined, v);
        }
    });

    it("leaves the caller's PULUMI_SKIP_CHECKPOINTS to the inherited environment", () => {
        assert.strictEqual(verbEnvVars("preview", engine, { PULUMI_SKIP_CHECKPOINTS: "false" }).PULUMI_SKIP_CHECKPOINTS, undefined);
    });

    it("does not change the engine's own variables", () => {
        verbEnvVars("preview", engine, {});
        assert.deepStrictEqual(engine.envVars, { PULUMI_BACKEND_URL: "file:///tmp/fleet-state" });
    });
});
