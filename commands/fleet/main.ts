// npm run fleet -- <preview|up|destroy|outputs> <fleet-file> [--json]
// Validates the fleet file, then runs the verb over every stack wave by wave with the Automation API; one status line
// per stack while it runs, a closing table, exit status 0 only if every stack is done. SIGINT cancels cleanly.
import { exitCode, planWaves, runWaves, Verb, verbs } from "./plan";
import { activeState, applyEvent, firstLine, initialProgress, StackProgress, summaryTable } from "./progress";
import { Display } from "./display";
import { engineFromEnv, logFile, runStack, StackRun } from "./runner";
import { outputRows, outputsTable } from "./outputs";
import { Fleet, FleetFileError, readFleet } from "./schema";

const usage = "usage: npm run fleet -- <preview|up|destroy|outputs> <fleet-file> [--json]";

async function main(argv: string[]): Promise<number> {
    const json = argv.includes("--json");
    const [verb, file, ...rest] = argv.filter((a) => a !== "--json");
    if (!verbs.includes(verb as Verb) || !file || rest.length > 0) {
        console.error(usage);
        return 2;
    }
    const fleet = readFleet(file);
    const engine = await engineFromEnv(fleet);
    return run(fleet, verb as Verb, engine, json);
}

async function run(fleet: Fleet, verb: Verb, engine: Awaited<ReturnType<typeof engineFromEnv>>, json: boolean): Promise<number> {
    const waves = planWaves(fleet, verb);
    const progress = new Map<string, StackProgress>();
    for (const w of waves) {
        w.stacks.forEach((s) => progress.set(s, { ...initialProgress(s, w.name), log: logFile(fleet, s, verb) }));
    }
    const display = new Display(process.stderr, [...progress.values()]);
    const set = (stack: string, change: (p: StackProgress) => StackProgress) => {
        const p = change(progress.get(stack)!);
        progress.set(stack, p);
        display.update(p);
    };

    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
        interrupts++;
        if (interrupts === 1) {
            display.note(
                "fleet: cancelling (the engine's cancel: running operations finish their current steps, then stop); Ctrl-C again exits now",
            );
            controller.abort();
        } else {
            display.note(
                "fleet: exiting without waiting; a stack still running may keep its lock (`pulumi cancel`, then `pulumi refresh`)",
            );
            process.exit(130);
        }
    };
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigint);

    const stacks = new Map(fleet.stacks.map((s) => [s.name, s]));
    const results = await runWaves<StackRun>(
        waves,
        fleet.maxParallel,
        async (stack, signal) => {
            try {
                const r = await runStack(fleet, stacks.get(stack)!, verb, engine, (e) => set(stack, (p) => applyEvent(p, e)), signal);
                // Shown as soon as the stack ends, so the order of the lines is the order of the rollout.
                set(stack, (p) => ({ ...p, state: "done", endedAt: Date.now(), changes: p.changes ?? r.changes }));
                return r;
            } catch (e) {
                set(stack, (p) => ({ ...p, state: signal.aborted ? "cancelled" : "failed", endedAt: Date.now() }));
                throw e;
            }
        },
        controller.signal,
        {
            onStart: (stack) => set(stack, (p) => ({ ...p, state: activeState[verb], startedAt: Date.now() })),
            onSkip: (stack, _wave, reason) =>
                set(stack, (p) => ({ ...p, state: controller.signal.aborted ? "cancelled" : "skipped", firstError: reason })),
        },
    );
    for (const r of results) {
        set(r.stack, (p) => ({
            ...p,
            state: r.outcome,
            endedAt: p.endedAt ?? (p.startedAt !== undefined ? Date.now() : undefined),
            firstError: p.firstError ?? (r.error ? firstLine((r.error as Error).message) : r.reason),
        }));
    }
    display.stop();
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);

    if (verb === "outputs") {
        const rows = results.flatMap((r) => (r.value?.outputs ? outputRows(r.stack, plainOutputs(r.value.outputs)) : []));
        console.log(json ? JSON.stringify(rows, null, 2) : outputsTable(rows));
    }
    console.error(
        `\n${summaryTable(
            verb,
            results.map((r) => progress.get(r.stack)!),
        )}`,
    );
    return exitCode(results);
}

/** Output values without the secret ones: nothing secret is printed. */
function plainOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(outputs)
            .filter(([, o]) => !o.secret)
            .map(([k, o]) => [k, o.value]),
    );
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof FleetFileError ? e.message : `fleet: ${(e as Error).message}`);
        process.exit(e instanceof FleetFileError ? 2 : 1);
    },
);
