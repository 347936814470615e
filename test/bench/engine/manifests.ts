// manifests.ts < `pulumi stack export --show-secrets` > list.json
// The Kubernetes objects of a stack exactly as the program registered them (each resource's inputs, secrets
// decrypted), as one v1 List: what `kubectl apply --server-side` gets for the floor.
import * as fs from "fs";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Exported state writes a secret as {sig, plaintext: JSON text}; give back the value. */
function reveal(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(reveal);
    }
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (SECRET_SIG_KEY in o && typeof o.plaintext === "string") {
            return reveal(JSON.parse(o.plaintext));
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, reveal(x)]));
    }
    return v;
}

const exported = JSON.parse(fs.readFileSync(0, "utf8"));
const items = (exported.deployment?.resources ?? [])
    .filter((r: any) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:") && r.inputs?.kind)
    .map((r: any) => reveal(r.inputs));
process.stdout.write(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
console.error(`${items.length} objects`);
