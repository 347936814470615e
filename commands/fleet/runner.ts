// Drives one stack through the Automation API: its own LocalWorkspace (own folder), the verb's engine operation with
// the engine's events folded into progress, and the engine's output in the stack's log file.
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, LocalWorkspace, OpMap, OutputMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import type { Verb } from "./plan";
import { Fleet, FleetStack } from "./schema";
import { prepareStackDir } from "./workdir";

export interface StackRun {
    changes?: OpMap;
    outputs?: OutputMap;
}

export interface Engine {
    pulumi: PulumiCommand;
    /** Passed to every CLI call of every workspace, over the inherited environment. */
    envVars: Record<string, string>;
}

/**
 * The CLI npm run fleet's environment chose (commands/pulumi-env.sh exports SI_PULUMI_CMD): the Automation API is
 * given its install root so it also puts that folder first on PATH, where the cached plugins are.
 */
export async function engineFromEnv(fleet: Fleet, env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
    const cmd = env.SI_PULUMI_CMD;
    const root =
        cmd && path.basename(path.dirname(cmd)) === "bin" && path.basename(cmd) === "pulumi" ? path.dirname(path.dirname(cmd)) : undefined;
    const pulumi = await PulumiCommand.get({ root });
    const backend = fleet.backend ?? env.PULUMI_BACKEND_URL;
    if (backend?.startsWith("file://")) {
        // The CLI does not create a file backend's folder.
        fs.mkdirSync(new URL(backend).pathname, { recursive: true });
    }
    return { pulumi, envVars: backend ? { PULUMI_BACKEND_URL: backend } : {} };
}

/**
 * The environment of one verb's CLI calls. A preview writes no state, yet the file backend still builds, encrypts and
 * integrity-checks the whole snapshot after each of its steps (a snapshot manager over a discarding persister), work
 * that grows with the square of the resource count; skipping checkpoints there loses nothing. Verbs that write state
 * keep every checkpoint. A PULUMI_SKIP_CHECKPOINTS of the caller's wins.
 */
export function verbEnvVars(verb: Verb, engine: Engine, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    if (verb !== "preview" || env.PULUMI_SKIP_CHECKPOINTS !== undefined) {
        return engine.envVars;
    }
    return { ...engine.envVars, PULUMI_SKIP_CHECKPOINTS: "true" };
}

export function logFile(fleet: Fleet, stack: string, verb: Verb): string {
    return path.join(fleet.workDir, "logs", `${stack.replace(/\//g, "+")}-${verb}.log`);
}

export async function runStack(
    fleet: Fleet,
    s: FleetStack,
    verb: Verb,
    engine: Engine,
    onEvent: (e: EngineEvent) => void,
    signal: AbortSignal,
): Promise<StackRun> {
    const dir = prepareStackDir(fleet.workDir, s);
    const logPath = logFile(fleet, s.name, verb);
    fs.mkdirSync(path.dirname(logPath), { recursive: true });
    const log = fs.createWriteStream(logPath);
    const write = (text: string) => log.write(text);
    try {
        const ws = await LocalWorkspace.create({ workDir: dir, pulumiCommand: engine.pulumi, envVars: verbEnvVars(verb, engine) });
        // Nothing to create for verbs that only read or remove: a missing stack is an error there.
        const stack = verb === "preview" || verb === "up" ? await Stack.createOrSelect(s.name, ws) : await Stack.select(s.name, ws);
        write(`# npm run fleet ${verb}: stack ${s.name}, work dir ${dir}\n`);
        const policyPacks = fleet.policyPack ? [fleet.policyPack] : undefined;
        const common = { onOutput: write, onError: write, onEvent, signal };
        switch (verb) {
            case "preview": {
                const r = await stack.preview({ ...common, policyPacks });
                return { changes: r.changeSummary };
            }
            case "up": {
                const r = await stack.up({ ...common, policyPacks });
                return { changes: r.summary.resourceChanges, outputs: r.outputs };
            }
            case "destroy": {
                const r = await stack.destroy(common);
                return { changes: r.summary.resourceChanges };
            }
            case "outputs": {
                const outputs = await stack.outputs();
                write(`${Object.keys(outputs).length} outputs read\n`);
                return { outputs };
            }
        }
    } catch (e) {
        write(`\n# failed: ${(e as Error).message}\n`);
        throw e;
    } finally {
        await new Promise((resolve) => log.end(resolve));
    }
}
