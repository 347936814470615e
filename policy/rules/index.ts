/**
 * The secure-ingress rules as pure functions over plain data, and `runPolicies`, which runs them
 * outside Pulumi (offline checker, tests). `../index.ts` wraps the same table into the CrossGuard pack.
 * Importing this module never constructs a PolicyPack and never starts a gRPC server.
 */
import { certificateExpiry } from "./certificate-expiry";
import { certManagerIssuerRef, certManagerKeyStrength, certManagerRenewal } from "./cert-manager";
import { gatewayApiCertificateRefs } from "./gateway-api-certificate-refs";
import { gatewayApiFrontendValidation } from "./gateway-api-frontend-validation";
import { gatewayApiJwtTargets } from "./gateway-api-jwt-targets";
import { gatewayApiListeners } from "./gateway-api-listeners";
import { gatewayApiReferenceGrants } from "./gateway-api-reference-grants";
import { gatewayConflict } from "./gateway-conflict";
import { gatewayDuplicateCertificate } from "./gateway-duplicate-certificate";
import { gatewayValidHosts } from "./gateway-hosts";
import { gatewayHttpsRedirect } from "./gateway-https-redirect";
import { gatewayLegacyTlsDefault, gatewayMinTlsVersion } from "./gateway-min-tls-version";
import { gatewayMutualTlsCa } from "./gateway-mutual-tls-ca";
import { gatewayUniquePortNames } from "./gateway-port-names";
import { gatewaySecretLocation } from "./gateway-secret-location";
import { gatewaySecretRbac } from "./gateway-secret-rbac";
import { gatewaySingleCertificateSource } from "./gateway-single-certificate-source";
import { gatewayTlsSettings } from "./gateway-tls-settings";
import { gatewayEndUserAuthentication, jwtJwksUriHttps, legacyAuthenticationPolicy } from "./jwt";
import { noPrivateKeyOutsideSecret } from "./no-private-key";
import { tlsCaCertSigning, tlsLeafNotCa, tlsLeafValidity } from "./tls-certificates";
import { tlsKeyStrength } from "./tls-key-strength";
import { DefaultEnforcementLevel, EnforcementLevel, PackConfig, PolicyResource, Rule, RuleConfig, Violation } from "./types";
import { virtualServiceGatewayExists, virtualServiceHostInGateway } from "./virtualservice-gateways";
import { toPlain } from "./util";

export * from "./types";
export { UNKNOWN, toPlain } from "./util";
export { ISTIO_VERSION_ANNOTATION } from "./versions";
export { CertificateExpiry, expiriesOf, expiryText, pemCertificates } from "../../components/expiry";

/** The name the pack registers under (policy/index.ts). */
export const PACK_NAME = "secure-ingress";

/** Every rule, in report order. */
export const rules: readonly Rule[] = [
    gatewayTlsSettings,
    gatewayMutualTlsCa,
    gatewaySingleCertificateSource,
    gatewayUniquePortNames,
    gatewayValidHosts,
    gatewayMinTlsVersion,
    gatewayLegacyTlsDefault,
    gatewayHttpsRedirect,
    virtualServiceGatewayExists,
    virtualServiceHostInGateway,
    gatewayDuplicateCertificate,
    gatewayConflict,
    gatewaySecretLocation,
    tlsKeyStrength,
    tlsLeafValidity,
    tlsCaCertSigning,
    tlsLeafNotCa,
    certificateExpiry,
    certManagerRenewal,
    certManagerKeyStrength,
    certManagerIssuerRef,
    noPrivateKeyOutsideSecret,
    gatewaySecretRbac,
    jwtJwksUriHttps,
    gatewayEndUserAuthentication,
    legacyAuthenticationPolicy,
    gatewayApiListeners,
    gatewayApiCertificateRefs,
    gatewayApiReferenceGrants,
    gatewayApiFrontendValidation,
    gatewayApiJwtTargets,
];

/** The rule table without the functions: name, description, level, scope, source, config schema. */
export const ruleTable = rules.map((r) => ({
    name: r.name,
    description: r.description,
    enforcementLevel: r.enforcementLevel,
    scope: r.scope,
    source: r.source,
    configSchema: r.configSchema,
}));

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Problems with a pack config (unknown policy names, bad levels, wrong property types); empty when valid. */
export function validatePackConfig(config: PackConfig | undefined): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(config ?? {})) {
        const rule = rules.find((r) => r.name === key);
        if (!rule && key !== "all") {
            problems.push(`unknown policy ${JSON.stringify(key)} (known: all, ${rules.map((r) => r.name).join(", ")})`);
            continue;
        }
        if (typeof value === "string") {
            if (!LEVELS.includes(value)) {
                problems.push(`${key}: invalid enforcement level ${JSON.stringify(value)}`);
            }
            continue;
        }
        if (!value || typeof value !== "object" || Array.isArray(value)) {
            problems.push(`${key}: expected an enforcement level or an object`);
            continue;
        }
        for (const [prop, v] of Object.entries(value)) {
            if (prop === "enforcementLevel") {
                if (!LEVELS.includes(v as EnforcementLevel)) {
                    problems.push(`${key}.enforcementLevel: invalid enforcement level ${JSON.stringify(v)}`);
                }
                continue;
            }
            const schema = rule?.configSchema?.properties[prop];
            if (!schema) {
                problems.push(`${key}: unknown property ${JSON.stringify(prop)}`);
                continue;
            }
            const t = schema.type;
            const ok =
                t === "array"
                    ? Array.isArray(v)
                    : t === "integer"
                      ? Number.isInteger(v)
                      : t === "object"
                        ? !!v && typeof v === "object" && !Array.isArray(v)
                        : typeof v === t;
            if (!ok) {
                problems.push(`${key}.${prop}: expected ${t}, got ${JSON.stringify(v)}`);
            } else if (schema.enum && !schema.enum.includes(v as string | number)) {
                problems.push(`${key}.${prop}: ${JSON.stringify(v)} is not one of ${schema.enum.join(", ")}`);
            } else if (schema.minimum !== undefined && typeof v === "number" && v < schema.minimum) {
                problems.push(`${key}.${prop}: ${v} is below the minimum ${schema.minimum}`);
            }
        }
    }
    return problems;
}

function levelOf(entry: PackConfig[string] | undefined): EnforcementLevel | undefined {
    if (typeof entry === "string") {
        return entry;
    }
    return entry?.enforcementLevel;
}

/**
 * Enforcement level as CrossGuard picks it: the policy's own config entry, then `all`, then the
 * policy's default. `remediate` counts as mandatory (these rules do not remediate).
 */
export function effectiveEnforcementLevel(rule: Pick<Rule, "name" | "enforcementLevel">, config?: PackConfig): EnforcementLevel {
    return levelOf(config?.[rule.name]) ?? levelOf(config?.["all"]) ?? rule.enforcementLevel;
}

/** A rule's config: schema defaults, overlaid with the given properties (without `enforcementLevel`). */
export function ruleConfig(rule: Rule, given?: Record<string, unknown>): RuleConfig {
    const out: RuleConfig = {};
    for (const [k, p] of Object.entries(rule.configSchema?.properties ?? {})) {
        if (p.default !== undefined) {
            out[k] = p.default;
        }
    }
    for (const [k, v] of Object.entries(given ?? {})) {
        if (k !== "enforcementLevel" && v !== undefined) {
            out[k] = v;
        }
    }
    return out;
}

function givenConfig(config: PackConfig | undefined, name: string): Record<string, unknown> {
    const entry = config?.[name];
    return entry && typeof entry === "object" ? entry : {};
}

/** Normalises resources (unknown sentinels, proxies, secrets) into plain data. */
export function plainResources(resources: PolicyResource[]): PolicyResource[] {
    return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: (toPlain(r.props) ?? {}) as Record<string, unknown> }));
}

/** Runs one rule over the resources; the findings, each with the URN of the resource it is about. */
export function runRule(rule: Rule, resources: PolicyResource[], config: RuleConfig): { message: string; urn?: string }[] {
    if (rule.scope === "resource") {
        return resources
            .filter((r) => rule.appliesTo(r.type))
            .flatMap((r) => rule.check(r, config).map((f) => ({ message: f.message, urn: (f.resource ?? r).urn })));
    }
    return rule.check(resources, config).map((f) => ({ message: f.message, urn: f.resource?.urn }));
}

/**
 * Runs every rule over the resources a program registers (e.g. captured under Pulumi mocks), with
 * the same messages and levels the CrossGuard pack reports. Throws when the config is invalid.
 * Disabled rules are skipped; `remediate` is reported as mandatory.
 */
export function runPolicies(resources: PolicyResource[], config?: PackConfig): Violation[] {
    const problems = validatePackConfig(config);
    if (problems.length > 0) {
        throw new Error(`invalid policy pack config:\n  ${problems.join("\n  ")}`);
    }
    const plain = plainResources(resources);
    const out: Violation[] = [];
    for (const rule of rules) {
        const level = effectiveEnforcementLevel(rule, config);
        if (level === "disabled") {
            continue;
        }
        const enforcementLevel: DefaultEnforcementLevel = level === "advisory" ? "advisory" : "mandatory";
        for (const f of runRule(rule, plain, ruleConfig(rule, givenConfig(config, rule.name)))) {
            out.push({ policy: rule.name, enforcementLevel, ...(f.urn ? { urn: f.urn } : {}), message: f.message });
        }
    }
    return out;
}

/** One line per violation, for a terminal: `[mandatory] istio-gateway-conflict: <message>`. */
export function formatViolation(v: Violation): string {
    return `[${v.enforcementLevel}] ${v.policy}: ${v.message}`;
}

/** True when any violation is mandatory (what makes `pulumi preview` fail). */
export function hasMandatory(violations: Violation[]): boolean {
    return violations.some((v) => v.enforcementLevel === "mandatory");
}
