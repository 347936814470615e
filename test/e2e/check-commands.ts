// The real-gateway run's checker: the same check as the live listener suite (test/support/printedCommands.ts),
// over the commands of a stack's outputs and the plain-HTTP answers its config promises, run with real bash and
// curl against the gateway in $INGRESS_HOST/$INGRESS_PORT/$SECURE_INGRESS_PORT.
//
//   check-commands.ts --project DIR --stack NAME --outputs FILE --cwd DIR [--host HOST] [--label LABEL]
//
// --outputs: `pulumi stack output --json --show-secrets`; --cwd: where `npm run certs` wrote the files; --host:
// only that host's commands. TOKEN comes from the environment, else from the outputs' self-issued jwtToken.
// Prints one PASS/FAIL line per command and exits 1 when any failed.
import * as fs from "fs";
import { parseArgs } from "util";
import { parseConfig } from "../../components/config/parse";
import { stackConfig } from "../../commands/offline/stacks";
import { checkCommand, plainHttpCommands, PrintedCommand, reportLine } from "../support/printedCommands";

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            project: { type: "string" },
            stack: { type: "string" },
            outputs: { type: "string" },
            cwd: { type: "string" },
            host: { type: "string" },
            label: { type: "string" },
        },
    });
    const { project, stack, outputs, cwd } = values;
    if (!project || !stack || !outputs || !cwd) {
        console.error("usage: check-commands.ts --project DIR --stack NAME --outputs FILE --cwd DIR [--host HOST] [--label LABEL]");
        return 2;
    }
    const out = JSON.parse(fs.readFileSync(outputs, "utf8"));
    const config = parseConfig(stackConfig(stack, project));
    const all: PrintedCommand[] = [...(out.testCommands ?? []), ...plainHttpCommands(config)];
    const commands = all.filter((c) => values.host === undefined || c.host === values.host);
    if (commands.length === 0) {
        console.log(`FAIL  ${values.label ?? stack}: no commands to check`);
        return 1;
    }
    const env = { ...process.env };
    if (env.TOKEN === undefined && typeof out.jwtToken === "string") {
        env.TOKEN = out.jwtToken;
    }
    let failed = 0;
    for (const c of commands) {
        const checked = await checkCommand(c, { cwd, env });
        console.log(`---- ${c.id}: ${c.command}`);
        console.log(reportLine(values.label ?? stack, checked));
        failed += checked.problems.length > 0 ? 1 : 0;
    }
    return failed > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(2);
    },
);
