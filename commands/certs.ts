// `npm run certs -- [--stack dev] [--out .] [--from outputs.json]`: writes the stack's certificates and keys
// in the task's layout. Reads `pulumi stack output --json --show-secrets` unless --from names a saved copy.
import { execFileSync } from "child_process";
import * as fs from "fs";
import { certFileList, CertOutputs } from "./certFiles";
import { writeContained } from "./writeContained";

function option(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

function readOutputs(): CertOutputs {
    const from = option("from");
    if (from) {
        return JSON.parse(fs.readFileSync(from, "utf8"));
    }
    const stack = option("stack");
    const args = ["stack", "output", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])];
    try {
        return JSON.parse(execFileSync("pulumi", args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
    } catch (e) {
        throw new Error(
            `could not read the stack outputs with 'pulumi ${args.join(" ")}': ${(e as Error).message}. Run 'npm run up' first, or pass --from <outputs.json>.`,
            { cause: e },
        );
    }
}

function main() {
    const out = option("out") ?? ".";
    const files = certFileList(readOutputs());
    if (files.length === 0) {
        throw new Error("the stack outputs hold no certificates (is this a secure-ingress stack?)");
    }
    const root = writeContained(out, files);
    const hosts = [...new Set(files.map((f) => f.path.split("/")[0]))];
    console.log(`wrote ${files.length} files (0600, folders 0700) for ${hosts.join(", ")} under ${root}`);
}

try {
    main();
} catch (e) {
    console.error(`certs: ${(e as Error).message}`);
    process.exit(1);
}
