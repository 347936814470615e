import { Finding, PolicyResource, ResourceRule } from "./types";
import { describe, isUnknown, rec, types } from "./util";

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----/;
const BASE64_TOKEN = /[A-Za-z0-9+/]{24,}={0,2}/g;

/** The PEM label of a private key found in the value, plain or base64-encoded (anywhere inside it). */
export function findPrivateKey(value: string): { label: string; encoded: boolean } | undefined {
    const plain = PEM_PRIVATE.exec(value);
    if (plain) {
        return { label: plain[1], encoded: false };
    }
    for (const token of value.match(BASE64_TOKEN) ?? []) {
        const decoded = Buffer.from(token, "base64").toString("latin1");
        const m = PEM_PRIVATE.exec(decoded);
        if (m) {
            return { label: m[1], encoded: true };
        }
    }
    return undefined;
}

function scanMap(map: unknown, where: (k: string) => string, out: Finding[], r: PolicyResource, base64Values: boolean): void {
    for (const [k, v] of Object.entries(rec(map) ?? {})) {
        if (typeof v !== "string" || isUnknown(v)) {
            continue;
        }
        const hit = base64Values ? (findPrivateKey(Buffer.from(v, "base64").toString("latin1")) ?? findPrivateKey(v)) : findPrivateKey(v);
        if (hit) {
            out.push({
                message: `${describe(r)}: ${where(k)} holds a private key (${hit.label}${hit.encoded || base64Values ? ", base64-encoded" : ""}); private keys belong only in a Secret`,
            });
        }
    }
}

/** Every `annotations` map in the object (metadata, pod template, ...), with its path. */
function annotationMaps(v: unknown, path: string, out: { path: string; map: unknown }[]): void {
    const r = rec(v);
    if (Array.isArray(v)) {
        v.forEach((e, i) => annotationMaps(e, `${path}[${i}]`, out));
        return;
    }
    if (!r) {
        return;
    }
    for (const [k, val] of Object.entries(r)) {
        const p = path ? `${path}.${k}` : k;
        if (k === "annotations") {
            out.push({ path: p, map: val });
        } else {
            annotationMaps(val, p, out);
        }
    }
}

export const noPrivateKeyOutsideSecret: ResourceRule = {
    name: "no-private-key-outside-secret",
    description:
        "No private key (-----BEGIN ... PRIVATE KEY-----, plain or base64-encoded) in a ConfigMap's data/binaryData or in any annotation of any Kubernetes object " +
        "other than a Secret: those are readable by far more accounts than the gateway's Secret.",
    enforcementLevel: "mandatory",
    source: "the task's warning about who can read the key; Kubernetes Secret good practices",
    scope: "resource",
    appliesTo: types.isKubernetes,
    check(r) {
        const out: Finding[] = [];
        if (types.isConfigMap(r.type)) {
            scanMap(r.props["data"], (k) => `data key ${JSON.stringify(k)}`, out, r, false);
            scanMap(r.props["binaryData"], (k) => `binaryData key ${JSON.stringify(k)}`, out, r, true);
        }
        if (types.isSecret(r.type)) {
            // A Secret's annotations are exactly as readable as its data (e.g. a client-side-apply
            // last-applied-configuration copy of the data): nothing leaks beyond the Secret.
            return out;
        }
        const maps: { path: string; map: unknown }[] = [];
        annotationMaps(r.props, "", maps);
        for (const m of maps) {
            scanMap(m.map, (k) => `annotation ${JSON.stringify(k)} (${m.path})`, out, r, false);
        }
        return out;
    },
};
