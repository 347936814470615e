// An external JWT issuer for the real-gateway run's stacks that expect one (test/support/issuer.ts):
//
//   issuer.ts jwks  --project DIR --stack NAME --keys DIR   prints the JWKS to set as jwt.jwks (nothing when the
//                                                           stack brings its own keys or issues its own token)
//   issuer.ts token --project DIR --stack NAME --keys DIR   prints a token of that key for the stack's issuer
import { parseArgs } from "util";
import { stackConfig } from "../../commands/offline/stacks";
import { issueToken, makeIssuerKey, needsExternalKeys } from "../support/issuer";

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: { project: { type: "string" }, stack: { type: "string" }, keys: { type: "string" } },
    });
    const [verb] = positionals;
    const { project, stack, keys } = values;
    if (!project || !stack || !keys || (verb !== "jwks" && verb !== "token")) {
        console.error("usage: issuer.ts jwks|token --project DIR --stack NAME --keys DIR");
        return 2;
    }
    const raw = stackConfig(stack, project);
    if (verb === "jwks") {
        if (needsExternalKeys(raw)) {
            console.log(makeIssuerKey(keys));
        }
        return 0;
    }
    console.log(await issueToken(keys, raw));
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(2);
    },
);
