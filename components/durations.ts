// Go's time.ParseDuration text (what cert-manager's duration fields take), shared by the config checks and the
// policy pack so both read a duration the same way.

const unitSeconds: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 0.000000001 };

/** Seconds of a Go duration string ("2160h", "1h30m"); undefined when it is not one. */
export function goDurationSeconds(text: string): number | undefined {
    if (!/^([0-9]+(\.[0-9]+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) {
        return undefined;
    }
    let total = 0;
    for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|µs|ns)/g)) {
        total += Number(m[1]) * unitSeconds[m[2]];
    }
    return total;
}
