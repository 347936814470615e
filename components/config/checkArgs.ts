// Validation of the component's args. Known values are checked at once, in the constructor, before any child is
// registered; leaves that arrive as Outputs are checked once known, by the same checks, so every problem is
// reported once with the same message.
import * as pulumi from "@pulumi/pulumi";
import { ArgsConfig, configSchema, GatewayConfig, JwtConfig, PkiConfig, ProvidedCertificate, SecureIngressConfig } from "./schema";
import { checkConfig, ConfigError, ConfigProblem, formatPath } from "./parse";

/** Every string leaf of T may be an Input. */
export type InputLeaves<T> = { [K in keyof T]: pulumi.Input<NonNullable<T[K]>> };

/** The validated args with every default applied; the leaves the args interface lets be Inputs stay Inputs. */
export type IngressConfig = Omit<ArgsConfig, "gateway" | "pki" | "jwt" | "certificates"> & {
    gateway: Omit<GatewayConfig, "selector"> & { selector: Record<string, pulumi.Input<string>> };
    pki: Omit<PkiConfig, "subject"> & { subject: InputLeaves<PkiConfig["subject"]> };
    jwt: Omit<JwtConfig, "issuer" | "jwks" | "audiences"> & {
        issuer?: pulumi.Input<string>;
        jwks?: pulumi.Input<string>;
        audiences: pulumi.Input<string>[];
    };
    certificates: Record<string, InputLeaves<ProvidedCertificate>>;
};

/** Paths (as formatPath writes them) of the leaves that may be Inputs, and what stands in for them until known. */
const inputLeaves: { pattern: RegExp; placeholder: unknown }[] = [
    { pattern: /^certificates\.[^.[\]]+\.(certPem|keyPem|caPem|clientCertPem|clientKeyPem)$/, placeholder: "XX" },
    { pattern: /^jwt\.(issuer|jwks)$/, placeholder: "XX" },
    { pattern: /^jwt\.audiences\[\d+\]$/, placeholder: "XX" },
    { pattern: /^pki\.subject\.[^.[\]]+$/, placeholder: "XX" },
    { pattern: /^gateway\.selector\.[^.[\]]+$/, placeholder: "XX" },
];

interface Deferred {
    path: PropertyKey[];
    value: pulumi.Input<unknown>;
}

function isPending(v: unknown): v is pulumi.Output<unknown> | Promise<unknown> {
    return pulumi.Output.isInstance(v) || v instanceof Promise;
}

/** A copy of the args with every Output or Promise replaced by its placeholder; their paths go to `deferred`. */
function withPlaceholders(value: unknown, path: PropertyKey[], deferred: Deferred[]): unknown {
    if (isPending(value)) {
        deferred.push({ path, value });
        return inputLeaves.find((l) => l.pattern.test(formatPath(path)))?.placeholder ?? "XX";
    }
    if (Array.isArray(value)) {
        return value.map((v, i) => withPlaceholders(v, [...path, i], deferred));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, [...path, k], deferred)]));
    }
    return value;
}

function setAt(root: any, path: PropertyKey[], value: unknown): void {
    let cur = root;
    for (const part of path.slice(0, -1)) {
        cur = cur[part as any];
    }
    cur[path[path.length - 1] as any] = value;
}

export interface CheckedArgs {
    /** The args, validated as far as they are known, with defaults; pending leaves wait for their own check. */
    config: IngressConfig;
    /** The whole config once every leaf is known and valid (rejects with the ConfigError otherwise). */
    resolved: pulumi.Output<SecureIngressConfig>;
    /** Resolves when the pending leaves have passed their check; children depend on it (undefined: nothing pending). */
    ready?: pulumi.Output<pulumi.Resource[]>;
}

const subject = "SecureIngress args";

/** Args in the stack config's shape, so the one config check serves both (skipAwait is the program's kubernetes.skipAwait). */
function asConfigValues(args: Record<string, unknown>): Record<string, unknown> {
    const { skipAwait, ...rest } = args;
    return { ...rest, kubernetes: skipAwait === undefined ? {} : { skipAwait } };
}

function toArgsConfig(c: SecureIngressConfig): ArgsConfig {
    const { kubernetes, ...rest } = c;
    return { ...rest, skipAwait: kubernetes.skipAwait };
}

/** Every problem of fully known args, or the validated config. */
function checkKnown(values: Record<string, unknown>, prefix: string, skip: (path: string) => boolean) {
    const { config, problems } = checkConfig(asConfigValues(values), { pathPrefix: prefix });
    const reported = problems.filter((p) => !skip(p.path.slice(prefix.length)));
    if (config !== undefined || reported.length > 0) {
        return { config, problems: reported };
    }
    // Only problems of leaves not known yet: their placeholders pass the schema, so it gives the defaults.
    const parsed = configSchema.safeParse(asConfigValues(values));
    return { config: parsed.success ? parsed.data : undefined, problems: reported };
}

/**
 * Checks component args: throws one ConfigError listing every problem among the known values (paths are `prefix`
 * plus the key path). Leaves still pending are checked when they resolve, with the same messages.
 */
export function checkArgs(args: object, prefix = ""): CheckedArgs {
    const deferred: Deferred[] = [];
    const known = withPlaceholders(args, [], deferred) as Record<string, unknown>;
    const pendingPaths = new Set(deferred.map((d) => formatPath(d.path)));
    const misplaced: ConfigProblem[] = deferred
        .filter((d) => !inputLeaves.some((l) => l.pattern.test(formatPath(d.path))))
        .map((d) => ({
            path: `${prefix}${formatPath(d.path)}`,
            value: "(Output)",
            message: "must be a plain value, not an Output or a Promise: only the leaves the args document as Inputs may be",
        }));
    if ("kubernetes" in known) {
        misplaced.push({
            path: `${prefix}kubernetes`,
            value: "(settings)",
            message: "is not a SecureIngress arg: create a k8s.Provider with these settings and pass it in opts",
        });
    }
    const pendingOrUnder = (p: string) => [...pendingPaths].some((d) => p === d || p.startsWith(`${d}.`) || p.startsWith(`${d}[`));
    const first = checkKnown(known, prefix, pendingOrUnder);
    const problems = [...misplaced, ...first.problems];
    if (problems.length === 0 && first.config === undefined) {
        // A placeholder the schema refused: report its problems rather than guess.
        problems.push(...checkConfig(asConfigValues(known), { pathPrefix: prefix }).problems);
    }
    if (problems.length > 0 || first.config === undefined) {
        throw new ConfigError(problems, subject);
    }
    const config: IngressConfig = toArgsConfig(first.config);
    if (deferred.length === 0) {
        return { config, resolved: pulumi.output(first.config) };
    }
    const resolved = pulumi.all(deferred.map((d) => d.value)).apply((values) => {
        const full = structuredClone(known);
        deferred.forEach((d, i) => setAt(full, d.path, values[i]));
        const second = checkConfig(asConfigValues(full), { pathPrefix: prefix });
        if (second.config === undefined) {
            throw new ConfigError(second.problems, subject);
        }
        return second.config;
    });
    // Only the readiness signal leaves here, never the values: secret leaves keep their own secretness.
    const ready = pulumi.unsecret(resolved.apply((): pulumi.Resource[] => []));
    for (const d of deferred) {
        setAt(
            config,
            d.path,
            pulumi.all([ready, d.value]).apply(([, v]) => v),
        );
    }
    return { config, resolved, ready };
}
