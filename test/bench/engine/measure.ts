// measure.ts OUT.jsonl LABEL-JSON -- CMD ARGS...
// Runs CMD, samples the resident memory of its whole process tree (engine, language host, node program,
// providers: every descendant) from /proc every 100 ms, and appends one JSON line to OUT.jsonl: the label's
// fields plus wall time, peak summed RSS, CPU seconds per program (the last user+system time seen of each
// process, summed by command name: where the time goes), exit code and the load average before and after.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";

const PAGE = 4096;

/** pid -> parent pid for every process on the machine. */
function parents(): Map<number, number> {
    const out = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // the command name may hold spaces and parentheses: fields start after the last ")"
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            out.set(Number(entry), Number(fields[1]));
        } catch {
            // the process exited while we read it
        }
    }
    return out;
}

const TICKS = 100; // USER_HZ: /proc times are in 1/100 s on Linux

/** Last CPU seconds seen per pid, with its command name. */
const cpu = new Map<number, { comm: string; seconds: number }>();

function sampleCpu(pid: number): void {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // the name in stat is cut at 15 characters ("pulumi-resource" for every provider): argv[0] tells them apart
        const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
        const comm = argv0 ? path.basename(argv0) : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields[11], [12]: utime, stime (the 14th and 15th of the whole line). An exiting process has an empty
        // cmdline: the name first seen for the pid stays.
        cpu.set(pid, { comm: cpu.get(pid)?.comm ?? comm, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS });
    } catch {
        // exited
    }
}

/** Summed RSS (bytes) of root and all its descendants; samples their CPU time on the way. */
function treeRss(root: number): number {
    const ppid = parents();
    const children = new Map<number, number[]>();
    for (const [pid, parent] of ppid) {
        children.set(parent, [...(children.get(parent) ?? []), pid]);
    }
    let total = 0;
    const stack = [root];
    while (stack.length > 0) {
        const pid = stack.pop() as number;
        try {
            total += Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
        } catch {
            // exited
        }
        sampleCpu(pid);
        stack.push(...(children.get(pid) ?? []));
    }
    return total;
}

function loadavg(): number {
    return Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

function main() {
    const [out, labelJson, dashes, cmd, ...args] = process.argv.slice(2);
    if (!out || !labelJson || dashes !== "--" || !cmd) {
        console.error("usage: measure.ts OUT.jsonl LABEL-JSON -- CMD ARGS...");
        process.exit(2);
    }
    const label = JSON.parse(labelJson);
    const loadBefore = loadavg();
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: "inherit" });
    let peak = 0;
    const timer = setInterval(() => {
        if (child.pid !== undefined) {
            peak = Math.max(peak, treeRss(child.pid));
        }
    }, 100);
    child.on("exit", (code, signal) => {
        clearInterval(timer);
        const wallMs = performance.now() - start;
        const cpuSeconds: Record<string, number> = {};
        for (const { comm, seconds } of cpu.values()) {
            cpuSeconds[comm] = Math.round(((cpuSeconds[comm] ?? 0) + seconds) * 100) / 100;
        }
        const line = { ...label, wallMs, peakRssMiB: peak / 2 ** 20, cpuSeconds, exit: code ?? signal, loadBefore, loadAfter: loadavg() };
        fs.appendFileSync(out, JSON.stringify(line) + "\n");
        process.exit(code ?? 1);
    });
}

main();
