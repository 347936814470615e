// Turns raw stack config (key -> string, as Pulumi stores it) into a validated SecureIngressConfig, or one
// ConfigError that lists every problem by key path: the schema's and the cross-key checks' together (the checks
// run on what the schema could keep, so fixing one problem never reveals another). Pure: no Pulumi runtime.
import { RunError } from "@pulumi/pulumi";
import { z } from "zod";
import { configSchema, configKeys, SecureIngressConfig } from "./schema";
import { semanticProblems } from "./validate";
import { salvageConfig } from "./salvage";
import { suggestion, nearest } from "./suggest";

export const configNamespace = "secure-ingress";

/** Stands for a value that must never be printed (a key, a PEM, anything set with --secret). */
export const secretPlaceholder = "(secret)";

/** One problem with the stack config. */
export interface ConfigProblem {
    /** Full key path, e.g. `secure-ingress:hosts[1].host`. */
    path: string;
    /** The offending value as the user wrote it (undefined when missing, the placeholder when secret). */
    value: unknown;
    /** What is wrong and how to fix it. */
    message: string;
}

/**
 * Thrown before any resource is registered; its message lists every problem. A RunError, so the Pulumi CLI prints
 * the message alone, without "unhandled exception" and a stack trace.
 */
export class ConfigError extends RunError {
    constructor(
        public readonly problems: ConfigProblem[],
        subject = "secure-ingress stack config",
    ) {
        super(
            `invalid ${subject} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.path}: ${describeValue(p.value)} ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function describeValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    if (value === secretPlaceholder) {
        return value;
    }
    const text = JSON.stringify(value) ?? String(value);
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
    let cur: unknown = root;
    for (const part of path) {
        if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, part)) {
            return undefined;
        }
        cur = (cur as Record<PropertyKey, unknown>)[part];
    }
    return cur;
}

/**
 * Raw config values arrive as strings; structured ones are JSON. Keys are given without the namespace
 * (`hosts`) or with it (`secure-ingress:hosts`); keys of other namespaces are ignored.
 */
export function decodeRawConfig(raw: Record<string, string | unknown>): {
    values: Record<string, unknown>;
    unknown: Record<string, unknown>;
} {
    const values: Record<string, unknown> = {};
    const unknown: Record<string, unknown> = {};
    for (const [fullKey, rawValue] of Object.entries(raw)) {
        const sep = fullKey.indexOf(":");
        const ns = sep >= 0 ? fullKey.slice(0, sep) : configNamespace;
        const key = sep >= 0 ? fullKey.slice(sep + 1) : fullKey;
        if (ns !== configNamespace) {
            continue;
        }
        const value = typeof rawValue === "string" ? decodeValue(rawValue) : rawValue;
        if ((configKeys as string[]).includes(key)) {
            values[key] = value;
        } else {
            unknown[key] = value;
        }
    }
    return { values, unknown };
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

export interface CheckOptions {
    /** Put before every problem path (`secure-ingress:` for stack config). */
    pathPrefix?: string;
    /**
     * Top-level keys whose values are secret (Pulumi's secret config keys, with or without the namespace).
     * `certificates` is always treated as secret.
     */
    secretKeys?: readonly string[];
}

/** Every problem of a config (both stages, always), and the typed config when there are none. Never throws. */
export function checkConfig(values: Record<string, unknown>, opts: CheckOptions = {}, unknownKeys: Record<string, unknown> = {}) {
    const secretTop = new Set(["certificates", ...(opts.secretKeys ?? []).map((k) => k.replace(/^secure-ingress:/, ""))]);
    const problems: { path: string; value: unknown; message: string }[] = [];
    for (const [key, value] of Object.entries(unknownKeys)) {
        problems.push({ path: key, value, message: `is not a secure-ingress config key; ${suggestion(key, configKeys)}` });
    }
    const result = configSchema.safeParse(values);
    const schemaPaths: string[] = [];
    if (!result.success) {
        for (const issue of result.error.issues) {
            const path = issue.path as PropertyKey[];
            schemaPaths.push(formatPath(path));
            if (issue.code === "unrecognized_keys") {
                const known = knownFieldsAt(path);
                for (const key of issue.keys) {
                    problems.push({
                        path: formatPath([...path, key]),
                        value: valueAt(values, [...path, key]),
                        message: `is not a field here; ${suggestion(key, known)}`,
                    });
                }
                continue;
            }
            const value = valueAt(values, path);
            problems.push({ path: formatPath(path), value, message: explain(issue, value, path) });
        }
    }
    const config = result.success ? result.data : undefined;
    const salvaged = result.success
        ? { config: result.data, hostIndex: result.data.hosts.map((_, i) => i), droppedHostNames: [] }
        : salvageConfig(values);
    const remap = (text: string) => text.replace(/hosts\[(\d+)\]/g, (_, i) => `hosts[${salvaged.hostIndex[Number(i)] ?? i}]`);
    for (const p of semanticProblems(salvaged.config)) {
        const path = remap(p.path);
        // A check on a value the schema refused (or replaced by its default) would only repeat or mislead.
        if (schemaPaths.some((s) => related(s, path))) {
            continue;
        }
        if (salvaged.droppedHostNames.some((n) => p.value === n || path === `certificates.${n}` || path.startsWith(`certificates.${n}.`))) {
            continue;
        }
        problems.push({ path, value: p.value, message: remap(p.message) });
    }
    const prefixed = problems.map((p) => ({ ...p, path: `${opts.pathPrefix ?? ""}${p.path}` }));
    return { config: prefixed.length === 0 ? config : undefined, problems: redact(prefixed, values, secretTop, opts.pathPrefix ?? "") };
}

/** Validates raw stack config; returns the typed config with every default applied, or throws ConfigError. */
export function parseConfig(raw: Record<string, string | unknown>, opts: Omit<CheckOptions, "pathPrefix"> = {}): SecureIngressConfig {
    const { values, unknown } = decodeRawConfig(raw);
    const { config, problems } = checkConfig(values, { ...opts, pathPrefix: `${configNamespace}:` }, unknown);
    if (!config) {
        throw new ConfigError(problems);
    }
    return config;
}

/** a is b, or one lies inside the other. */
function related(a: string, b: string): boolean {
    const inside = (x: string, y: string) => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`) || y === "";
    return inside(a, b) || inside(b, a);
}

/**
 * No secret leaves this module: values under a secret key become the placeholder, and any secret string that a
 * message or another value quotes is cut out.
 */
function redact(problems: ConfigProblem[], values: Record<string, unknown>, secretTop: Set<string>, prefix: string): ConfigProblem[] {
    const secrets: string[] = [];
    const collect = (v: unknown) => {
        if (typeof v === "string" && v.length >= 4) {
            secrets.push(v);
        } else if (v !== null && typeof v === "object") {
            Object.values(v).forEach(collect);
        }
    };
    for (const key of secretTop) {
        collect(values[key]);
    }
    // Longest first, so a secret that contains another is cut whole.
    secrets.sort((a, b) => b.length - a.length);
    const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join(secretPlaceholder), text);
    return problems.map((p) => {
        const top = p.path.slice(prefix.length).split(/[.[]/)[0];
        let value = p.value;
        if (secretTop.has(top) && value !== undefined) {
            value = secretPlaceholder;
        } else if (value !== undefined && secrets.some((s) => (JSON.stringify(value) ?? "").includes(JSON.stringify(s).slice(1, -1)))) {
            value = secretPlaceholder;
        }
        return { path: p.path, value, message: scrub(p.message) };
    });
}

/** The field names the schema knows at a path (for "did you mean"). */
function knownFieldsAt(path: ReadonlyArray<PropertyKey>): string[] {
    let s: z.ZodType | undefined = configSchema;
    for (const part of path) {
        s = s && unwrap(s);
        const t = s ? kindOf(s) : undefined;
        if (t === "object") {
            s = ((s as z.ZodObject).shape as Record<string, z.ZodType>)[String(part)];
        } else if (t === "array") {
            s = (s as unknown as { element: z.ZodType }).element;
        } else if (t === "record") {
            s = (s as unknown as { def: { valueType: z.ZodType } }).def.valueType;
        } else {
            return [];
        }
    }
    s = s && unwrap(s);
    return s && kindOf(s) === "object" ? Object.keys((s as z.ZodObject).shape) : [];
}

const kindOf = (s: z.ZodType) => (s as unknown as { def: { type: string } }).def.type;

function unwrap(s: z.ZodType): z.ZodType {
    let cur = s;
    while (["default", "optional"].includes(kindOf(cur))) {
        cur = (cur as unknown as { unwrap(): z.ZodType }).unwrap();
    }
    return cur;
}

const nouns: Record<string, string> = {
    array: "list",
    object: "map",
    string: "string",
    number: "number",
    boolean: "boolean",
    null: "null",
};

function kindOfValue(v: unknown): string {
    if (Array.isArray(v)) {
        return "array";
    }
    return v === null ? "null" : typeof v;
}

const howToWrite: Record<string, string> = {
    array: "write a YAML list (lines starting with '- ') or JSON [...]",
    object: "write a YAML map (key: value lines) or JSON {...}",
    string: "write it as text",
    number: "write a number without quotes",
    boolean: "write true or false without quotes",
};

/** Zod's own texts are replaced: each message says what is wrong and what to write instead. */
function explain(issue: z.core.$ZodIssue, value: unknown, path: ReadonlyArray<PropertyKey>): string {
    const own = !/^(Invalid|Too (big|small)|Expected)/.test(issue.message);
    switch (issue.code) {
        case "invalid_type": {
            const expected = nouns[issue.expected] ?? issue.expected;
            if (value === undefined) {
                return `is required: ${howToWrite[issue.expected] ?? `give a ${expected}`} (see the config reference in README.md)`;
            }
            const got = nouns[kindOfValue(value)] ?? kindOfValue(value);
            return `must be a ${expected}, not a ${got}: ${howToWrite[issue.expected] ?? `give a ${expected}`}`;
        }
        case "invalid_value": {
            const allowed = issue.values.map((v) => JSON.stringify(v));
            const near = typeof value === "string" ? nearest(value, issue.values.map(String)) : undefined;
            return `must be one of ${allowed.join(", ")}${near ? `; did you mean ${JSON.stringify(near)}?` : ""}`;
        }
        case "too_big":
        case "too_small": {
            if (own) {
                return issue.message;
            }
            const bound = Number(issue.code === "too_big" ? issue.maximum : issue.minimum);
            const field = String(path[path.length - 1] ?? "value");
            if (issue.origin === "string") {
                return issue.code === "too_big"
                    ? `is ${String(value).length} characters long; shorten ${field} to at most ${bound}`
                    : bound <= 1
                      ? `must not be empty; give a value or remove ${field}`
                      : `must have at least ${bound} characters`;
            }
            if (issue.origin === "array") {
                return issue.code === "too_big"
                    ? `has too many entries; give at most ${bound}`
                    : `needs at least ${bound} entr${bound === 1 ? "y" : "ies"}`;
            }
            return issue.code === "too_big" ? `is too large; use at most ${bound}` : `is too small; use at least ${bound}`;
        }
        case "invalid_format":
            if (own) {
                return issue.message;
            }
            if (issue.format === "starts_with") {
                return `must start with '${(issue as { prefix?: string }).prefix ?? "/"}'`;
            }
            return `is not a valid ${issue.format}`;
        default:
            return issue.message;
    }
}
