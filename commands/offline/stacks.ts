// The shipped stack files, read as Pulumi reads their `config:` maps.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const project = "secure-ingress";

/** The `config:` map of a shipped `Pulumi.<stack>.yaml`. */
export function stackConfig(stack: string, dir = repoRoot): Record<string, unknown> {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = parseYaml(fs.readFileSync(file, "utf8")) ?? {};
    // Pulumi keeps top-level scalars as text (an unquoted 1.26 is "1.26") and objects as structured values.
    const config: Record<string, unknown> = doc.config ?? {};
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v !== null && typeof v === "object" ? v : String(v)]));
}

/** Stack names of the shipped `Pulumi.<stack>.yaml` files. */
export function shippedStacks(dir = repoRoot): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
