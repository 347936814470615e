// The library as npm ships it: built with tsconfig.build.json (as `npm run build` does), packed by the real
// `npm pack`, and installed into throw-away projects. Built and packed once per mocha run, whichever spec asks first.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import * as ts from "typescript";
import { repoRoot } from "../../commands/offline/stacks";

const run = promisify(execFile);

export interface Packed {
    /** The tarball `npm pack` wrote. */
    tarball: string;
    /** Paths inside the package, as `npm pack --json` lists them. */
    files: string[];
    /** The packed package.json. */
    manifest: Record<string, any>;
}

/** Parsed files shared by every compile of one run: the @pulumi declarations dominate and never change. */
const parsed = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, language, onError, fresh) => {
        const cacheable = fileName.includes(`${path.sep}node_modules${path.sep}`);
        const hit = cacheable ? parsed.get(fileName) : undefined;
        if (hit) {
            return hit;
        }
        const file = read(fileName, language, onError, fresh);
        if (file && cacheable) {
            parsed.set(fileName, file);
        }
        return file;
    };
    return host;
}

/** Compiles a tsconfig project as `tsc -p` does (emitting unless noEmit); the diagnostics as tsc prints them. */
export function compileProject(tsconfig: string, overrides: ts.CompilerOptions = {}): string[] {
    const config = ts.getParsedCommandLineOfConfigFile(tsconfig, overrides, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) {
        return [`cannot read ${tsconfig}`];
    }
    const host = cachingHost(config.options);
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
    const emitted = config.options.noEmit ? undefined : program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...(emitted?.diagnostics ?? [])];
    return diagnostics.map((d) => ts.formatDiagnostic(d, host));
}

let packing: Promise<Packed> | undefined;

/** `npm run build` then `npm pack` of the repository, once. */
export function packedLibrary(): Promise<Packed> {
    packing ??= (async () => {
        fs.rmSync(path.join(repoRoot, "lib"), { recursive: true, force: true });
        const errors = compileProject(path.join(repoRoot, "tsconfig.build.json"));
        if (errors.length > 0) {
            throw new Error(`the library does not build:\n${errors.join("")}`);
        }
        const dest = fs.mkdtempSync(path.join(os.tmpdir(), "si-pack-"));
        // The build ran above; --ignore-scripts keeps npm from running it a second time through prepack.
        const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], { cwd: repoRoot });
        const [info] = JSON.parse(stdout);
        const tarball = path.join(dest, info.filename);
        const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
        return { tarball, files: info.files.map((f: { path: string }) => f.path), manifest };
    })();
    return packing;
}

/**
 * Installs the tarball into `<dir>/node_modules/<name>` and links every other package the project or the packed
 * library names (dependencies and peers) from the repository's node_modules: the registry is not needed, and there
 * is one @pulumi/pulumi, so mocks set by the test reach the example. A package neither names stays unresolvable.
 */
export async function installPacked(dir: string, packed: Packed, projectDeps: string[]): Promise<string> {
    const modules = path.join(dir, "node_modules");
    const target = path.join(modules, packed.manifest.name);
    fs.mkdirSync(target, { recursive: true });
    await run("tar", ["-xzf", packed.tarball, "-C", target, "--strip-components=1"]);
    const names = new Set([
        ...projectDeps,
        ...Object.keys(packed.manifest.dependencies ?? {}),
        ...Object.keys(packed.manifest.peerDependencies ?? {}),
    ]);
    names.delete(packed.manifest.name);
    for (const name of names) {
        const link = path.join(modules, name);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.join(repoRoot, "node_modules", name), link, "dir");
    }
    return target;
}
