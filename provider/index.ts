// The multi-language entry: serves SecureIngress to the engine as a component provider. Its schema is what the
// SDK's analyzer reads from the TypeScript sources; ../schema.json is that schema, checked in.
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { SecureIngress } from "../components/secureIngress";

componentProviderHost({ components: [SecureIngress], name: "secure-ingress", dirname: __dirname }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
