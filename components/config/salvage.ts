// The best-effort value the cross-key checks run on when the schema refused some fields: every field that is
// valid on its own keeps its value, a refused field with a default takes the default, a refused host entry is
// left out (its original index is kept so problems still name it), a refused map entry is left out.
import { z } from "zod";
import { configSchema, SecureIngressConfig } from "./schema";

type Schema = z.ZodType;
interface Salvaged {
    ok: boolean;
    data?: unknown;
}

const kind = (s: Schema) => (s as unknown as { def: { type: string } }).def.type;

function salvage(schema: Schema, value: unknown): Salvaged {
    const whole = schema.safeParse(value);
    if (whole.success) {
        return { ok: true, data: whole.data };
    }
    const t = kind(schema);
    if (t === "default" || t === "optional") {
        const inner = salvage((schema as unknown as { unwrap(): Schema }).unwrap(), value);
        if (inner.ok) {
            return inner;
        }
        const fallback = schema.safeParse(undefined);
        return fallback.success ? { ok: true, data: fallback.data } : { ok: false };
    }
    if (t === "object" && isPlainObject(value)) {
        const shape = (schema as z.ZodObject).shape as Record<string, Schema>;
        const data: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(shape)) {
            const s = salvage(field, Object.hasOwn(value, key) ? value[key] : undefined);
            if (!s.ok) {
                return { ok: false };
            }
            if (s.data !== undefined) {
                data[key] = s.data;
            }
        }
        // Object-level rules (refine) still have to hold.
        const again = schema.safeParse(data);
        return again.success ? { ok: true, data: again.data } : { ok: false };
    }
    if (t === "record" && isPlainObject(value)) {
        const valueType = (schema as unknown as { def: { valueType: Schema } }).def.valueType;
        const data: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value)) {
            const s = salvage(valueType, v);
            if (s.ok) {
                data[key] = s.data;
            }
        }
        return { ok: true, data };
    }
    return { ok: false };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

export interface SalvagedConfig {
    config: SecureIngressConfig;
    /** Index in the salvaged hosts list -> index the user wrote. */
    hostIndex: number[];
    /** Names of the host entries left out (as written, when they were strings). */
    droppedHostNames: string[];
}

/** Always returns a config the cross-key checks can run on. */
export function salvageConfig(values: Record<string, unknown>): SalvagedConfig {
    const shape = configSchema.shape as Record<string, Schema>;
    const out: Record<string, unknown> = {};
    const hostIndex: number[] = [];
    const droppedHostNames: string[] = [];
    for (const [key, field] of Object.entries(shape)) {
        if (key === "hosts") {
            continue;
        }
        const s = salvage(field, values[key]);
        out[key] = s.ok ? s.data : field.safeParse(undefined).data;
    }
    const hostSchema = (shape.hosts as unknown as { element: Schema }).element;
    const hosts: unknown[] = [];
    (Array.isArray(values.hosts) ? values.hosts : []).forEach((h, i) => {
        const s = salvage(hostSchema, h);
        if (s.ok) {
            hosts.push(s.data);
            hostIndex.push(i);
        } else if (isPlainObject(h) && typeof h.name === "string") {
            droppedHostNames.push(h.name);
        }
    });
    out.hosts = hosts;
    return { config: out as SecureIngressConfig, hostIndex, droppedHostNames };
}
