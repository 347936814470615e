/**
 * Plain-data types shared by every rule. Nothing here imports `@pulumi/policy` at runtime, so the
 * rules can run inside the CrossGuard pack, under Pulumi mocks, or in any offline checker.
 */

/** One resource as registered by the program: the same four fields CrossGuard hands to a policy. */
export interface PolicyResource {
    /** Pulumi type token, e.g. `kubernetes:networking.istio.io/v1:Gateway`, `tls:index/privateKey:PrivateKey`. */
    type: string;
    /** The Pulumi resource name (not the Kubernetes `metadata.name`). */
    name: string;
    /** The resource URN, when known (always known inside CrossGuard; optional offline). */
    urn?: string;
    /** Resource properties: inputs for per-resource rules, outputs for stack rules (same shape for Kubernetes). */
    props: Record<string, unknown>;
}

/** The two levels a rule may carry by default. */
export type DefaultEnforcementLevel = "advisory" | "mandatory";

/** What a pack config may set for a policy (CrossGuard's own values). */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One violation, as reported by `runPolicies` and by the CrossGuard pack. */
export interface Violation {
    policy: string;
    enforcementLevel: DefaultEnforcementLevel;
    urn?: string;
    message: string;
}

/** What a rule function returns: the message, and for stack rules the resource it is about. */
export interface Finding {
    message: string;
    /** The resource the finding is about (stack rules); per-resource rules get the checked resource. */
    resource?: PolicyResource;
}

/** A JSON-schema subset, the same one CrossGuard accepts in `configSchema.properties`. */
export interface ConfigProperty {
    type: "string" | "number" | "integer" | "boolean" | "array" | "object";
    description: string;
    default?: unknown;
    enum?: (string | number)[];
    minimum?: number;
    items?: { type: "string" | "number" | "integer" | "boolean" | "object" };
}

export interface ConfigSchema {
    properties: Record<string, ConfigProperty>;
}

interface RuleBase {
    /** Stable kebab-case name, also the key in a pack config file. */
    name: string;
    description: string;
    enforcementLevel: DefaultEnforcementLevel;
    /** Where the rule comes from (Istio analyzer code, validation.go, the task, ...). */
    source: string;
    configSchema?: ConfigSchema;
}

/** A rule that looks at one resource at a time (CrossGuard `validateResource`). */
export interface ResourceRule extends RuleBase {
    scope: "resource";
    /** Resource types the rule looks at. */
    appliesTo(type: string): boolean;
    check(resource: PolicyResource, config: RuleConfig): Finding[];
}

/** A rule that needs several resources (CrossGuard `validateStack`). */
export interface StackRule extends RuleBase {
    scope: "stack";
    check(resources: PolicyResource[], config: RuleConfig): Finding[];
}

export type Rule = ResourceRule | StackRule;

/** A rule's effective config: schema defaults overlaid with the user's values. */
export type RuleConfig = Record<string, unknown>;

/**
 * Pack config, in the exact shape of a `pulumi preview --policy-pack-config <file>` JSON file, so one
 * file serves both the CrossGuard pack and the offline checker:
 * `{"all": "mandatory", "istio-gateway-min-tls-version": {"minimumVersion": "TLSV1_3"}, "gateway-end-user-authentication": "mandatory"}`.
 */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;
