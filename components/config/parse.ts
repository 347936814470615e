// Turns raw stack config (key -> string, as Pulumi stores it) into a validated SecureIngressConfig,
// or one ConfigError that lists every problem by key path. Pure: no Pulumi runtime involved.
import { configSchema, configKeys, SecureIngressConfig } from "./schema";
import { semanticProblems } from "./validate";

export const configNamespace = "secure-ingress";

/** One problem with the stack config. */
export interface ConfigProblem {
    /** Full key path, e.g. `secure-ingress:hosts[1].host`. */
    path: string;
    /** The offending value as the user wrote it (undefined when missing). */
    value: unknown;
    /** What is wrong and how to fix it. */
    message: string;
}

/** Thrown before any resource is registered; its message lists every problem. */
export class ConfigError extends Error {
    constructor(public readonly problems: ConfigProblem[]) {
        super(
            `invalid secure-ingress stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.path}: ${describeValue(p.value)} ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function describeValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `hosts[1].host` from a path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
    return path.reduce<string>((acc, part) => {
        if (typeof part === "number") {
            return `${acc}[${part}]`;
        }
        return acc === "" ? String(part) : `${acc}.${String(part)}`;
    }, "");
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
    let cur: any = root;
    for (const part of path) {
        if (cur === null || typeof cur !== "object") {
            return undefined;
        }
        cur = cur[part as any];
    }
    return cur;
}

/**
 * Raw config values arrive as strings; structured ones are JSON. Keys are given without the namespace
 * (`hosts`) or with it (`secure-ingress:hosts`); keys of other namespaces are ignored.
 */
export function decodeRawConfig(raw: Record<string, string | unknown>): { values: Record<string, unknown>; unknownKeys: string[] } {
    const values: Record<string, unknown> = {};
    const unknownKeys: string[] = [];
    for (const [fullKey, rawValue] of Object.entries(raw)) {
        const sep = fullKey.indexOf(":");
        const ns = sep >= 0 ? fullKey.slice(0, sep) : configNamespace;
        const key = sep >= 0 ? fullKey.slice(sep + 1) : fullKey;
        if (ns !== configNamespace) {
            continue;
        }
        if (!(configKeys as string[]).includes(key)) {
            unknownKeys.push(key);
            continue;
        }
        values[key] = typeof rawValue === "string" ? decodeValue(rawValue) : rawValue;
    }
    return { values, unknownKeys };
}

/** Pulumi hands structured values over as JSON and scalars as their text ("1.26" stays a string). */
function decodeValue(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) {
        return text;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Validates raw stack config; returns the typed config with every default applied, or throws ConfigError. */
export function parseConfig(raw: Record<string, string | unknown>): SecureIngressConfig {
    const { values, unknownKeys } = decodeRawConfig(raw);
    const problems: ConfigProblem[] = unknownKeys.map((key) => ({
        path: `${configNamespace}:${key}`,
        value: values[key],
        message: `is not a secure-ingress config key; known keys: ${configKeys.join(", ")}`,
    }));
    const result = configSchema.safeParse(values);
    if (!result.success) {
        for (const issue of result.error.issues) {
            const path = issue.path as PropertyKey[];
            problems.push({
                path: `${configNamespace}:${formatPath(path)}`,
                value: valueAt(values, path),
                message: explain(issue),
            });
        }
        throw new ConfigError(problems);
    }
    for (const p of semanticProblems(result.data)) {
        problems.push({ path: `${configNamespace}:${p.path}`, value: p.value, message: p.message });
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return result.data;
}

function explain(issue: { code: string; message: string; keys?: string[]; values?: unknown[] }): string {
    switch (issue.code) {
        case "unrecognized_keys":
            return `has unknown field(s) ${(issue.keys ?? []).join(", ")}; remove them or check the spelling against the config reference in README.md`;
        case "invalid_value":
            return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
        case "invalid_type":
            return issue.message.replace(/^Invalid input: /, "");
        default:
            return issue.message;
    }
}
