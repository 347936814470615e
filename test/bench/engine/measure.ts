// measure.ts OUT.jsonl LABEL-JSON -- CMD ARGS...
// Runs CMD, samples the resident memory of its whole process tree (engine, language host, node program,
// providers: every descendant) from /proc every 100 ms, and appends one JSON line to OUT.jsonl: the label's
// fields plus wall time, peak summed RSS, exit code and the load average before and after.
import { spawn } from "child_process";
import * as fs from "fs";
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

/** Summed RSS (bytes) of root and all its descendants. */
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
        const line = { ...label, wallMs, peakRssMiB: peak / 2 ** 20, exit: code ?? signal, loadBefore, loadAfter: loadavg() };
        fs.appendFileSync(out, JSON.stringify(line) + "\n");
        process.exit(code ?? 1);
    });
}

main();
