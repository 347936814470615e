// The wave planner: which stacks run in which order, how many at once, and what a failure stops. Pure scheduling over
// a `run` callback, so the rules are tested without an engine.
import { Fleet, Wave } from "./schema";

export const verbs = ["preview", "up", "destroy", "outputs"] as const;
export type Verb = (typeof verbs)[number];

export type Outcome = "done" | "failed" | "cancelled" | "skipped";

export interface PlannedWave extends Wave {
    /** Whether a failure in this wave keeps the following waves from starting. */
    gates: boolean;
}

/**
 * The waves a verb runs. `up` and `destroy` follow the rollout (canary first), so a change or a teardown that
 * fails on the canary goes no further. `preview` and `outputs` change nothing: one wave of every stack, no gate.
 */
export function planWaves(fleet: Pick<Fleet, "waves" | "onFailure">, verb: Verb): PlannedWave[] {
    const gates = fleet.onFailure === "stop";
    switch (verb) {
        case "up":
        case "destroy":
            return fleet.waves.map((w) => ({ ...w, gates }));
        case "preview":
        case "outputs":
            return [{ name: "all", stacks: fleet.waves.flatMap((w) => w.stacks), gates: false }];
    }
}

export interface StackResult<R> {
    stack: string;
    wave: string;
    outcome: Outcome;
    /** What `run` returned (done) or threw (failed, cancelled); absent when the stack never started. */
    value?: R;
    error?: unknown;
    /** Why a stack did not start. */
    reason?: string;
}

export interface Hooks {
    /** A stack is about to start. */
    onStart?: (stack: string, wave: string) => void;
    /** A wave did not start, and why. */
    onSkip?: (stack: string, wave: string, reason: string) => void;
}

/**
 * Runs the waves in order, at most `maxParallel` stacks at once within a wave. A wave starts only when the one
 * before it has finished; once a gating wave has a failure, the later waves are skipped (the stacks of the failing
 * wave that already started run to the end; those not started yet still start: a wave is the unit of gating). After
 * `signal` aborts nothing new starts; `run` gets the signal to cancel what is running.
 */
export async function runWaves<R>(
    waves: PlannedWave[],
    maxParallel: number,
    run: (stack: string, signal: AbortSignal) => Promise<R>,
    signal: AbortSignal,
    hooks: Hooks = {},
): Promise<StackResult<R>[]> {
    const results: StackResult<R>[] = [];
    let stopReason: string | undefined;
    for (const wave of waves) {
        if (stopReason === undefined && signal.aborted) {
            stopReason = "cancelled before it started";
        }
        if (stopReason !== undefined) {
            for (const stack of wave.stacks) {
                hooks.onSkip?.(stack, wave.name, stopReason);
                results.push({ stack, wave: wave.name, outcome: signal.aborted ? "cancelled" : "skipped", reason: stopReason });
            }
            continue;
        }
        const waveResults = await pool(wave, maxParallel, run, signal, hooks);
        results.push(...waveResults);
        const failed = waveResults.filter((r) => r.outcome === "failed").map((r) => r.stack);
        if (wave.gates && failed.length > 0) {
            stopReason = `wave "${wave.name}" failed (${failed.join(", ")})`;
        }
    }
    return results;
}

async function pool<R>(
    wave: PlannedWave,
    maxParallel: number,
    run: (stack: string, signal: AbortSignal) => Promise<R>,
    signal: AbortSignal,
    hooks: Hooks,
): Promise<StackResult<R>[]> {
    const results = new Array<StackResult<R>>(wave.stacks.length);
    let next = 0;
    const worker = async () => {
        while (next < wave.stacks.length) {
            const i = next++;
            const stack = wave.stacks[i];
            if (signal.aborted) {
                hooks.onSkip?.(stack, wave.name, "cancelled before it started");
                results[i] = { stack, wave: wave.name, outcome: "cancelled", reason: "cancelled before it started" };
                continue;
            }
            hooks.onStart?.(stack, wave.name);
            try {
                results[i] = { stack, wave: wave.name, outcome: "done", value: await run(stack, signal) };
            } catch (error) {
                results[i] = { stack, wave: wave.name, outcome: signal.aborted ? "cancelled" : "failed", error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(maxParallel, wave.stacks.length) }, worker));
    return results;
}

/** Non-zero unless every stack is done. */
export function exitCode(results: StackResult<unknown>[]): number {
    if (results.some((r) => r.outcome === "cancelled")) {
        return 130;
    }
    return results.every((r) => r.outcome === "done") ? 0 : 1;
}
