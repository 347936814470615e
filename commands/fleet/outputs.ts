// `fleet outputs`: every stack's test commands and certificate expiry in one table, read from the stack outputs
// (`testCommands`, `certificates`) as any client of the stack sees them; the PEMs are parsed, not trusted.
import { certificateExpiry } from "../../components/outputs/expiry";
import { expiryText } from "../../components/expiry";
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
    for (const e of certificateExpiry(certs, now)) {
        rows.push({ stack, kind: "certificate", name: e.host, what: `${e.field}: CN=${e.subject}`, detail: expiryText(e) });
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
