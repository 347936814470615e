// One working directory per stack: the Automation API records the selected stack per project folder (a shared folder
// breaks when stacks are created or selected in parallel, pulumi/pulumi#8186), so every stack gets its own folder
// with the project file and its own `Pulumi.<stack>.yaml`, while the program itself stays the repository's.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { FleetStack } from "./schema";

export const configNamespace = "secure-ingress";

/** The repository: Pulumi.yaml, index.ts and node_modules. */
export const projectRoot = path.resolve(__dirname, "..", "..");

/** Linked, not copied, so every stack runs the repository's program and dependencies as they are. */
const linked = ["index.ts", "package.json", "tsconfig.json", "node_modules"];

/** Keys of a stack file that belong to its secrets provider and must survive a rewrite. */
const secretsKeys = ["secretsprovider", "encryptedkey", "encryptionsalt"] as const;

export function stackDir(workDir: string, stack: string): string {
    return path.join(workDir, stack.replace(/\//g, "+"));
}

/** `hosts[0].routes` -> ["hosts", 0, "routes"]. */
export function parseKeyPath(key: string): (string | number)[] {
    return [...key.matchAll(/([A-Za-z][A-Za-z0-9]*)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/**
 * A stack file's document: the base file's (config, secrets provider) with the overrides set by key path. Without a
 * base salt, the salt the engine wrote into the previous file is kept: passphrase secrets cannot be read without it.
 */
export function stackDocument(base: Record<string, any>, overrides: Record<string, unknown>, previous: Record<string, any> = {}) {
    const doc: Record<string, any> = structuredClone(base);
    doc.config = doc.config ?? {};
    for (const [key, value] of Object.entries(overrides)) {
        const [top, ...rest] = parseKeyPath(key);
        const full = `${configNamespace}:${top}`;
        if (rest.length === 0) {
            doc.config[full] = value;
            continue;
        }
        let cur: any = (doc.config[full] = isObject(doc.config[full]) ? doc.config[full] : typeof rest[0] === "number" ? [] : {});
        rest.forEach((part, i) => {
            if (i === rest.length - 1) {
                cur[part] = value;
            } else {
                cur = cur[part] = isObject(cur[part]) ? cur[part] : typeof rest[i + 1] === "number" ? [] : {};
            }
        });
    }
    if (!secretsKeys.some((k) => k in doc)) {
        for (const k of secretsKeys) {
            if (k in previous) {
                doc[k] = previous[k];
            }
        }
    }
    return doc;
}

function isObject(v: unknown): v is Record<string | number, any> {
    return v !== null && typeof v === "object";
}

function linkTarget(link: string): string | undefined {
    try {
        return fs.readlinkSync(link);
    } catch {
        return undefined;
    }
}

function readYaml(file: string): Record<string, any> {
    return fs.existsSync(file) ? (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) : {};
}

/** Creates or refreshes the stack's folder and returns it. */
export function prepareStackDir(workDir: string, s: FleetStack, root = projectRoot): string {
    const dir = stackDir(workDir, s.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const name of linked) {
        const target = path.join(root, name);
        const link = path.join(dir, name);
        if (linkTarget(link) !== target) {
            fs.rmSync(link, { force: true });
            fs.symlinkSync(target, link);
        }
    }
    const stackFile = path.join(dir, `Pulumi.${path.basename(s.name)}.yaml`);
    const base = s.configFile ? readYaml(s.configFile) : {};
    const doc = stackDocument(base, s.overrides, readYaml(stackFile));
    const header = `# Written by npm run fleet from ${s.configFile ?? "(no config file)"} and the fleet file's overrides; edits here are replaced.\n`;
    fs.writeFileSync(stackFile, header + stringifyYaml(doc));
    return dir;
}
