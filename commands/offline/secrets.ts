// Pulumi's wire form of a secret, as values travel through the mock monitor.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Recursively replaces secret wrappers by their plain values. */
export function unwrapSecrets<T = any>(v: T): T {
    if (Array.isArray(v)) {
        return v.map(unwrapSecrets) as T;
    }
    if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
        const o = v as Record<string, any>;
        if (o[SIG_KEY] === SIG) {
            return unwrapSecrets(o.value);
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)])) as T;
    }
    return v;
}

/** Wraps a value so that the output the mock returns it through is a secret. */
export function secretValue<T>(value: T): Record<string, unknown> {
    return { [SIG_KEY]: SIG, value };
}
