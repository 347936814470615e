// Runs shell command lines (the printed curl commands) with real bash and curl, without blocking the event
// loop: the listener they talk to runs in this same process.
import { spawn } from "child_process";

export interface ShellResult {
    command: string;
    code: number;
    stdout: string;
    stderr: string;
}

/** Proxy settings would send curl elsewhere; a user's ~/.curlrc would change its options. */
export function cleanEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!/_proxy$/i.test(k) && !/^CURL_/i.test(k)) {
            env[k] = v;
        }
    }
    return { ...env, HOME: home, CURL_HOME: home, XDG_CONFIG_HOME: home, NO_PROXY: "*", no_proxy: "*", ...extra };
}

/** `bash -c <command>` in cwd with env; resolves with the exit code and output (never rejects on a non-zero exit). */
export function sh(command: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ShellResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", ["-c", command], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 15_000);
        child.on("error", reject);
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ command, code: code ?? (signal ? 128 : -1), stdout, stderr });
        });
    });
}

/**
 * curl -v's trace without the progress meter. Without -s and with stdout not a terminal, curl draws the meter on
 * stderr as `\r<figures>` with no newline, whenever its clock has entered a new second since the last draw; the
 * trace line written next then continues that line (`...--:--:--     0< HTTP/2 418`). The meter holds only
 * figures, spaces, units and time separators, none of the trace's line marks (`<`, `>`, `*`, `{`, `}`).
 */
export function curlTrace(stderr: string): string {
    return stderr.replace(/\r[\d .:kMGTPdh-]+(?=[<>*{}]|\r|\n|$)/g, "\n");
}

/**
 * Every HTTP status curl reported: `< HTTP/2 418` lines of -v, `HTTP/1.1 200 OK` lines of -I on stdout,
 * and the last stdout line when the command prints `%{http_code}`.
 */
export function httpStatuses(r: ShellResult): number[] {
    const out: number[] = [];
    for (const m of curlTrace(r.stderr).matchAll(/^< HTTP\/[\d.]+ (\d{3})\b/gm)) {
        out.push(Number(m[1]));
    }
    for (const m of r.stdout.matchAll(/^HTTP\/[\d.]+ (\d{3})\b/gm)) {
        out.push(Number(m[1]));
    }
    if (r.command.includes("%{http_code}")) {
        const last = r.stdout.trimEnd().split("\n").pop() ?? "";
        if (/^\d{3}$/.test(last)) {
            out.push(Number(last));
        }
    }
    return out;
}

export function describeResult(r: ShellResult): string {
    const tail = (s: string) => s.split("\n").slice(-25).join("\n");
    return `$ ${r.command}\nexit ${r.code}\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`;
}
