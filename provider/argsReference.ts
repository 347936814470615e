// The README's args reference: names, types, descriptions and which fields take Outputs from the component's
// schema, defaults from the component's own arg check. `npm run schema` writes it into README.md.
import { checkArgs } from "../components/config/checkArgs";

interface Property {
    type?: string;
    $ref?: string;
    items?: Property;
    additionalProperties?: Property;
    description?: string;
    plain?: boolean;
}

interface TypeSpec {
    type: string;
    properties?: Record<string, Property>;
    required?: string[];
    enum?: { value: string }[];
}

export interface ArgRow {
    path: string;
    type: string;
    required: boolean;
    /** An Output (or a Promise) may stand for the value. */
    input: boolean;
    default: string;
    description: string;
}

export const beginMarker = "<!-- args-reference:begin (npm run schema writes this table from provider/schema.json) -->";
export const endMarker = "<!-- args-reference:end -->";

const componentToken = "secure-ingress:index:SecureIngress";
const sampleHost = { name: "a", host: "a.example.com", routes: [{ match: [{ prefix: "/" }], destination: { host: "b", port: 80 } }] };

/** Args of one minimal host, and what the component's check makes of them: every default it applies. */
const sample = { hosts: [sampleHost] };
/**
 * The same host with each optional block present with only its required fields (a cert-manager certificate from an
 * outside issuer, a probe): the defaults inside those blocks.
 */
const blocksSample = {
    hosts: [{ ...sampleHost, certificate: "cert-manager", certManager: { issuerRef: { name: "issuer" } }, probe: { path: "/" } }],
};
const applied = (args: object) => checkArgs(args as typeof sample).config as unknown as Record<string, unknown>;

function lookup(root: unknown, path: string): unknown {
    let cur: any = root;
    for (const part of path.replace(/\[\]/g, ".0").split(".")) {
        if (part.startsWith("<") || cur === undefined || cur === null) {
            return undefined;
        }
        cur = cur[part];
    }
    return cur;
}

export function argRows(schema: Record<string, any>): ArgRow[] {
    const types: Record<string, TypeSpec> = schema.types;
    const resource = schema.resources[componentToken];
    const samples = [sample, blocksSample].map((args) => ({ args, config: applied(args) }));
    /** The first default a sample's check applied where that sample left the field out. */
    const defaultOf = (path: string) =>
        samples
            .map(({ args, config }) => (lookup(args, path) === undefined ? lookup(config, path) : undefined))
            .find((v) => v !== undefined);
    const rows: ArgRow[] = [];
    const typeOf = (p: Property): string => {
        if (p.$ref) {
            const t = types[p.$ref.replace("#/types/", "")];
            return t.enum ? t.enum.map((e) => `\`${e.value}\``).join(", ") : "object";
        }
        if (p.type === "array") {
            return `${typeOf(p.items ?? {})}[]`;
        }
        if (p.type === "object" && p.additionalProperties) {
            return `map of ${typeOf(p.additionalProperties)}`;
        }
        return p.type ?? "any";
    };
    const objectType = (p: Property | undefined): TypeSpec | undefined => {
        const t = p?.$ref ? types[p.$ref.replace("#/types/", "")] : undefined;
        return t && !t.enum ? t : undefined;
    };
    const walk = (properties: Record<string, Property>, required: string[], prefix: string, fromDefaults: boolean) => {
        for (const [name, p] of Object.entries(properties)) {
            const path = `${prefix}${name}`;
            const isRequired = required.includes(name);
            const value = fromDefaults && !isRequired ? defaultOf(path) : undefined;
            const leaf = !objectType(p) && !objectType(p.items) && !objectType(p.additionalProperties);
            rows.push({
                path,
                type: typeOf(p),
                required: isRequired,
                input: [p, p.items, p.additionalProperties].some((q) => q !== undefined && q.plain !== true && !objectType(q)),
                default: leaf && value !== undefined ? `\`${JSON.stringify(value)}\`` : "",
                description: p.description ?? "",
            });
            const nested = objectType(p) ?? objectType(p.items) ?? objectType(p.additionalProperties);
            if (nested?.properties) {
                const childPrefix = objectType(p) ? `${path}.` : objectType(p.items) ? `${path}[].` : `${path}.<name>.`;
                // Inside a map (certificates.<name>) there are no defaults.
                walk(nested.properties, nested.required ?? [], childPrefix, fromDefaults && !objectType(p.additionalProperties));
            }
        }
    };
    walk(resource.inputProperties, resource.requiredInputs ?? [], "", true);
    return rows;
}

const cell = (text: string) => text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");

export function argsTable(schema: Record<string, any>): string {
    const lines = [
        "| Arg | Type | Required | Output ok | Default | Meaning |",
        "|---|---|---|---|---|---|",
        ...argRows(schema).map(
            (r) =>
                `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? "yes" : ""} | ${r.input ? "yes" : ""} | ${cell(r.default)} | ${cell(r.description)} |`,
        ),
    ];
    return lines.join("\n");
}

/** README text with the block between the markers replaced by the table. */
export function withArgsTable(readme: string, schema: Record<string, any>): string {
    const begin = readme.indexOf(beginMarker);
    const end = readme.indexOf(endMarker);
    if (begin < 0 || end < begin) {
        throw new Error(`README.md has no ${beginMarker} ... ${endMarker} block`);
    }
    return `${readme.slice(0, begin + beginMarker.length)}\n${argsTable(schema)}\n${readme.slice(end)}`;
}
