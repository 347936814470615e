// profile.ts FILE.cpuprofile...: where a Node process spent its CPU (V8 sampling profile, `node --cpu-prof`),
// by part of the program (our components, the Pulumi SDK, gRPC/protobuf, the TypeScript compiler, Node itself,
// GC, idle) and the functions with the most self time. Used on the language host's program by
// `SI_BENCH_PROFILE=<hosts> npm run bench:engine`.
import * as fs from "fs";
import * as path from "path";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
}

interface Profile {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

const parts: [string, RegExp][] = [
    ["secure-ingress (components/, index.ts, policy/)", /\/(components|policy\/rules)\/|\/index\.ts$/],
    ["@pulumi/pulumi runtime", /node_modules\/@pulumi\/pulumi\//],
    ["@pulumi/kubernetes, tls, random SDKs", /node_modules\/@pulumi\/(kubernetes|tls|random)\//],
    ["gRPC and protobuf", /node_modules\/(@grpc|google-protobuf|protobufjs|@protobufjs)\//],
    ["TypeScript / ts-node", /node_modules\/(typescript|ts-node)\//],
    ["zod, yaml, other packages", /node_modules\//],
    ["Node.js internals", /^node:|^internal\//],
];

function partOf(n: ProfileNode): string {
    const { functionName, url } = n.callFrame;
    if (!url) {
        return ["(garbage collector)", "(program)", "(idle)", "(root)"].includes(functionName) ? functionName : "(native code)";
    }
    return parts.find(([, re]) => re.test(url))?.[0] ?? "other";
}

function summarize(file: string): string {
    const p: Profile = JSON.parse(fs.readFileSync(file, "utf8"));
    // self time of a node: the time deltas of the samples that landed in it
    const self = new Map<number, number>();
    p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
    const byPart = new Map<string, number>();
    const byFn = new Map<string, number>();
    for (const n of p.nodes) {
        const ms = self.get(n.id) ?? 0;
        byPart.set(partOf(n), (byPart.get(partOf(n)) ?? 0) + ms);
        const where = n.callFrame.url ? `${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : "";
        const key = `${n.callFrame.functionName || "(anonymous)"} ${where}`.trim();
        byFn.set(key, (byFn.get(key) ?? 0) + ms);
    }
    const total = [...byPart.values()].reduce((a, b) => a + b, 0);
    const busy = total - (byPart.get("(idle)") ?? 0);
    const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1)}%`;
    const lines = [
        `${path.basename(file)}: ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s not idle`,
        "",
        "| part | self s | of non-idle |",
        "|---|---:|---:|",
        ...[...byPart.entries()]
            .filter(([k]) => k !== "(idle)")
            .sort((a, b) => b[1] - a[1])
            .map(([k, ms]) => `| ${k} | ${(ms / 1000).toFixed(2)} | ${pct(ms)} |`),
        "",
        "| function (top 15 by self time) | self s | of non-idle |",
        "|---|---:|---:|",
        ...[...byFn.entries()]
            .filter(([k]) => !k.startsWith("(idle)"))
            .sort((a, b) => b[1] - a[1])
            .slice(0, 15)
            .map(([k, ms]) => `| \`${k}\` | ${(ms / 1000).toFixed(2)} | ${pct(ms)} |`),
    ];
    return lines.join("\n");
}

const files = process.argv.slice(2);
if (files.length === 0) {
    console.error("usage: profile.ts FILE.cpuprofile...");
    process.exit(2);
}
// the biggest profile is the program's (a policy pack or a helper would be smaller)
files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
console.log(files.map(summarize).join("\n\n"));
