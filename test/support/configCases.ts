// Shared helpers of the config refusal suites: build a config, collect its exact problems (or its acceptance).
import * as assert from "assert";
import { ConfigError, ConfigProblem, parseConfig } from "../../components/config/parse";
import { SecureIngressConfig } from "../../components/config/schema";

export const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };

export const host = (name: string, h: string, extra: object = {}) => ({ name, host: h, routes: [route], ...extra });

/** Every problem of a raw config, paths without the `secure-ingress:` prefix; fails when it is accepted. */
export function problemsOf(raw: Record<string, unknown>): ConfigProblem[] {
    try {
        parseConfig(raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.problems.map((p) => ({ path: p.path.replace(/^secure-ingress:/, ""), value: p.value, message: p.message }));
    }
    assert.fail(`config was accepted: ${JSON.stringify(raw).slice(0, 200)}`);
}

/** The validated config; fails with the problems when it is refused. */
export function accepted(raw: Record<string, unknown>): SecureIngressConfig {
    try {
        return parseConfig(raw);
    } catch (e) {
        assert.fail(`config was refused: ${(e as Error).message}`);
    }
}

/** A case of a refusal table: the config, and exactly the problems it must give. */
export interface Refusal {
    title: string;
    config: Record<string, unknown>;
    problems: ConfigProblem[];
}
