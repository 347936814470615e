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

function runCase(hosts: number | "floor", caMode: string, nodeFlags: string[] = []): Result {
    const compiled = __filename.endsWith(".js");
    const args = compiled ? [path.join(__dirname, "case.js")] : ["-r", "ts-node/register/transpile-only", path.join(__dirname, "case.ts")];
    const out = execFileSync(process.execPath, [...nodeFlags, ...args, String(hosts), caMode], { encoding: "utf8", cwd: process.cwd() });
    return JSON.parse(out.trim().split("\n").pop() as string);
}

// Where the largest per-host case's time goes: the same run with the SDK's per-promise stack capture made
// nearly free (--stack-trace-limit=0: debuggablePromise still calls `new Error().stack`), and the SDK alone
// registering as many bare Secrets.
function floorRows(big: Result): void {
    const noStacks = runCase(big.hosts, big.caMode, ["--stack-trace-limit=0"]);
    const floor = runCase("floor", String(big.resources));
    console.log(`\nSDK floor at ${big.hosts} ${big.caMode} hosts (${big.resources} resources), same run:\n`);
    console.log("| case | wall time (s) | ratio to the program | peak RSS (MiB) |");
    console.log("|---|---:|---:|---:|");
    const row = (label: string, r: Result) =>
        console.log(`| ${label} | ${(r.ms / 1000).toFixed(2)} | ${(r.ms / big.ms).toFixed(2)} | ${r.maxRssMiB.toFixed(0)} |`);
    row("the program (tls double with real crypto)", big);
    row("the program, --stack-trace-limit=0", noStacks);
    row(`the SDK alone: ${floor.resources} bare Secrets`, floor);
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
    const biggest = results.filter((r) => r.caMode === "per-host").sort((a, b) => b.hosts - a.hosts)[0];
    if (biggest && process.env.BENCH_FLOOR !== "0") {
        floorRows(biggest);
    }
    console.log(misses.length === 0 ? "\nall targets met" : `\ntargets missed:\n- ${misses.join("\n- ")}`);
    process.exit(misses.length === 0 ? 0 : 1);
}

main();
