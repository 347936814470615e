// Checks of `target: gateway-api`: what the Gateway API (as Istio converts it) cannot express, refused with the fix.
import { gatewaySchema, SecureIngressConfig } from "./schema";
import type { SemanticProblem } from "./validate";
import { versionAtLeast } from "./version";
import { clientValidation, frontendObstacles } from "../gatewayApi/clientValidation";

const gatewayDefaults = gatewaySchema.parse({});

export function gatewayApiProblems(c: SecureIngressConfig): SemanticProblem[] {
    if (c.target !== "gateway-api") {
        return c.gatewayApi.clientValidation === undefined
            ? []
            : [
                  {
                      path: "gatewayApi.clientValidation",
                      value: c.gatewayApi.clientValidation,
                      message: "is ignored: target is istio; set target: gateway-api or remove it",
                  },
              ];
    }
    const out: SemanticProblem[] = [];
    const g = c.gateway;
    if (c.apiLevel === "istio-1.0") {
        out.push({
            path: "apiLevel",
            value: c.apiLevel,
            message: "Istio 1.0 has no Gateway API support; use apiLevel current with target gateway-api, or target istio",
        });
    } else if (!versionAtLeast(c.istioVersion, 1, 22)) {
        out.push({
            path: "istioVersion",
            value: c.istioVersion,
            message:
                "is too old for target gateway-api: the v1 Gateway API objects and JWT policies attached by targetRefs need Istio 1.22 or later; set istioVersion 1.22+",
        });
    }
    if (g.secretDelivery === "mounted") {
        out.push({
            path: "gateway.secretDelivery",
            value: g.secretDelivery,
            message:
                "file-mounted certificates do not exist in the Gateway API (listeners reference Secrets through certificateRefs); use sds",
        });
    }
    if (g.workload === "patch") {
        out.push({
            path: "gateway.workload",
            value: g.workload,
            message: `has no Deployment to patch with target gateway-api; use managed (Istio's deployment controller creates ${g.name}-${c.gatewayApi.gatewayClassName}) or none (the existing Service ${g.workloadName} in ${g.workloadNamespace}, through spec.addresses)`,
        });
    }
    // Istio deploys and labels the gateway of a Gateway API Gateway itself, and the JWT policies attach to the
    // Gateway by targetRefs: these two settings would be accepted and do nothing.
    if (g.replicas !== gatewayDefaults.replicas) {
        out.push({
            path: "gateway.replicas",
            value: g.replicas,
            message: `has no effect with target gateway-api: ${g.workload === "managed" ? `Istio's deployment controller owns ${g.name}-${c.gatewayApi.gatewayClassName}` : `the existing Service ${g.workloadName} keeps its own pods`}; remove it and scale the gateway Deployment where it is managed, or use target istio with workload managed`,
        });
    }
    if (!sameLabels(g.selector, gatewayDefaults.selector)) {
        out.push({
            path: "gateway.selector",
            value: g.selector,
            message:
                "has no effect with target gateway-api: Istio labels the gateway pods it deploys, and the JWT policies attach to the Gateway by targetRefs; remove it, or use target istio",
        });
    }
    if (g.minTlsVersion !== "TLSV1_2") {
        out.push({
            path: "gateway.minTlsVersion",
            value: g.minTlsVersion,
            message:
                "cannot be set on a Gateway API listener: Istio's conversion sets no minimum protocol version (Envoy's TLS 1.2 floor applies); use TLSV1_2 or target istio",
        });
    }
    const mode = clientValidation(c);
    if (c.gatewayApi.clientValidation === "frontend") {
        out.push(...frontendObstacles(c));
    }
    if (mode === "listener-option") {
        c.hosts.forEach((h, i) => {
            if (h.tls === "OPTIONAL_MUTUAL" && !versionAtLeast(c.istioVersion, 1, 27)) {
                out.push({
                    path: `hosts[${i}].tls`,
                    value: h.tls,
                    message: `needs Istio 1.27 or later on a Gateway API listener (tls-terminate-mode OPTIONAL_MUTUAL); istioVersion is ${c.istioVersion}: set 1.27+ or use MUTUAL`,
                });
            }
        });
    }
    return out;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
