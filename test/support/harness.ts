// Test helpers over the offline run of the program (commands/offline/run.ts).
import { CapturedResource, StackRun } from "../../commands/offline/run";

export { CapturedResource, captureResources, runProgram, runStack, StackRun, unwrap } from "../../commands/offline/run";
export { project, repoRoot, shippedStacks, stackConfig } from "../../commands/offline/stacks";

/** Kubernetes objects among the captured resources (inputs as the manifests). */
export function k8sObjects(run: StackRun): CapturedResource[] {
    return run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
}

/** The one captured object of a kind and name; throws when absent or ambiguous. */
export function findObject(run: StackRun, kind: string, name: string, namespace?: string): Record<string, any> {
    const hits = k8sObjects(run).filter(
        (r) =>
            r.inputs.kind === kind &&
            r.inputs.metadata?.name === name &&
            (namespace === undefined || r.inputs.metadata?.namespace === namespace),
    );
    if (hits.length !== 1) {
        throw new Error(`expected one ${kind} ${namespace ?? "*"}/${name}, found ${hits.length}`);
    }
    return hits[0].inputs;
}
