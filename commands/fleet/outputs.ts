// `fleet outputs`: every stack's test commands and certificate expiry in one table, read from the stack outputs
// (`testCommands`, `certificates`) as any client of the stack sees them; the PEMs are parsed, not trusted.
import { X509Certificate } from "crypto";
import { table } from "./progress";

export interface OutputRow {
    stack: string;
    kind: "certificate" | "test";
    /** Host name, or the test's id. */
    name: string;
    /** Certificate: its field in the output and subject; test: what it must return. */
    what: string;
    /** Certificate: `notAfter` (ISO) and days left; test: the command. */
    detail: string;
}

const day = 24 * 3600 * 1000;

/** Every PEM certificate in a string (a chain holds several). */
export function pemCertificates(text: string): X509Certificate[] {
    return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));
}

function expect(e: unknown): string {
    if (e === null || typeof e !== "object") {
        return "";
    }
    const x = e as { status?: number; bodyContains?: string; curlExitCodes?: number[] };
    if (x.curlExitCodes) {
        return `curl exits ${x.curlExitCodes.join("|")}`;
    }
    return [x.status !== undefined ? `HTTP ${x.status}` : "", x.bodyContains ? `body has "${x.bodyContains}"` : ""]
        .filter(Boolean)
        .join(", ");
}

/** Rows of one stack: each certificate of each host (chains split, each certificate once), then each test command. */
export function outputRows(stack: string, outputs: Record<string, unknown>, now = Date.now()): OutputRow[] {
    const rows: OutputRow[] = [];
    const certs = (outputs.certificates ?? {}) as Record<string, Record<string, unknown>>;
    for (const [host, fields] of Object.entries(certs)) {
        const seen = new Set<string>();
        for (const [field, pem] of Object.entries(fields ?? {})) {
            if (typeof pem !== "string") {
                continue;
            }
            for (const cert of pemCertificates(pem)) {
                if (seen.has(cert.fingerprint256)) {
                    continue;
                }
                seen.add(cert.fingerprint256);
                const notAfter = new Date(cert.validTo);
                const days = Math.floor((notAfter.getTime() - now) / day);
                const cn = /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ", ");
                rows.push({
                    stack,
                    kind: "certificate",
                    name: host,
                    what: `${field}: CN=${cn}`,
                    detail: `expires ${notAfter.toISOString()} (${days < 0 ? `EXPIRED ${-days} days ago` : `${days} days left`})`,
                });
            }
        }
    }
    const tests = Array.isArray(outputs.testCommands) ? (outputs.testCommands as Record<string, unknown>[]) : [];
    for (const t of tests) {
        rows.push({ stack, kind: "test", name: String(t.id ?? t.host ?? "?"), what: expect(t.expect), detail: String(t.command ?? "") });
    }
    return rows;
}

/** All stacks' rows in one table. */
export function outputsTable(rows: OutputRow[]): string {
    return table([["STACK", "KIND", "NAME", "WHAT", "DETAIL"], ...rows.map((r) => [r.stack, r.kind, r.name, r.what, r.detail])]);
}
