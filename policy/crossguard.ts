/**
 * Adapters from the plain rules to CrossGuard policies. Only types are imported from
 * `@pulumi/policy`, so this module can be loaded (and tested) without starting the pack's gRPC server.
 */
import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { plainResources, PolicyResource, Rule, ruleConfig, runRule } from "./rules";

function schemaOf(rule: Rule): PolicyConfigSchema | undefined {
    if (!rule.configSchema) {
        return undefined;
    }
    const properties: PolicyConfigSchema["properties"] = {};
    for (const [k, p] of Object.entries(rule.configSchema.properties)) {
        properties[k] = { ...p } as PolicyConfigSchema["properties"][string];
    }
    return { properties };
}

function asResource(r: { type: string; name: string; urn: string; props: Record<string, unknown> }): PolicyResource {
    return { type: r.type, name: r.name, urn: r.urn, props: r.props };
}

/** One CrossGuard policy per rule: `validateResource` for resource rules, `validateStack` for stack rules. */
export function toCrossGuardPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const base = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        configSchema: schemaOf(rule),
    };
    if (rule.scope === "resource") {
        return {
            ...base,
            validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
                if (!rule.appliesTo(args.type)) {
                    return;
                }
                const [plain] = plainResources([asResource(args)]);
                for (const f of runRule(rule, [plain], ruleConfig(rule, args.getConfig<Record<string, unknown>>()))) {
                    report(f.message);
                }
            },
        };
    }
    return {
        ...base,
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const plain = plainResources(args.resources.map(asResource));
            for (const f of runRule(rule, plain, ruleConfig(rule, args.getConfig<Record<string, unknown>>()))) {
                report(f.message, f.urn);
            }
        },
    };
}
