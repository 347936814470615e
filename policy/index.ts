/**
 * The `secure-ingress` CrossGuard policy pack: `pulumi preview --policy-pack policy`.
 * Constructing the PolicyPack reads ./package.json and starts the analyzer's gRPC server, so this file
 * only wires the rule table (./rules, tested on its own) into the pack.
 */
import { PolicyPack } from "@pulumi/policy";
import { toCrossGuardPolicy } from "./crossguard";
import { PACK_NAME, rules } from "./rules";

new PolicyPack(PACK_NAME, {
    description: "Istio's gateway validation and analyzer rules, and the secure-ingress task's warnings, at review time.",
    policies: rules.map(toCrossGuardPolicy),
});
