import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "./parse";
import { SecureIngressConfig } from "./schema";

/**
 * Reads every `secure-ingress:*` key of the running stack and validates it: the whole config or one ConfigError.
 * Secret values (provided PEMs) are read in plaintext only to validate them; the program re-wraps them as secrets.
 */
export function loadConfig(): SecureIngressConfig {
    return parseConfig(pulumi.runtime.allConfig());
}
