// `npm run certs -- [--stack dev] [--out .] [--from outputs.json] [--from-cluster [--kubeconfig F] [--context C]]`:
// writes the stack's certificates and keys in the task's layout. Reads `pulumi stack output --json --show-secrets`
// unless --from names a saved copy. --from-cluster also reads what cert-manager issued from the cluster (kubectl).
import { execFileSync } from "child_process";
import * as fs from "fs";
import { shellQuote as q } from "../components/outputs/shell";
import { CertFile, certFileList, CertOutputs, issuedCertFiles, issuedSecretFromJson } from "./certFiles";
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

/** Each cert-manager host's Secret, read with kubectl; every missing one is reported at once. */
function clusterFiles(outputs: CertOutputs): CertFile[] {
    const kubectl = [
        ...(option("kubeconfig") ? ["--kubeconfig", option("kubeconfig") as string] : []),
        ...(option("context") ? ["--context", option("context") as string] : []),
    ];
    const files: CertFile[] = [];
    const problems: string[] = [];
    const issued = Object.entries(outputs.issuedCertificates ?? {});
    if (issued.length === 0) {
        throw new Error("--from-cluster: the stack has no cert-manager hosts (certificate: cert-manager)");
    }
    for (const [host, i] of issued) {
        const args = [...kubectl, "-n", i.namespace, "get", "secret", i.secretName, "-o", "json"];
        try {
            const json = execFileSync("kubectl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            files.push(...issuedCertFiles(host, issuedSecretFromJson(json), i.ownCa));
        } catch (e) {
            const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
            problems.push(
                `${host}: ${["kubectl", ...args].map(q).join(" ")} failed (${stderr}); cert-manager may not have issued it yet: see kubectl -n ${q(i.namespace)} describe certificate ${q(i.certificate)}`,
            );
        }
    }
    if (problems.length > 0) {
        throw new Error(`could not read ${problems.length} issued certificate(s):\n  ${problems.join("\n  ")}`);
    }
    return files;
}

function main() {
    const out = option("out") ?? ".";
    const outputs = readOutputs();
    const files = [...certFileList(outputs), ...(process.argv.includes("--from-cluster") ? clusterFiles(outputs) : [])];
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
