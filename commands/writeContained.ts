// Writes files under one folder and nowhere else: no `..`, no absolute path, no symbolic link followed on the way,
// every folder 0700 and every file 0600 (the folders hold private keys), and nothing git would track.
import * as fs from "fs";
import * as path from "path";
import { gitWouldTrack, realTarget } from "../components/config/validateLocal";

export interface ContainedFile {
    path: string;
    content: string;
}

/** Why a relative path could leave its folder, or undefined. */
function pathProblem(rel: string): string | undefined {
    if (path.isAbsolute(rel) || rel.includes("\\")) {
        return "is absolute";
    }
    const parts = rel.split("/");
    return parts.some((p) => p === "" || p === "." || p === "..") ? "has an empty, '.' or '..' segment" : undefined;
}

/** Refuses, before anything is written, a symbolic link or a non-folder already standing on a file's way. */
function inspect(root: string, rel: string): void {
    const parts = rel.split("/");
    let cur = root;
    for (const [i, part] of parts.entries()) {
        cur = path.join(cur, part);
        let st: fs.Stats;
        try {
            st = fs.lstatSync(cur);
        } catch {
            return;
        }
        if (st.isSymbolicLink()) {
            throw new Error(
                `${cur} is a symbolic link; refusing to follow it out of the output folder (remove it and run again); nothing was written`,
            );
        }
        if (i < parts.length - 1 && !st.isDirectory()) {
            throw new Error(`${cur} exists and is not a folder; remove it and run again; nothing was written`);
        }
    }
}

/** A folder under `root` (itself real), created 0700 where missing; a symbolic link or a file on the way is refused. */
function ensureDir(root: string, relDir: string): string {
    let cur = root;
    for (const part of relDir === "" ? [] : relDir.split("/")) {
        cur = path.join(cur, part);
        let st: fs.Stats | undefined;
        try {
            st = fs.lstatSync(cur);
        } catch {
            st = undefined;
        }
        if (st === undefined) {
            fs.mkdirSync(cur, { mode: 0o700 });
        } else if (st.isSymbolicLink()) {
            throw new Error(`${cur} is a symbolic link; refusing to follow it out of the output folder (remove it and run again)`);
        } else if (!st.isDirectory()) {
            throw new Error(`${cur} exists and is not a folder; remove it and run again`);
        }
        fs.chmodSync(cur, 0o700);
    }
    return cur;
}

/** Checks every path first, then writes; returns the real output folder. */
export function writeContained(out: string, files: ContainedFile[]): string {
    const bad = files.flatMap((f) => {
        const p = pathProblem(f.path);
        return p ? [`${JSON.stringify(f.path)} ${p}`] : [];
    });
    if (bad.length > 0) {
        throw new Error(`refusing to write outside ${out}: ${bad.join("; ")}`);
    }
    const planned = realTarget(out);
    const tops = [...new Set(files.map((f) => f.path.split("/")[0]))];
    const tracked = tops.filter((t) => gitWouldTrack(path.join(planned, t)));
    if (tracked.length > 0) {
        throw new Error(
            `git would track ${tracked.map((t) => path.join(planned, t)).join(", ")} (not git-ignored), and these folders hold private keys; pass --out certs-out (git-ignored) or a folder outside the repository; nothing was written`,
        );
    }
    fs.mkdirSync(out, { recursive: true, mode: 0o700 });
    const root = fs.realpathSync(out);
    files.forEach((f) => inspect(root, f.path));
    for (const f of files) {
        const dir = ensureDir(root, path.posix.dirname(f.path) === "." ? "" : path.posix.dirname(f.path));
        const target = path.join(dir, path.posix.basename(f.path));
        // O_NOFOLLOW: a symbolic link planted at the file's own name is refused, not written through.
        const fd = fs.openSync(
            target,
            fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW,
            0o600,
        );
        try {
            fs.fchmodSync(fd, 0o600);
            fs.writeFileSync(fd, f.content);
        } finally {
            fs.closeSync(fd);
        }
    }
    return root;
}
