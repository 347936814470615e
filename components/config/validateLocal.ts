// Config that names local paths: a kubeconfig file that must exist, a render folder that must be safe to fill with
// Secrets (private keys included) and to have the provider delete files in.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SecureIngressConfig } from "./schema";
import type { SemanticProblem } from "./validate";

export interface LocalEnv {
    /** The program's working directory (the project folder under `pulumi up`). */
    cwd: string;
    home: string;
}

const here = (): LocalEnv => ({ cwd: process.cwd(), home: os.homedir() });

/** Top-level system folders and everything under them. */
const systemRoots = [
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var",
];

const inside = (child: string, parent: string) =>
    child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** `~` and `~/x` as the provider and shells expand them. */
function expandHome(p: string, home: string): string {
    return p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p;
}

/** The real path of the nearest existing ancestor, joined with the rest (so a symlinked folder is judged by its target). */
export function realTarget(p: string): string {
    const abs = path.resolve(p);
    let existing = abs;
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
        existing = path.dirname(existing);
    }
    return path.join(fs.realpathSync(existing), path.relative(existing, abs));
}

/**
 * True when git would track files written under `p`: inside a work tree and not git-ignored. False outside any
 * repository, and when git is not installed (nothing can be committed by accident then).
 */
export function gitWouldTrack(p: string): boolean {
    let dir = path.resolve(p);
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) {
        dir = path.dirname(dir);
    }
    const probe = path.join(path.resolve(p), "key.pem");
    try {
        execFileSync("git", ["-C", dir, "check-ignore", "-q", "--no-index", probe], { stdio: "ignore" });
        return false;
    } catch (e) {
        // 1: not ignored; 128: not a repository (or outside it); ENOENT: no git.
        return (e as { status?: number }).status === 1;
    }
}

export function localProblems(c: SecureIngressConfig, env: LocalEnv = here()): SemanticProblem[] {
    const k = c.kubernetes;
    if (k.renderDir !== undefined && (k.kubeconfig !== undefined || k.context !== undefined)) {
        // Reported as "set either renderDir or kubeconfig/context"; which one the user keeps is not known yet.
        return [];
    }
    return [...kubeconfigProblems(c, env), ...renderDirProblems(c, env)];
}

/**
 * The provider takes kubeconfig contents or a path (pulumi-kubernetes `parseKubeconfigString`): it expands `~` and
 * `~/`, reads the file when the path exists, and otherwise parses the text itself as kubeconfig YAML, which fails
 * for a mistyped path. Text with a newline or `{`, or starting `apiVersion:`, is contents: no kubeconfig fits on one
 * line of block YAML.
 */
function kubeconfigProblems(c: SecureIngressConfig, env: LocalEnv): SemanticProblem[] {
    const k = c.kubernetes.kubeconfig;
    if (k === undefined || /[\n{]/.test(k) || /^\s*apiVersion\s*:/.test(k)) {
        return [];
    }
    const file = path.resolve(env.cwd, expandHome(k, env.home));
    let stat: fs.Stats | undefined;
    try {
        stat = fs.statSync(file);
    } catch {
        stat = undefined;
    }
    if (stat?.isFile()) {
        return [];
    }
    return [
        {
            path: "kubernetes.kubeconfig",
            value: k,
            message: `${stat ? "is a folder" : "names no file"} (${file}); the provider would read the text itself as kubeconfig YAML and fail; give the path of an existing kubeconfig file, or remove the key to render manifests`,
        },
    ];
}

/** Why a render folder is dangerous, or undefined. */
export function dangerousFolder(dir: string, env: LocalEnv, what: string): string | undefined {
    const target = realTarget(path.resolve(env.cwd, dir));
    const home = realTarget(env.home);
    const project = realTarget(env.cwd);
    if (target === path.parse(target).root) {
        return `is the file-system root; ${what}`;
    }
    if (target === home || inside(home, target)) {
        return `${target === home ? "is" : "holds"} the home folder (${target}); ${what}`;
    }
    if (inside(project, target)) {
        return `${target === project ? "is" : "holds"} the project folder (${target}); ${what}`;
    }
    // A home folder under one of them (root's /root) is judged as home, above.
    const system = systemRoots.find((r) => inside(target, r) && !inside(home, r));
    if (system) {
        return `is under the system folder ${system} (${target}); ${what}`;
    }
    if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
        return `is an existing file, not a folder (${target}); ${what}`;
    }
    if (gitWouldTrack(target)) {
        return `is inside a git work tree and not git-ignored (${target}), so the rendered private keys could be committed; ${what}`;
    }
    return undefined;
}

function renderDirProblems(c: SecureIngressConfig, env: LocalEnv): SemanticProblem[] {
    const dir = c.kubernetes.renderDir;
    if (dir === undefined) {
        return [];
    }
    const what =
        "the provider writes every Secret there, private keys included, and deletes files there on replace; use a folder of its own, e.g. rendered/<stack> (git-ignored)";
    if (dir.startsWith("~")) {
        return [
            {
                path: "kubernetes.renderDir",
                value: dir,
                message: `starts with '~', which only a shell expands, not Pulumi config (a folder named ~ would appear in the project); write the path out (${path.join(env.home, dir.replace(/^~\/?/, ""))})`,
            },
        ];
    }
    const problem = dangerousFolder(dir, env, what);
    return problem ? [{ path: "kubernetes.renderDir", value: dir, message: problem }] : [];
}
