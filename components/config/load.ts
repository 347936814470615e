import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "./parse";
import { SecureIngressConfig } from "./schema";

/** The config keys the user set with `--secret` (the engine passes them to the program; none outside a run). */
export function secretConfigKeys(): string[] {
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return isSecret ? Object.keys(pulumi.runtime.allConfig()).filter((k) => isSecret(k)) : [];
}

/**
 * Reads every `secure-ingress:*` key of the running stack and validates it: the whole config or one ConfigError.
 * Secret values (provided PEMs) are read in plaintext only to validate them; no error quotes them, and the program
 * re-wraps them as secrets.
 */
export function loadConfig(): SecureIngressConfig {
    return parseConfig(pulumi.runtime.allConfig(), { secretKeys: secretConfigKeys() });
}
