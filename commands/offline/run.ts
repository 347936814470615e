// Runs the program under Pulumi mocks: the engine and the providers are mocked (tls and random by offline
// providers that make real keys and certificates); everything else is the real program. `npm run policy:check`
// and the test suites share it.
import * as pulumi from "@pulumi/pulumi";
import { project, stackConfig } from "./stacks";
import { tlsMock } from "./tls";
import { unwrapSecrets } from "./secrets";
import { randomMock } from "./random";
import { parseConfig } from "../../components/config/parse";
import { SecureIngressConfig } from "../../components/config/schema";
import { createProgram } from "../../components/program";

/** One resource as the program registered it. */
export interface CapturedResource {
    type: string;
    name: string;
    urn: string;
    /** The inputs the program passed. */
    inputs: Record<string, any>;
    /** What the (mocked) provider returned. */
    state: Record<string, any>;
}

export interface StackRun {
    config: SecureIngressConfig;
    resources: CapturedResource[];
    /** Stack outputs, resolved. */
    outputs: Record<string, any>;
    /** Names of the outputs that are Pulumi secrets. */
    secretOutputs: Set<string>;
}

async function mockState(type: string, name: string, inputs: Record<string, any>): Promise<{ id: string; state: Record<string, any> }> {
    return (await tlsMock(type, inputs)) ?? randomMock(type, inputs) ?? { id: `${name}-id`, state: inputs };
}

/** Installs the offline mocks for a fresh stack; every registration lands in the returned list. */
export async function captureResources(stack = "test"): Promise<CapturedResource[]> {
    const resources: CapturedResource[] = [];
    await pulumi.runtime.setMocks(
        {
            async newResource(args) {
                // Mocked inputs carry secrets in Pulumi's wire form; callers read the plain values.
                const inputs = unwrapSecrets(args.inputs);
                const { id, state } = await mockState(args.type, args.name, inputs);
                resources.push({
                    type: args.type,
                    name: args.name,
                    urn: `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`,
                    inputs,
                    state,
                });
                return { id, state };
            },
            call: (args) => args.inputs,
        },
        project,
        stack,
        false,
    );
    return resources;
}

/** Runs the program for a validated config under mocks and waits for every registration. */
export async function runProgram(config: SecureIngressConfig, stack = "test"): Promise<StackRun> {
    const resources = await captureResources(stack);
    const { outputs } = createProgram(config, stack);
    const resolved: Record<string, any> = {};
    const secretOutputs = new Set<string>();
    for (const [key, value] of Object.entries(outputs)) {
        const out = pulumi.output(value as any);
        resolved[key] = await unwrap(out);
        if (await pulumi.isSecret(out)) {
            secretOutputs.add(key);
        }
    }
    await pulumi.runtime.awaitStackRegistrations?.();
    return { config, resources, outputs: resolved, secretOutputs };
}

/** Runs a shipped stack (`Pulumi.<stack>.yaml`). */
export async function runStack(stack: string): Promise<StackRun> {
    return runProgram(parseConfig(stackConfig(stack)), stack);
}

export function unwrap<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}
