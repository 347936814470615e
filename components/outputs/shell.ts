// The one quoting rule for every config-derived value that reaches a printed shell command.

/** Characters that mean nothing to a POSIX shell in an argument (no globbing, expansion, splitting or tilde). */
const plainWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A POSIX shell word that stands for exactly `value`: bare when it holds only plain characters (so the
 * task's own lines read as the task wrote them), otherwise in single quotes, each `'` written as `'\''`.
 * Single quotes turn off every expansion, including newlines, `$(...)`, backticks and `;`.
 */
export function shellQuote(value: string | number): string {
    const text = String(value);
    if (plainWord.test(text)) {
        return text;
    }
    return `'${text.replace(/'/g, `'\\''`)}'`;
}
