// The Gateway API CRDs vendored in test/fixtures/gateway-api (sigs.k8s.io/gateway-api, one channel each), as validators.
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../commands/offline/stacks";
import { crdValidators } from "./crdValidators";
import type { Validator } from "./models";

/** The module version the fixtures were copied from (their README says how). */
export const gatewayApiCrdVersion = "v1.6.3";

export type GatewayApiChannel = "standard" | "experimental";

export function gatewayApiCrdFiles(channel: GatewayApiChannel): string[] {
    const dir = path.join(repoRoot, "test", "fixtures", "gateway-api", channel);
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => path.join(dir, f));
}

/** apiVersion/kind -> validator for every served version of the vendored CRDs of the channel. */
export function gatewayApiValidators(channel: GatewayApiChannel = "standard"): Map<string, Validator> {
    // Compiling the schemas takes seconds: once per channel and process.
    const cached = compiled.get(channel) ?? crdValidators(gatewayApiCrdFiles(channel));
    compiled.set(channel, cached);
    return cached;
}

const compiled = new Map<GatewayApiChannel, Map<string, Validator>>();
