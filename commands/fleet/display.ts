// Writes the status lines: on a terminal one block redrawn in place; elsewhere (CI logs, pipes) a line whenever a
// stack's state changes, and at most every few seconds while its counts move.
import { StackProgress, statusLine } from "./progress";

export class Display {
    private readonly rows = new Map<string, StackProgress>();
    private readonly lastLine = new Map<string, { text: string; at: number; state: string }>();
    private drawn = 0;
    private timer?: NodeJS.Timeout;
    private readonly width: number;

    constructor(
        private readonly out: NodeJS.WriteStream,
        stacks: StackProgress[],
        private readonly interactive = Boolean(out.isTTY),
        private readonly lineEveryMs = 5000,
    ) {
        stacks.forEach((p) => this.rows.set(p.stack, p));
        this.width = Math.max(12, ...stacks.map((p) => p.stack.length));
        if (this.interactive) {
            this.timer = setInterval(() => this.redraw(), 250);
            this.timer.unref();
        }
    }

    update(p: StackProgress): void {
        this.rows.set(p.stack, p);
        if (!this.interactive) {
            const now = Date.now();
            const text = statusLine(p, now, this.width);
            const last = this.lastLine.get(p.stack);
            if (!last || last.state !== p.state || (last.text !== text && now - last.at >= this.lineEveryMs)) {
                this.out.write(`${text}\n`);
                this.lastLine.set(p.stack, { text, at: now, state: p.state });
            }
        }
    }

    /** A line that is not a stack's status (a notice), kept above the status block. */
    note(text: string): void {
        this.clear();
        this.out.write(`${text}\n`);
        this.redraw();
    }

    stop(): void {
        if (this.timer) {
            clearInterval(this.timer);
        }
        this.redraw();
    }

    private clear(): void {
        if (this.interactive && this.drawn > 0) {
            this.out.write(`\x1b[${this.drawn}A\x1b[J`);
            this.drawn = 0;
        }
    }

    private redraw(): void {
        if (!this.interactive) {
            return;
        }
        this.clear();
        const now = Date.now();
        const lines = [...this.rows.values()].map((p) => statusLine(p, now, this.width));
        this.out.write(lines.map((l) => `${l}\n`).join(""));
        this.drawn = lines.length;
    }
}
