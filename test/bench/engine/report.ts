// report.ts results.jsonl: the engine benchmark's tables (markdown) and its goals.
// Goals: up from empty at most 3x its apply floor at 200 hosts; a no-op up at most 2x its diff floor;
// time per host not growing (t(200)/t(50) of up from empty at most 4.4).
import * as fs from "fs";

interface Row {
    hosts: number;
    caMode: string;
    variant: string;
    step: string;
    resources: number | null;
    wallMs: number;
    peakRssMiB: number;
    /** CPU seconds per program name (measure.ts); absent in results of older runs. */
    cpuSeconds?: Record<string, number>;
    exit: number | string;
    loadBefore: number;
    loadAfter: number;
}

const rows: Row[] = fs
    .readFileSync(process.argv[2], "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const steps = ["preview", "up", "noop", "host+1", "destroy"];
const s = (ms: number) => (ms / 1000).toFixed(1);
const find = (hosts: number, caMode: string, variant: string, step: string) =>
    rows.find((r) => r.hosts === hosts && r.caMode === caMode && r.variant === variant && r.step === step);

const main = rows.filter((r) => r.variant === "main");
const cases = [...new Map(main.map((r) => [`${r.caMode}/${r.hosts}`, r])).values()];
if (cases.length > 0) {
    console.log(
        "| CA | hosts | resources | objects | " + steps.map((st) => `${st} s (floor s, ratio)`).join(" | ") + " | peak RSS MiB | load |",
    );
    console.log("|---|---:|---:|---:|" + steps.map(() => "---:").join("|") + "|---:|---|");
}
const ratios: Record<string, number> = {};
for (const c of cases) {
    const cells = steps.map((st) => {
        const p = find(c.hosts, c.caMode, "main", st);
        const f = find(c.hosts, c.caMode, "main", `floor-${st}`);
        if (!p) {
            return "—";
        }
        const failed = p.exit !== 0 ? " FAILED" : "";
        if (!f) {
            return `${s(p.wallMs)}${failed}`;
        }
        const ratio = p.wallMs / f.wallMs;
        ratios[`${c.caMode}/${c.hosts}/${st}`] = ratio;
        return `${s(p.wallMs)}${failed} (${s(f.wallMs)}, ${ratio.toFixed(1)}x)`;
    });
    const mine = main.filter((r) => r.hosts === c.hosts && r.caMode === c.caMode);
    const pulumiSteps = mine.filter((r) => !r.step.startsWith("floor-"));
    const resources = find(c.hosts, c.caMode, "main", "noop")?.resources ?? "?";
    const objects = (find(c.hosts, c.caMode, "main", "noop") as (Row & { objects?: number }) | undefined)?.objects ?? "?";
    const peak = Math.max(...pulumiSteps.map((r) => r.peakRssMiB));
    const loads = mine.flatMap((r) => [r.loadBefore, r.loadAfter]);
    console.log(
        `| ${c.caMode} | ${c.hosts} | ${resources} | ${objects} | ${cells.join(" | ")} | ${peak.toFixed(0)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`,
    );
}

const isSplit = (r: Row) => r.variant.startsWith("split-");
const variantCases = [
    ...new Map(rows.filter((r) => r.variant !== "main" && !isSplit(r)).map((r) => [`${r.variant}@${r.hosts}`, r])).values(),
];
if (variantCases.length > 0) {
    console.log("\nVariants, shared CA (ratio to `default` at the same size, else to the main run's step at that size):\n");
    console.log("| variant | hosts | preview s | up s | no-op up s | destroy s | peak RSS MiB |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const c of variantCases) {
        const mine = rows.filter((x) => x.variant === c.variant && x.hosts === c.hosts);
        const cells = ["preview", "up", "noop", "destroy"].map((st) => {
            const r = mine.find((x) => x.step === st);
            const d = find(c.hosts, "shared", "default", st) ?? find(c.hosts, "shared", "main", st);
            if (!r) {
                return "—";
            }
            return `${s(r.wallMs)}${r.exit !== 0 ? " FAILED" : ""}${d && d !== r ? ` (${(r.wallMs / d.wallMs).toFixed(2)})` : ""}`;
        });
        const peak = Math.max(...mine.map((x) => x.peakRssMiB));
        console.log(`| ${c.variant} | ${c.hosts} | ${cells.join(" | ")} | ${peak.toFixed(0)} |`);
    }
}

// One stack against the same hosts in K stacks (SI_BENCH_SPLIT), up from empty in render mode: sums over the shards.
const splitRuns = rows.filter(isSplit);
/** "split-4x50" -> 4 stacks of 50 hosts. */
const splitShape = (v: string) => v.slice("split-".length).split("x").map(Number) as [number, number];
const wholes = splitRuns.filter((r) => splitShape(r.variant)[0] === 1);
if (wholes.length > 0) {
    const engineCpu = (r: Row) => r.cpuSeconds?.pulumi ?? 0;
    console.log("\nOne stack or several (up from empty, rendered to files; shards one after the other, summed):\n");
    console.log("| hosts | as | wall s | ratio | engine CPU s | peak RSS MiB |");
    console.log("|---:|---|---:|---:|---:|---:|");
    for (const w of wholes) {
        console.log(`| ${w.hosts} | 1 stack | ${s(w.wallMs)} | 1.00 | ${engineCpu(w).toFixed(1)} | ${w.peakRssMiB.toFixed(0)} |`);
        const shapes = new Set(
            splitRuns.map((r) => r.variant).filter((v) => splitShape(v)[0] > 1 && splitShape(v)[0] * splitShape(v)[1] === w.hosts),
        );
        for (const v of shapes) {
            const shards = splitRuns.filter((r) => r.variant === v);
            const wall = shards.reduce((a, r) => a + r.wallMs, 0);
            const failed = shards.some((r) => r.exit !== 0) ? " FAILED" : "";
            console.log(
                `| ${w.hosts} | ${shards.length} stacks of ${shards[0].hosts} | ${s(wall)}${failed} | ${(wall / w.wallMs).toFixed(2)} | ${shards.reduce((a, r) => a + engineCpu(r), 0).toFixed(1)} | ${Math.max(...shards.map((r) => r.peakRssMiB)).toFixed(0)} |`,
            );
        }
    }
}

// Where the CPU goes: per program, for the Pulumi steps and their floors.
const programs: [string, (comm: string) => boolean][] = [
    ["engine (pulumi)", (c) => c === "pulumi"],
    ["program (node)", (c) => c === "node"],
    ["kubernetes provider", (c) => c === "pulumi-resource-kubernetes"],
    ["tls provider", (c) => c === "pulumi-resource-tls"],
    ["random provider", (c) => c === "pulumi-resource-random"],
    ["language host", (c) => c.startsWith("pulumi-language")],
    ["kubectl", (c) => c === "kubectl"],
];
const withCpu = rows.filter((r) => r.cpuSeconds && r.step !== "floor-preview");
if (withCpu.length > 0) {
    console.log("\nCPU seconds by program (user + system, sampled every 100 ms; 2 cores, so CPU s can exceed wall s):\n");
    console.log(`| CA | hosts | variant | step | wall s | ${programs.map(([p]) => p).join(" | ")} | other | all |`);
    console.log(`|---|---:|---|---|---:|${programs.map(() => "---:").join("|")}|---:|---:|`);
    for (const r of withCpu) {
        const cpu = r.cpuSeconds as Record<string, number>;
        const used = new Set<string>();
        const cells = programs.map(([, match]) => {
            const names = Object.keys(cpu).filter((c) => match(c) && !used.has(c));
            names.forEach((c) => used.add(c));
            return names.reduce((a, c) => a + cpu[c], 0);
        });
        const other = Object.entries(cpu)
            .filter(([c]) => !used.has(c))
            .reduce((a, [, v]) => a + v, 0);
        const all = cells.reduce((a, b) => a + b, 0) + other;
        console.log(
            `| ${r.caMode} | ${r.hosts} | ${r.variant} | ${r.step} | ${s(r.wallMs)} | ${cells.map((c) => c.toFixed(1)).join(" | ")} | ${other.toFixed(1)} | ${all.toFixed(1)} |`,
        );
    }
}

const goals: string[] = [];
const up200 = ratios["shared/200/up"];
if (up200 !== undefined) {
    goals.push(`up from empty at 200 hosts: ${up200.toFixed(1)}x its apply floor (goal <= 3): ${up200 <= 3 ? "met" : "MISSED"}`);
}
for (const [k, v] of Object.entries(ratios).filter(([k]) => k.endsWith("/noop"))) {
    goals.push(`no-op up ${k.replace("/noop", "")}: ${v.toFixed(1)}x its diff floor (goal <= 2): ${v <= 2 ? "met" : "MISSED"}`);
}
const t50 = find(50, "shared", "main", "up");
const t200 = find(200, "shared", "main", "up");
if (t50 && t200) {
    const g = t200.wallMs / t50.wallMs;
    goals.push(`t(200)/t(50) of up from empty: ${g.toFixed(2)} (goal <= 4.4): ${g <= 4.4 ? "met" : "MISSED"}`);
}
console.log("\nGoals:\n" + goals.map((g) => `- ${g}`).join("\n"));
