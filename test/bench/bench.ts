// `npm run bench`: program evaluation under mocks (with the real-crypto tls double) for 1, 10, 100 and 500
// hosts in both CA modes. Each case runs in a fresh process so its peak memory is its own. The script runs
// compiled (tsc to bin/), as a large program should be deployed: under ts-node, source-map-support rewrites
// the stack trace Pulumi captures for every resource, which costs more than the program itself.
// Targets: 500 hosts under 10 s and under 1 GiB; time per host must not grow with the host count.
import { execFileSync } from "child_process";
import * as path from "path";

interface Result {
    hosts: number;
    caMode: string;
    ms: number;
    resources: number;
    maxRssMiB: number;
}

const sizes = (process.env.BENCH_HOSTS ?? "1,10,100,500").split(",").map(Number);
const targets = { hosts: 500, ms: 10_000, rssMiB: 1024, growth: 2 };

function runCase(hosts: number, caMode: string): Result {
    const compiled = __filename.endsWith(".js");
    const args = compiled ? [path.join(__dirname, "case.js")] : ["-r", "ts-node/register/transpile-only", path.join(__dirname, "case.ts")];
    const out = execFileSync(process.execPath, [...args, String(hosts), caMode], { encoding: "utf8", cwd: process.cwd() });
    return JSON.parse(out.trim().split("\n").pop() as string);
}

function main() {
    const results: Result[] = [];
    console.log("| CA mode | hosts | resources | resources/host | wall time (s) | ms/host | peak RSS (MiB) |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const caMode of ["per-host", "shared"]) {
        for (const hosts of sizes) {
            const r = runCase(hosts, caMode);
            results.push(r);
            console.log(
                `| ${caMode} | ${hosts} | ${r.resources} | ${(r.resources / hosts).toFixed(1)} | ${(r.ms / 1000).toFixed(2)} | ${(r.ms / hosts).toFixed(1)} | ${r.maxRssMiB.toFixed(0)} |`,
            );
        }
    }
    const misses: string[] = [];
    for (const caMode of ["per-host", "shared"]) {
        const mine = results.filter((r) => r.caMode === caMode);
        const big = mine.find((r) => r.hosts === targets.hosts);
        if (big && big.ms > targets.ms) {
            misses.push(`${caMode}: ${targets.hosts} hosts took ${(big.ms / 1000).toFixed(1)} s (target ${targets.ms / 1000} s)`);
        }
        if (big && big.maxRssMiB > targets.rssMiB) {
            misses.push(`${caMode}: ${targets.hosts} hosts peaked at ${big.maxRssMiB.toFixed(0)} MiB (target ${targets.rssMiB} MiB)`);
        }
        const mid = mine.find((r) => r.hosts === 100);
        if (big && mid && big.ms / big.hosts > targets.growth * (mid.ms / mid.hosts)) {
            misses.push(
                `${caMode}: time per host grew from ${(mid.ms / 100).toFixed(1)} ms at 100 hosts to ${(big.ms / big.hosts).toFixed(1)} ms at ${big.hosts} (not linear)`,
            );
        }
    }
    console.log(misses.length === 0 ? "\nall targets met" : `\ntargets missed:\n- ${misses.join("\n- ")}`);
    process.exit(misses.length === 0 ? 0 : 1);
}

main();
