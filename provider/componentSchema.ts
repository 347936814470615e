// The component's Pulumi package schema as the engine gets it from this plugin (`pulumi package get-schema
// ./provider`): the SDK's analyzer over the TypeScript sources. `npm run schema` writes it to schema.json, and the
// args reference generated from it into README.md.
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { SecureIngress } from "../components/secureIngress";
import { withArgsTable } from "./argsReference";

export const schemaFile = path.join(__dirname, "schema.json");
export const readmeFile = path.join(__dirname, "..", "README.md");

export async function componentSchema(): Promise<Record<string, unknown>> {
    const provider = new ComponentProvider({ components: [SecureIngress], name: "secure-ingress", dirname: __dirname });
    return JSON.parse(await provider.getSchema());
}

if (require.main === module) {
    componentSchema().then(
        (schema) => {
            fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2) + "\n");
            fs.writeFileSync(readmeFile, withArgsTable(fs.readFileSync(readmeFile, "utf8"), schema));
        },
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
