// Validators from CustomResourceDefinition files: each served version's openAPIV3Schema compiled with ajv, objects
// closed as the API server's pruning and strict field validation treat them. CEL rules (x-kubernetes-validations)
// are enforced only by a real API server.
import * as fs from "fs";
import * as net from "net";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";
import type { Validator } from "./models";

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

function newAjv(): Ajv {
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
    ajv.addFormat("ipv4", { type: "string", validate: (v: string) => net.isIPv4(v) });
    ajv.addFormat("ipv6", { type: "string", validate: (v: string) => net.isIPv6(v) });
    ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    return ajv;
}

/** apiVersion/kind -> validator, for every served version of every CRD in the files. */
export function crdValidators(files: string[]): Map<string, Validator> {
    const ajv = newAjv();
    const out = new Map<string, Validator>();
    for (const file of files) {
        for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
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
