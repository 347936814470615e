// What a person watching a rollout sees: one line per stack (its state and resource counts, from the engine's
// events) and a closing table. Pure: events and states in, text out.
import type { EngineEvent, OpMap } from "@pulumi/pulumi/automation";
import type { Outcome, Verb } from "./plan";

export type StackState = "waiting" | "previewing" | "updating" | "destroying" | "reading" | Outcome;

export const activeState: Record<Verb, StackState> = { preview: "previewing", up: "updating", destroy: "destroying", outputs: "reading" };

export interface StackProgress {
    stack: string;
    wave: string;
    state: StackState;
    /** Steps the engine finished, by operation (`same` included). */
    done: Partial<Record<string, number>>;
    /** Steps started and not finished yet. */
    inFlight: number;
    /** The engine's closing counts (summary event), when it sent them. */
    changes?: OpMap;
    policyViolations: number;
    errors: number;
    /** The first error diagnostic, for the closing table. */
    firstError?: string;
    startedAt?: number;
    endedAt?: number;
    log?: string;
}

export function initialProgress(stack: string, wave: string): StackProgress {
    return { stack, wave, state: "waiting", done: {}, inFlight: 0, policyViolations: 0, errors: 0 };
}

/** The engine's component and provider bookkeeping steps are not resources a person counts. */
function counted(type: string | undefined): boolean {
    return type !== undefined && type !== "pulumi:pulumi:Stack" && !type.startsWith("pulumi:providers:");
}

/** Folds one engine event into a stack's progress. */
export function applyEvent(p: StackProgress, e: EngineEvent): StackProgress {
    if (e.resourcePreEvent && counted(e.resourcePreEvent.metadata.type)) {
        return { ...p, inFlight: p.inFlight + 1 };
    }
    if (e.resOutputsEvent && counted(e.resOutputsEvent.metadata.type)) {
        const op = e.resOutputsEvent.metadata.op;
        return { ...p, inFlight: Math.max(0, p.inFlight - 1), done: { ...p.done, [op]: (p.done[op] ?? 0) + 1 } };
    }
    if (e.resOpFailedEvent && counted(e.resOpFailedEvent.metadata.type)) {
        return { ...p, inFlight: Math.max(0, p.inFlight - 1), done: { ...p.done, failed: (p.done.failed ?? 0) + 1 } };
    }
    if (e.diagnosticEvent?.severity === "error") {
        // The engine sends a last, general "update failed" error too; the first one says what went wrong.
        // eslint-disable-next-line no-control-regex -- the engine's messages carry ANSI colour codes
        const message = e.diagnosticEvent.message.replace(/\x1b\[[0-9;]*m/g, "").trim();
        return { ...p, errors: p.errors + 1, firstError: p.firstError ?? firstLine(message) };
    }
    if (e.policyEvent) {
        return { ...p, policyViolations: p.policyViolations + 1 };
    }
    if (e.summaryEvent) {
        return { ...p, changes: e.summaryEvent.resourceChanges, inFlight: 0 };
    }
    return p;
}

/** The CLI's own `error: ...` line if there is one, else the first line that says something. */
export function firstLine(text: string): string {
    const lines = text.split("\n").map((l) => l.trim());
    const line = lines.find((l) => l.startsWith("error: ")) ?? lines.find((l) => l !== "") ?? text;
    return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

const opSymbols: [string, string][] = [
    ["create", "+"],
    ["update", "~"],
    ["replace", "+-"],
    ["delete", "-"],
    ["same", "="],
];

/** `+2 ~1 -0 =28` style counts; the replace variants count as one replace each. */
export function formatOps(ops: Partial<Record<string, number>>): string {
    const merged: Record<string, number> = {};
    for (const [op, n] of Object.entries(ops)) {
        const key = op === "create-replacement" || op === "delete-replaced" ? undefined : op;
        if (key !== undefined && n) {
            merged[key] = (merged[key] ?? 0) + n;
        }
    }
    const parts = opSymbols.filter(([op]) => merged[op]).map(([op, sym]) => `${sym}${merged[op]}`);
    for (const [op, n] of Object.entries(merged)) {
        if (!opSymbols.some(([known]) => known === op)) {
            parts.push(`${op} ${n}`);
        }
    }
    return parts.join(" ") || "no changes";
}

export function formatDuration(ms: number): string {
    const s = Math.round(ms / 100) / 10;
    return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

/** One status line: `eu-1  [canary]  updating   12 done (+3 ~1 =8), 2 in flight   4.2s`. */
export function statusLine(p: StackProgress, now: number, width = 12): string {
    const parts = [p.stack.padEnd(width), `[${p.wave}]`.padEnd(10), p.state.padEnd(10)];
    const finished = Object.values(p.done).reduce<number>((a, n) => a + (n ?? 0), 0);
    if (p.changes) {
        parts.push(formatOps(p.changes));
    } else if (finished > 0 || p.inFlight > 0) {
        parts.push(`${finished} done (${formatOps(p.done)}), ${p.inFlight} in flight`);
    }
    if (p.policyViolations > 0) {
        parts.push(`${p.policyViolations} policy violation${p.policyViolations === 1 ? "" : "s"}`);
    }
    if (p.startedAt !== undefined) {
        parts.push(formatDuration((p.endedAt ?? now) - p.startedAt));
    }
    return parts.join("  ").trimEnd();
}

/** The closing table: stack, wave, result, changes, duration, and where to look. */
export function summaryTable(verb: Verb, rows: StackProgress[]): string {
    const header = ["STACK", "WAVE", "RESULT", "CHANGES", "DURATION", "DETAIL"];
    const body = rows.map((p) => [
        p.stack,
        p.wave,
        p.state,
        p.changes ? formatOps(p.changes) : p.state === "done" && verb === "outputs" ? "-" : "",
        p.startedAt !== undefined && p.endedAt !== undefined ? formatDuration(p.endedAt - p.startedAt) : "-",
        p.state === "done" ? (p.log ?? "") : (p.firstError ?? p.log ?? ""),
    ]);
    const failed = rows.filter((p) => p.state !== "done").length;
    return `${table([header, ...body])}\nfleet ${verb}: ${rows.length - failed} of ${rows.length} stacks done${failed ? `, ${failed} not` : ""}`;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table(rows: string[][]): string {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
    return rows
        .map((r) =>
            r
                .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}
