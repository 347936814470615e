// `npm run policy:check -- --stack <name> [--config policy-config.json]`: runs the policy pack over the
// resources the program registers for a stack, captured under Pulumi mocks: no cluster, no Pulumi engine.
// Prints every violation and exits 1 when one is mandatory, so a pull request can be checked anywhere.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { formatViolation, PackConfig, runPolicies, Violation } from "../policy/rules";
import { runStack } from "./offline/run";

function option(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The violations of a shipped stack (Pulumi.<stack>.yaml). */
export async function checkStack(stack: string, config?: PackConfig): Promise<Violation[]> {
    const run = await runStack(stack);
    return runPolicies(
        run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
        config,
    );
}

async function main() {
    const stack = option("stack");
    if (!stack) {
        throw new Error("usage: npm run policy:check -- --stack <name> [--config <policy-config.json>]");
    }
    const configFile = option("config");
    const config = configFile ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as PackConfig) : undefined;
    const violations = await checkStack(stack, config);
    // Let the runtime finish its last output registrations before the process exits.
    await pulumi.runtime.disconnect();
    for (const v of violations) {
        console.log(`${formatViolation(v)}${v.urn ? `\n    ${v.urn}` : ""}`);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    console.log(`stack ${stack}: ${violations.length} violation(s), ${mandatory} mandatory`);
    process.exit(mandatory > 0 ? 1 : 0);
}

if (require.main === module) {
    main().catch((e) => {
        console.error(`policy:check: ${(e as Error).message}`);
        process.exit(2);
    });
}
