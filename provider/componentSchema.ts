// The component's Pulumi package schema as the engine gets it from this plugin (`pulumi package get-schema
// ./provider`): the SDK's analyzer over the TypeScript sources. `npm run schema` writes it to schema.json.
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { SecureIngress } from "../components/secureIngress";

export const schemaFile = path.join(__dirname, "schema.json");

export async function componentSchema(): Promise<Record<string, unknown>> {
    const provider = new ComponentProvider({ components: [SecureIngress], name: "secure-ingress", dirname: __dirname });
    return JSON.parse(await provider.getSchema());
}

if (require.main === module) {
    componentSchema().then(
        (schema) => fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2) + "\n"),
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
