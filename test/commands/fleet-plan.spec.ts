// The wave planner and scheduler, with real timers standing in for the stacks' engine runs: order (canary first),
// the concurrency cap, what a failure stops, continue-on-failure, cancellation.
import * as assert from "assert";
import { exitCode, planWaves, runWaves, StackResult } from "../../commands/fleet/plan";
import { Wave } from "../../commands/fleet/schema";

interface Trace {
    events: { at: number; stack: string; what: "start" | "end" }[];
    maxRunning: number;
}

/** A run that takes `ms[stack]` milliseconds and fails for the stacks in `failing`, recording when each ran. */
function recorder(ms: Record<string, number>, failing: string[] = []) {
    const trace: Trace = { events: [], maxRunning: 0 };
    let running = 0;
    const t0 = Date.now();
    const run = (stack: string, signal: AbortSignal) =>
        new Promise<string>((resolve, reject) => {
            running++;
            trace.maxRunning = Math.max(trace.maxRunning, running);
            trace.events.push({ at: Date.now() - t0, stack, what: "start" });
            const done = () => {
                running--;
                trace.events.push({ at: Date.now() - t0, stack, what: "end" });
            };
            const timer = setTimeout(() => {
                done();
                if (failing.includes(stack)) {
                    reject(new Error(`${stack} broke`));
                } else {
                    resolve(`${stack} ok`);
                }
            }, ms[stack] ?? 20);
            signal.addEventListener("abort", () => {
                clearTimeout(timer);
                done();
                reject(new Error(`${stack} cancelled`));
            });
        });
    return { run, trace };
}

const outcomes = (rs: StackResult<unknown>[]) => Object.fromEntries(rs.map((r) => [r.stack, r.outcome]));
const waves: Wave[] = [
    { name: "canary", stacks: ["c"] },
    { name: "rest", stacks: ["r1", "r2", "r3", "r4"] },
];

describe("fleet wave planner", () => {
    it("up and destroy follow the waves and gate on failure when onFailure is stop; preview and outputs are one ungated wave", () => {
        assert.deepStrictEqual(planWaves({ waves, onFailure: "stop" }, "up"), [
            { name: "canary", stacks: ["c"], gates: true },
            { name: "rest", stacks: ["r1", "r2", "r3", "r4"], gates: true },
        ]);
        assert.deepStrictEqual(planWaves({ waves, onFailure: "continue" }, "destroy"), [
            { name: "canary", stacks: ["c"], gates: false },
            { name: "rest", stacks: ["r1", "r2", "r3", "r4"], gates: false },
        ]);
        for (const verb of ["preview", "outputs"] as const) {
            assert.deepStrictEqual(planWaves({ waves, onFailure: "stop" }, verb), [
                { name: "all", stacks: ["c", "r1", "r2", "r3", "r4"], gates: false },
            ]);
        }
    });

    it("the canary wave ends before the next starts, and no more than maxParallel stacks run at once", async () => {
        const { run, trace } = recorder({ c: 40, r1: 30, r2: 60, r3: 30, r4: 30 });
        const results = await runWaves(planWaves({ waves, onFailure: "stop" }, "up"), 2, run, new AbortController().signal);
        assert.deepStrictEqual(outcomes(results), { c: "done", r1: "done", r2: "done", r3: "done", r4: "done" });
        assert.deepStrictEqual(
            results.map((r) => r.value),
            ["c ok", "r1 ok", "r2 ok", "r3 ok", "r4 ok"],
        );
        const canaryEnd = trace.events.find((e) => e.stack === "c" && e.what === "end")!.at;
        const restStarts = trace.events.filter((e) => e.stack !== "c" && e.what === "start").map((e) => e.at);
        assert.ok(
            restStarts.every((t) => t >= canaryEnd),
            `a later wave started at ${restStarts} before the canary ended at ${canaryEnd}`,
        );
        assert.strictEqual(trace.maxRunning, 2);
        // r3 takes the slot r1 frees while r2 still runs: a pool, not batches of two.
        const startOf = (s: string) => trace.events.find((e) => e.stack === s && e.what === "start")!.at;
        const endOf = (s: string) => trace.events.find((e) => e.stack === s && e.what === "end")!.at;
        assert.ok(startOf("r3") < endOf("r2"), `r3 started at ${startOf("r3")}, r2 ended at ${endOf("r2")}`);
    });

    it("maxParallel 1 runs strictly one after the other", async () => {
        const { run, trace } = recorder({});
        await runWaves(planWaves({ waves, onFailure: "stop" }, "up"), 1, run, new AbortController().signal);
        assert.strictEqual(trace.maxRunning, 1);
        assert.deepStrictEqual(
            trace.events.filter((e) => e.what === "start").map((e) => e.stack),
            ["c", "r1", "r2", "r3", "r4"],
        );
    });

    it("a failed canary stops the later waves: they never start and are reported skipped with the reason", async () => {
        const { run, trace } = recorder({}, ["c"]);
        const skipped: string[] = [];
        const results = await runWaves(planWaves({ waves, onFailure: "stop" }, "up"), 2, run, new AbortController().signal, {
            onSkip: (s, w, reason) => skipped.push(`${s}@${w}: ${reason}`),
        });
        assert.deepStrictEqual(outcomes(results), { c: "failed", r1: "skipped", r2: "skipped", r3: "skipped", r4: "skipped" });
        assert.strictEqual((results[0].error as Error).message, "c broke");
        assert.deepStrictEqual(
            trace.events.map((e) => e.stack),
            ["c", "c"],
        );
        assert.deepStrictEqual(
            skipped,
            ["r1", "r2", "r3", "r4"].map((s) => `${s}@rest: wave "canary" failed (c)`),
        );
        assert.strictEqual(exitCode(results), 1);
    });

    it("a failure inside a wave lets that wave finish and stops the next", async () => {
        const three: Wave[] = [...waves, { name: "last", stacks: ["l"] }];
        const { run } = recorder({}, ["r2"]);
        const results = await runWaves(planWaves({ waves: three, onFailure: "stop" }, "up"), 2, run, new AbortController().signal);
        assert.deepStrictEqual(outcomes(results), { c: "done", r1: "done", r2: "failed", r3: "done", r4: "done", l: "skipped" });
        assert.strictEqual(results.find((r) => r.stack === "l")!.reason, 'wave "rest" failed (r2)');
    });

    it("onFailure continue runs every wave and still exits non-zero", async () => {
        const { run, trace } = recorder({}, ["c"]);
        const results = await runWaves(planWaves({ waves, onFailure: "continue" }, "up"), 3, run, new AbortController().signal);
        assert.deepStrictEqual(outcomes(results), { c: "failed", r1: "done", r2: "done", r3: "done", r4: "done" });
        assert.strictEqual(trace.events.filter((e) => e.what === "start").length, 5);
        assert.strictEqual(trace.maxRunning, 3);
        assert.strictEqual(exitCode(results), 1);
    });

    it("an abort cancels what runs and starts nothing more; exit status 130", async () => {
        const { run, trace } = recorder({ c: 10, r1: 200, r2: 200, r3: 20, r4: 20 });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 60);
        const results = await runWaves(planWaves({ waves, onFailure: "stop" }, "up"), 2, run, controller.signal);
        assert.deepStrictEqual(outcomes(results), { c: "done", r1: "cancelled", r2: "cancelled", r3: "cancelled", r4: "cancelled" });
        assert.deepStrictEqual(
            trace.events.filter((e) => e.what === "start").map((e) => e.stack),
            ["c", "r1", "r2"],
        );
        assert.strictEqual(results.find((r) => r.stack === "r3")!.reason, "cancelled before it started");
        assert.strictEqual(exitCode(results), 130);
    });

    it("exit status 0 only when every stack is done", () => {
        assert.strictEqual(exitCode([{ stack: "a", wave: "w", outcome: "done" }]), 0);
        assert.strictEqual(
            exitCode([
                { stack: "a", wave: "w", outcome: "done" },
                { stack: "b", wave: "w", outcome: "skipped" },
            ]),
            1,
        );
    });
});
