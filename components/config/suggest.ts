// "Did you mean": the known name nearest to a mistyped one.

/** Edit distance (insert, delete, substitute, swap two neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
        Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= x.length; i++) {
        for (let j = 1; j <= y.length; j++) {
            const cost = x[i - 1] === y[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[x.length][y.length];
}

/** The nearest known name when it is close enough to be a typo (at most a third of its letters differ). */
export function nearest(name: string, known: readonly string[]): string | undefined {
    let best: { k: string; d: number } | undefined;
    for (const k of known) {
        const d = editDistance(name, k);
        if (!best || d < best.d) {
            best = { k, d };
        }
    }
    return best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

/** "did you mean X?" or the list of known names. */
export function suggestion(name: string, known: readonly string[]): string {
    const near = nearest(name, known);
    return near ? `did you mean ${near}? (known: ${known.join(", ")})` : `known: ${known.join(", ")}`;
}
