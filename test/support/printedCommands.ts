// The one check of a printed command against what it promises (its `expect`), shared by the live listener suite
// (test/integration/live.spec.ts) and the real-gateway run (test/e2e/check-commands.ts). A run is judged from
// what curl reports: its exit code, the HTTP statuses of its trace or -w output, the body, and with -v over
// HTTPS that it verified the server and which certificate was served.
import { SecureIngressConfig } from "../../components/config/schema";
import { jwtProtectedHosts } from "../../components/jwt/specs";
import { concreteHostName, Expectation, probeFor } from "../../components/outputs/commands";
import { shellQuote as q } from "../../components/outputs/shell";
import { curlTrace, describeResult, httpStatuses, sh, ShellResult } from "./curl";

/** What a check promises: a printed command's expectation, or for plain HTTP a redirect target. */
export type Promised = Expectation & { redirectTo?: string };

export interface PrintedCommand {
    id: string;
    host: string;
    command: string;
    expect: Promised;
}

/**
 * How curl reports a refused handshake (curl's man page, EXIT CODES): 35 (TLS 1.2: the alert ends the
 * handshake), 56 (TLS 1.3: the alert arrives when curl reads), 55 (TLS 1.3: the server has closed when curl sends),
 * 16 (the same over HTTP/2, which curl negotiates with Envoy).
 */
export const handshakeRefused = [16, 35, 55, 56];

/** The `*  subject:` line of curl -v's server certificate section. */
export function servedSubject(r: ShellResult): string | undefined {
    return /^\*\s+subject: (.+)$/m.exec(curlTrace(r.stderr))?.[1];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Everything the run got wrong against the command's promise; empty when it kept it. */
export function problems(c: PrintedCommand, r: ShellResult): string[] {
    const out: string[] = [];
    const statuses = httpStatuses(r);
    const e = c.expect;
    if (e.curlExitCodes) {
        if (!e.curlExitCodes.includes(r.code)) {
            out.push(`curl exit ${r.code}, expected one of [${e.curlExitCodes.join(", ")}]`);
        }
        if (!e.curlExitCodes.every((x) => handshakeRefused.includes(x))) {
            out.push(`the expected exits [${e.curlExitCodes.join(", ")}] are not all handshake failures`);
        }
        if (statuses.length > 0) {
            out.push(`an HTTP response arrived (status ${statuses.join(", ")}) where the handshake must fail`);
        }
        return out;
    }
    if (r.code !== 0) {
        out.push(`curl exit ${r.code}`);
    }
    if (statuses.length === 0) {
        out.push("curl reported no HTTP status");
    }
    if (e.status !== undefined && statuses.some((s) => s !== e.status)) {
        out.push(`status ${statuses.join(", ")}, expected ${e.status}`);
    }
    if (e.bodyContains !== undefined && !r.stdout.includes(e.bodyContains)) {
        out.push(`the body lacks ${JSON.stringify(e.bodyContains)}`);
    }
    if (e.redirectTo !== undefined) {
        const location = r.stdout.split("\n")[0];
        if (location !== e.redirectTo) {
            out.push(`redirected to ${JSON.stringify(location)}, expected ${e.redirectTo}`);
        }
    }
    if (/https:\/\//.test(c.command) && /(^| )-v( |$)/.test(c.command) && r.code === 0) {
        if (!/SSL certificate verify ok/.test(r.stderr)) {
            out.push("curl did not report the server certificate verified");
        }
        if (!new RegExp(`CN ?= ?${escapeRegex(c.host)}$`).test(servedSubject(r) ?? "")) {
            out.push(`the served certificate's subject is ${JSON.stringify(servedSubject(r) ?? "")}, not CN=${c.host}`);
        }
    }
    return out;
}

/** One line on what the run showed, for the PASS lines. */
export function summary(c: PrintedCommand, r: ShellResult): string {
    if (c.expect.curlExitCodes) {
        return `curl exit ${r.code} (handshake refused)`;
    }
    const parts = [`status ${[...new Set(httpStatuses(r))].join(", ")}`];
    if (c.expect.bodyContains !== undefined) {
        parts.push(`body contains ${JSON.stringify(c.expect.bodyContains)}`);
    }
    if (c.expect.redirectTo !== undefined) {
        parts.push(`to ${c.expect.redirectTo}`);
    }
    return parts.join(", ");
}

/**
 * What plain HTTP must answer, from the stack's gateway.http settings: with httpsRedirect, a 301 to the same
 * host and path over https; without, what the host's probe answers over HTTPS. A JWT-protected host answers a
 * request without a token with the denial first (Envoy's RBAC runs before the router and its redirect), except
 * on a managed gateway's redirect-only port, which needs no token. Requests with $TOKEN are made when the stack
 * checks tokens.
 */
export function plainHttpCommands(c: SecureIngressConfig): PrintedCommand[] {
    const http = c.gateway.http;
    if (!http.enabled) {
        return [];
    }
    const protectedHosts = new Set(c.jwt.enabled ? jwtProtectedHosts(c) : []);
    const denied = c.apiLevel === "istio-1.0" ? 401 : 403;
    const exempt = http.httpsRedirect && c.gateway.workload === "managed";
    const out: PrintedCommand[] = [];
    for (const host of c.hosts) {
        const name = concreteHostName(c, host);
        const probe = probeFor(host);
        const curl = (token: boolean) =>
            [
                "curl -s -o /dev/null",
                http.httpsRedirect ? `-w "%{redirect_url}\\n%{http_code}\\n"` : `-w "%{http_code}\\n"`,
                ...(token ? ['--header "Authorization: Bearer $TOKEN"'] : []),
                `-HHost:${q(name)}`,
                `http://$INGRESS_HOST:$INGRESS_PORT${q(probe.path)}`,
            ].join(" ");
        const answer: Promised = http.httpsRedirect
            ? { status: 301, redirectTo: `https://${name}${probe.path}` }
            : { status: probe.status };
        const guarded = protectedHosts.has(host.host);
        out.push({
            id: `${host.name}-http`,
            host: host.host,
            command: curl(false),
            expect: guarded && !exempt ? { status: denied } : answer,
        });
        if (guarded) {
            out.push({ id: `${host.name}-http-with-token`, host: host.host, command: curl(true), expect: answer });
        }
    }
    return out;
}

export interface CheckedCommand {
    command: PrintedCommand;
    result: ShellResult;
    problems: string[];
}

/** Runs a command with real bash in `cwd` and judges it. */
export async function checkCommand(c: PrintedCommand, opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CheckedCommand> {
    const result = await sh(c.command, opts);
    return { command: c, result, problems: problems(c, result) };
}

/** The PASS/FAIL line of a checked command (a failure carries curl's output). */
export function reportLine(label: string, k: CheckedCommand): string {
    if (k.problems.length === 0) {
        return `PASS  ${label} ${k.command.id}: ${summary(k.command, k.result)}`;
    }
    const detail = describeResult(k.result).replace(/^/gm, "      ");
    return `FAIL  ${label} ${k.command.id}: ${k.problems.join("; ")}\n${detail}`;
}
