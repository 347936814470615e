// cert-manager's own CRDs (deploy/crds/ of the github.com/cert-manager/cert-manager module at the version the
// end-to-end launcher pins in its go.mod), as validators. `go mod download` fetches the module once.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../commands/offline/stacks";
import type { Validator } from "./models";
import { crdValidators } from "./crdValidators";

export const certManagerModule = "github.com/cert-manager/cert-manager";

/** The version test/e2e/certmanager/launcher/go.mod requires: one pin for the CRDs and the controllers. */
export function certManagerVersion(): string {
    const mod = fs.readFileSync(path.join(repoRoot, "test", "e2e", "certmanager", "launcher", "go.mod"), "utf8");
    const m = new RegExp(`^\\s*(?:require\\s+)?${certManagerModule.replace(/\./g, "\\.")} (v\\S+)`, "m").exec(mod);
    if (!m) {
        throw new Error(`${certManagerModule} is not required by test/e2e/certmanager/launcher/go.mod`);
    }
    return m[1];
}

/** The module's deploy/crds folder. */
export function certManagerCrdDir(): string {
    const info = JSON.parse(
        execFileSync("go", ["mod", "download", "-json", `${certManagerModule}@${certManagerVersion()}`], {
            encoding: "utf8",
            env: { ...process.env, GOFLAGS: "-mod=mod" },
        }),
    );
    return path.join(info.Dir, "deploy", "crds");
}

/** apiVersion/kind -> validator, for every served version of every cert-manager CRD. */
export function certManagerValidators(): Map<string, Validator> {
    const dir = certManagerCrdDir();
    return crdValidators(
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".yaml"))
            .map((f) => path.join(dir, f)),
    );
}
