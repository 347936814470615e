// Istio's public JWT samples (security/tools/jwt/samples), read from the istio.io/istio Go module that the
// end-to-end tools pin (tools/versions.env). `go mod download` fetches it once into the module cache.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../commands/offline/stacks";

function istioModuleVersion(): string {
    const env = fs.readFileSync(path.join(repoRoot, "tools", "versions.env"), "utf8");
    const m = /^SI_ISTIO_GOVERSION=(\S+)/m.exec(env);
    if (!m) {
        throw new Error("SI_ISTIO_GOVERSION is missing from tools/versions.env");
    }
    return m[1];
}

export function istioJwtSamples(): { jwks: string; demoJwt: string } {
    const info = JSON.parse(
        execFileSync("go", ["mod", "download", "-json", `istio.io/istio@${istioModuleVersion()}`], {
            encoding: "utf8",
            env: { ...process.env, GOFLAGS: "-mod=mod" },
        }),
    );
    const dir = path.join(info.Dir, "security", "tools", "jwt", "samples");
    return {
        jwks: fs.readFileSync(path.join(dir, "jwks.json"), "utf8"),
        demoJwt: fs.readFileSync(path.join(dir, "demo.jwt"), "utf8").trim(),
    };
}
