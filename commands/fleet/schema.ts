// The fleet file: which stacks, with which config, rolled out in which waves. One zod schema holds every default;
// parseFleet reports every problem at once, by key path, with the value as written and the fix, before anything runs.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { formatPath } from "../../components/config/parse";

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; optionally qualified `org/stack` or `org/project/stack`. */
const stackName = z
    .string()
    .regex(
        /^([A-Za-z0-9][A-Za-z0-9_.-]*\/){0,2}[A-Za-z0-9][A-Za-z0-9_.-]*$/,
        "must be a Pulumi stack name: letters, digits, '-', '_' and '.' (optionally org/ or org/project/ in front)",
    );

/** A secure-ingress config key path such as `kubernetes.context` or `hosts[0].routes`, without the namespace. */
const keyPath = z
    .string()
    .regex(
        /^[A-Za-z][A-Za-z0-9]*(\[\d+\]|\.[A-Za-z][A-Za-z0-9]*)*$/,
        "must be a secure-ingress key path such as kubernetes.context or hosts[0].tls (no secure-ingress: prefix)",
    );

const overrides = z.record(keyPath, z.unknown());

const stackSchema = z
    .object({
        /** The stack's name in the state backend. */
        name: stackName,
        /** A stack config file (`Pulumi.<stack>.yaml` form) whose `config:` the stack starts from; relative to the fleet file. */
        config: z.string().min(1).optional(),
        /** Shorthands for `secure-ingress:kubernetes.kubeconfig` / `.context`; a relative kubeconfig path is relative to the fleet file. */
        kubeconfig: z.string().min(1).optional(),
        context: z.string().min(1).optional(),
        /** secure-ingress keys by path, set over the config file's values. */
        overrides: overrides.default({}),
    })
    .strict();

const waveSchema = z
    .object({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be a short name: letters, digits, '-', '_' and '.'"),
        stacks: z.array(stackName).min(1, "needs at least one stack name"),
    })
    .strict();

export const onFailureModes = ["stop", "continue"] as const;

export const fleetSchema = z
    .object({
        /** State backend URL for every stack (any URL `pulumi login` takes); default: PULUMI_BACKEND_URL as npm run fleet sets it. */
        backend: z
            .string()
            .regex(/^[a-z][a-z0-9+.-]*:\/\//, "must be a backend URL such as file:///var/state or s3://bucket")
            .optional(),
        /** The CrossGuard pack run by preview and up; relative to the fleet file; `false` runs none. */
        policyPack: z.union([z.string().min(1), z.literal(false)]).default("policy"),
        /** Each stack gets its own Automation API working directory `<workDir>/<stack>` with its log files; relative to the fleet file. */
        workDir: z.string().min(1).default(".fleet"),
        /** Applied to every stack; a stack's own `config`, `kubeconfig`, `context` win, its `overrides` are merged over these. */
        defaults: stackSchema.omit({ name: true }).default({ overrides: {} }),
        stacks: z.array(stackSchema).min(1, "needs at least one stack"),
        rollout: z
            .object({
                /** The most stacks previewed, updated or destroyed at once. */
                maxParallel: z.number().int().min(1, "must be 1 or more").max(64, "must be at most 64").default(1),
                /** `stop`: a failed stack stops the later waves (the running wave finishes); `continue`: every wave runs. */
                onFailure: z.enum(onFailureModes).default("stop"),
                /** In order; every stack in exactly one wave. Default: the first stack alone (the canary), then the rest. */
                waves: z.array(waveSchema).min(1, "needs at least one wave").optional(),
            })
            .strict()
            .default({ maxParallel: 1, onFailure: "stop" }),
    })
    .strict()
    .transform((f) => ({ ...f, rollout: { ...f.rollout, waves: f.rollout.waves ?? defaultWaves(f.stacks.map((s) => s.name)) } }));

export type FleetFile = z.output<typeof fleetSchema>;

/** One stack of the fleet, every path absolute and every override applied. */
export interface FleetStack {
    name: string;
    /** Absolute path of the config file, if any. */
    configFile?: string;
    /** secure-ingress key path -> value, the shorthands included. */
    overrides: Record<string, unknown>;
}

export interface Wave {
    name: string;
    stacks: string[];
}

export interface Fleet {
    /** Absolute path of the fleet file. */
    file: string;
    backend?: string;
    policyPack?: string;
    /** Absolute; each stack works in `<workDir>/<stack>`. */
    workDir: string;
    stacks: FleetStack[];
    waves: Wave[];
    maxParallel: number;
    onFailure: (typeof onFailureModes)[number];
}

export interface FleetProblem {
    path: string;
    value: unknown;
    message: string;
}

/** Thrown before any stack is touched; the message names every bad key. */
export class FleetFileError extends Error {
    constructor(
        public readonly file: string,
        public readonly problems: FleetProblem[],
    ) {
        super(
            `invalid fleet file ${file} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems
                    .map((p) => `  - ${p.path}: ${p.path === "(file)" && p.value === undefined ? "" : `${describe(p.value)} `}${p.message}`)
                    .join("\n"),
        );
        this.name = "FleetFileError";
    }
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, at: ReadonlyArray<PropertyKey>): unknown {
    let cur: any = root;
    for (const part of at) {
        if (cur === null || typeof cur !== "object") {
            return undefined;
        }
        cur = cur[part as any];
    }
    return cur;
}

function explain(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_value":
            return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "invalid_key":
            return "has a key that is not a secure-ingress key path such as kubernetes.context or hosts[0].tls (no secure-ingress: prefix)";
        case "invalid_union":
            return "must be a path to a policy pack folder, or false for none";
        case "invalid_type":
            return issue.message.replace(/^Invalid input: /, "");
        default:
            return issue.message;
    }
}

/** Parses and validates a fleet file's text; `file` names it in errors and anchors its relative paths. */
export function parseFleet(text: string, file: string, exists: (p: string) => boolean = fs.existsSync): Fleet {
    file = path.resolve(file);
    const dir = path.dirname(file);
    let doc: unknown;
    try {
        doc = parseYaml(text);
    } catch (e) {
        throw new FleetFileError(file, [
            { path: "(file)", value: undefined, message: `is not valid YAML: ${(e as Error).message.split("\n")[0]}` },
        ]);
    }
    const result = fleetSchema.safeParse(doc ?? {});
    if (!result.success) {
        throw new FleetFileError(
            file,
            result.error.issues.flatMap((issue) =>
                // One problem per unknown key, at its own path, with its own value.
                issue.code === "unrecognized_keys"
                    ? issue.keys.map((k) => ({
                          path: formatPath([...issue.path, k]),
                          value: valueAt(doc, [...issue.path, k]),
                          message: "is not a field of the fleet file; remove it or fix its spelling (the format is in README.md)",
                      }))
                    : [
                          {
                              path: formatPath(issue.path) || "(file)",
                              value: issue.code === "invalid_key" ? issue.path.at(-1) : valueAt(doc, issue.path),
                              message: explain(issue),
                          },
                      ],
            ),
        );
    }
    const f = result.data;
    const problems: FleetProblem[] = [];
    const abs = (p: string) => path.resolve(dir, p);

    const names = f.stacks.map((s) => s.name);
    names.forEach((n, i) => {
        if (names.indexOf(n) !== i) {
            problems.push({
                path: `stacks[${i}].name`,
                value: n,
                message: `repeats stacks[${names.indexOf(n)}].name; give every stack its own name`,
            });
        }
    });
    const checkFile = (at: string, value: string | undefined, what: string) => {
        if (value !== undefined && !exists(abs(value))) {
            problems.push({
                path: at,
                value,
                message: `names no ${what} (looked for ${abs(value)}); fix the path, relative to the fleet file`,
            });
        }
    };
    checkFile("defaults.config", f.defaults.config, "file");
    checkFile("defaults.kubeconfig", f.defaults.kubeconfig, "file");
    f.stacks.forEach((s, i) => {
        checkFile(`stacks[${i}].config`, s.config, "file");
        checkFile(`stacks[${i}].kubeconfig`, s.kubeconfig, "file");
        if (s.config === undefined && f.defaults.config === undefined) {
            problems.push({
                path: `stacks[${i}].config`,
                value: undefined,
                message: "is needed (or defaults.config): the stack config file it starts from",
            });
        }
    });
    if (f.policyPack !== false && !exists(path.join(abs(f.policyPack), "PulumiPolicy.yaml"))) {
        problems.push({
            path: "policyPack",
            value: f.policyPack,
            message: `is not a policy pack folder (no ${path.join(abs(f.policyPack), "PulumiPolicy.yaml")}); fix the path, or set false to run none`,
        });
    }

    const waves = f.rollout.waves;
    const waveOf = new Map<string, number>();
    waves.forEach((w, wi) => {
        if (waves.findIndex((o) => o.name === w.name) !== wi) {
            problems.push({
                path: `rollout.waves[${wi}].name`,
                value: w.name,
                message: "repeats an earlier wave's name; give every wave its own name",
            });
        }
        w.stacks.forEach((s, si) => {
            const at = `rollout.waves[${wi}].stacks[${si}]`;
            if (!names.includes(s)) {
                problems.push({ path: at, value: s, message: `is not a stack of this fleet; stacks: ${names.join(", ")}` });
            } else if (waveOf.has(s)) {
                problems.push({
                    path: at,
                    value: s,
                    message: `is already in wave "${waves[waveOf.get(s)!].name}"; put every stack in exactly one wave`,
                });
            } else {
                waveOf.set(s, wi);
            }
        });
    });
    f.stacks.forEach((s, i) => {
        if (!waveOf.has(s.name)) {
            problems.push({ path: `stacks[${i}].name`, value: s.name, message: "is in no wave; add it to one of rollout.waves[].stacks" });
        }
    });
    if (problems.length > 0) {
        throw new FleetFileError(file, problems);
    }

    const kubeconfigPath = (p: string | undefined) => (p === undefined ? undefined : abs(p));
    return {
        file,
        backend: f.backend,
        policyPack: f.policyPack === false ? undefined : abs(f.policyPack),
        workDir: abs(f.workDir),
        stacks: f.stacks.map((s) => {
            const kubeconfig = kubeconfigPath(s.kubeconfig ?? f.defaults.kubeconfig);
            const context = s.context ?? f.defaults.context;
            const configFile = s.config ?? f.defaults.config;
            return {
                name: s.name,
                configFile: configFile === undefined ? undefined : abs(configFile),
                overrides: {
                    ...f.defaults.overrides,
                    ...s.overrides,
                    ...(kubeconfig === undefined ? {} : { "kubernetes.kubeconfig": kubeconfig }),
                    ...(context === undefined ? {} : { "kubernetes.context": context }),
                },
            };
        }),
        waves,
        maxParallel: f.rollout.maxParallel,
        onFailure: f.rollout.onFailure,
    };
}

/** The default rollout: the first stack alone (the canary), then the rest. */
function defaultWaves(names: string[]): Wave[] {
    return names.length === 1
        ? [{ name: "canary", stacks: names }]
        : [
              { name: "canary", stacks: names.slice(0, 1) },
              { name: "rest", stacks: names.slice(1) },
          ];
}

export function readFleet(file: string): Fleet {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new FleetFileError(path.resolve(file), [
            {
                path: "(file)",
                value: file,
                message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a fleet file`,
            },
        ]);
    }
    return parseFleet(text, file);
}
