// cert-manager's own CRDs (deploy/crds/ of the github.com/cert-manager/cert-manager module at the version the
// end-to-end launcher pins in its go.mod), as validators. `go mod download` fetches the module once.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../../commands/offline/stacks";
import type { Validator } from "./models";

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

/**
 * The API server prunes fields a structural schema does not declare and `kubectl apply` (strict field
 * validation) refuses them; here they are refused, so a misspelt field fails the test.
 */
function closeObjects(schema: any): any {
    if (Array.isArray(schema)) {
        return schema.map(closeObjects);
    }
    if (schema === null || typeof schema !== "object") {
        return schema;
    }
    const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closeObjects(v)]));
    if (out.type === "object" && out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) {
        out.additionalProperties = false;
    }
    return out;
}

/** apiVersion/kind -> validator, for every served version of every cert-manager CRD. */
export function certManagerValidators(): Map<string, Validator> {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // Kubernetes' structural-schema keywords: meaningful to the API server (list/map semantics, CEL), not to JSON Schema.
    for (const keyword of [
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-int-or-string",
        "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys",
        "x-kubernetes-map-type",
        "x-kubernetes-validations",
        "x-kubernetes-embedded-resource",
    ]) {
        ajv.addKeyword(keyword);
    }
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    const out = new Map<string, Validator>();
    const dir = certManagerCrdDir();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
            const crd = doc.toJS();
            if (crd?.kind !== "CustomResourceDefinition") {
                continue;
            }
            for (const v of crd.spec.versions.filter((x: any) => x.served)) {
                const validate = ajv.compile(closeObjects(v.schema.openAPIV3Schema));
                out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, (obj) => {
                    if (!validate(obj)) {
                        throw new Error(ajv.errorsText(validate.errors));
                    }
                });
            }
        }
    }
    return out;
}
