import { gateways, gatewayWorkloads, gatewayNamespaceConfig } from "./model";
import { GATEWAY_API_GROUP, kubeGateways } from "./gateway-api-model";
import { Finding, PolicyResource, ResourceRule, StackRule } from "./types";
import { arr, describe, isUnknown, k8sName, k8sNamespace, rec, selectorMatches, selectorString, spec, str, strMap, types } from "./util";
import { declaredIstioVersion, istioVersionConfig, versionAtLeast } from "./versions";

function jwksUris(r: PolicyResource): { path: string; uri: unknown }[] {
    const out: { path: string; uri: unknown }[] = [];
    if (types.isRequestAuthentication(r.type)) {
        arr(spec(r)["jwtRules"]).forEach((rule, i) => {
            const u = rec(rule)?.["jwksUri"];
            if (u !== undefined) {
                out.push({ path: `jwtRules[${i}].jwksUri`, uri: u });
            }
        });
    } else if (types.isLegacyAuthnPolicy(r.type)) {
        arr(spec(r)["origins"]).forEach((o, i) => {
            const u = rec(rec(o)?.["jwt"])?.["jwksUri"];
            if (u !== undefined) {
                out.push({ path: `origins[${i}].jwt.jwksUri`, uri: u });
            }
        });
    }
    return out;
}

export const jwtJwksUriHttps: ResourceRule = {
    name: "jwt-jwks-uri-https",
    description:
        "JWT key sets are fetched over https: every RequestAuthentication jwtRules[].jwksUri (and legacy Policy origins[].jwt.jwksUri) is an https:// URL, " +
        "so nobody on the path can swap the keys that decide who is authenticated.",
    enforcementLevel: "mandatory",
    source: "istio/api security/v1beta1/jwt.proto (jwksUri); the task's JWT section",
    scope: "resource",
    appliesTo: (t) => types.isRequestAuthentication(t) || types.isLegacyAuthnPolicy(t),
    check(r) {
        const out: Finding[] = [];
        for (const { path, uri } of jwksUris(r)) {
            if (isUnknown(uri)) {
                continue;
            }
            const s = typeof uri === "string" ? uri : "";
            let ok: boolean;
            try {
                ok = new URL(s).protocol === "https:";
            } catch {
                ok = false;
            }
            if (!ok) {
                out.push({
                    message: `${describe(r)}: ${path} ${JSON.stringify(s)} is not an https URL; fetch the JWKS over https (or inline it with jwks)`,
                });
            }
        }
        return out;
    },
};

/** Services in the workload's namespace whose selector picks the gateway pods. */
function gatewayServiceNames(resources: PolicyResource[], namespace: string, labels: Record<string, string>, fallback: string[]): string[] {
    const names = new Set<string>(fallback);
    for (const svc of resources.filter((r) => types.isService(r.type) && k8sNamespace(r) === namespace)) {
        if (selectorMatches(strMap(spec(svc)["selector"]), labels)) {
            names.add(k8sName(svc));
        }
    }
    return [...names];
}

/**
 * Whether a RequestAuthentication with rules reaches a workload in `namespace`: by its targetRefs (those `targets`
 * accepts), else by a selector matching the pods' `labels`, else namespace-wide or mesh-wide from the root namespace.
 */
function requestAuthenticationCovers(
    r: PolicyResource,
    namespace: string,
    labels: Record<string, string>,
    targets: (ref: Record<string, unknown>) => boolean,
    rootNamespace: string,
): boolean {
    const ns = k8sNamespace(r);
    const sp = spec(r);
    if (arr(sp["jwtRules"]).length === 0) {
        return false;
    }
    const targetRefs = [...arr(sp["targetRefs"]), ...(sp["targetRef"] ? [sp["targetRef"]] : [])].map((t) => rec(t) ?? {});
    if (targetRefs.length > 0) {
        return ns === namespace && targetRefs.some(targets);
    }
    const selector = rec(sp["selector"]);
    if (!selector) {
        return ns === namespace || ns === rootNamespace;
    }
    return ns === namespace && selectorMatches(strMap(selector["matchLabels"]), labels);
}

function coversWorkload(
    r: PolicyResource,
    namespace: string,
    labels: Record<string, string>,
    serviceNames: string[],
    rootNamespace: string,
): boolean {
    if (types.isRequestAuthentication(r.type)) {
        return requestAuthenticationCovers(r, namespace, labels, (t) => serviceNames.includes(str(t["name"]) ?? ""), rootNamespace);
    }
    const sp = spec(r);
    if (types.isLegacyAuthnPolicy(r.type)) {
        if (k8sNamespace(r) !== namespace || arr(sp["origins"]).length === 0) {
            return false;
        }
        const targets = arr(sp["targets"]).map((t) => str(rec(t)?.["name"]));
        return targets.length === 0 || targets.some((t) => !!t && serviceNames.includes(t));
    }
    return false;
}

/** The label Istio puts on the pods it deploys for a Gateway API Gateway. */
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/**
 * Whether a RequestAuthentication applies to a Gateway API Gateway's pods, which Istio deploys in the Gateway's
 * namespace: attached to the Gateway by targetRefs, selecting the pods by Istio's gateway-name label, namespace-wide,
 * or mesh-wide from the root namespace.
 */
function coversKubeGateway(r: PolicyResource, namespace: string, name: string, rootNamespace: string): boolean {
    return (
        types.isRequestAuthentication(r.type) &&
        requestAuthenticationCovers(
            r,
            namespace,
            { [GATEWAY_NAME_LABEL]: name },
            (t) => str(t["group"]) === GATEWAY_API_GROUP && str(t["kind"]) === "Gateway" && str(t["name"]) === name,
            rootNamespace,
        )
    );
}

export const gatewayEndUserAuthentication: StackRule = {
    name: "gateway-end-user-authentication",
    description:
        "Each Gateway's workload is covered by end-user (JWT) authentication: a RequestAuthentication (selector matching the gateway pods, " +
        "namespace-wide, mesh-wide in the root namespace, or targetRef to its Service) or a legacy authentication.istio.io Policy targeting its Service; " +
        "a Gateway API Gateway by a RequestAuthentication attached to it by targetRefs, selecting its pods by Istio's gateway-name label, namespace-wide or mesh-wide. " +
        "Advisory by default; set it to mandatory where every ingress must authenticate users.",
    enforcementLevel: "advisory",
    source: 'the task\'s "Configure end-user authentication on ingress gateway"; istio.io authn-policy task (ingress RequestAuthentication); istio/api security/v1 request_authentication.proto (targetRefs to a Gateway, Istio 1.22+); istio manifests kube-gateway.yaml (the gateway-name pod label)',
    scope: "stack",
    configSchema: {
        properties: {
            ...gatewayNamespaceConfig,
            rootNamespace: { type: "string", description: "Istio root namespace (mesh-wide policies).", default: "istio-system" },
            gatewayServiceNames: {
                type: "array",
                description: "Names of the gateway Service when it is not in the stack (legacy Policy targets name it).",
                items: { type: "string" },
                default: ["istio-ingressgateway"],
            },
        },
    },
    check(resources, config) {
        const out: Finding[] = [];
        const rootNs = str(config["rootNamespace"]) ?? "istio-system";
        const fallback = arr(config["gatewayServiceNames"]).filter((s): s is string => typeof s === "string");
        const authn = resources.filter((r) => types.isRequestAuthentication(r.type) || types.isLegacyAuthnPolicy(r.type));
        for (const gw of gateways(resources)) {
            for (const w of gatewayWorkloads(gw, resources, config)) {
                const svcNames = gatewayServiceNames(resources, w.namespace, w.labels, fallback);
                if (authn.some((a) => coversWorkload(a, w.namespace, w.labels, svcNames, rootNs))) {
                    continue;
                }
                out.push({
                    resource: gw,
                    message: `${describe(gw)} has no end-user authentication: no RequestAuthentication or authentication.istio.io Policy in the stack targets its workload (namespace ${JSON.stringify(w.namespace)}, labels ${selectorString(w.labels) || "<none>"})`,
                });
            }
        }
        for (const gw of kubeGateways(resources)) {
            const ns = k8sNamespace(gw);
            const name = k8sName(gw);
            if (!authn.some((a) => coversKubeGateway(a, ns, name, rootNs))) {
                out.push({
                    resource: gw,
                    message: `${describe(gw)} has no end-user authentication: no RequestAuthentication in the stack is attached to it by targetRefs, selects its pods (${GATEWAY_NAME_LABEL}=${name}) or covers namespace ${JSON.stringify(ns)}`,
                });
            }
        }
        return out;
    },
};

export const legacyAuthenticationPolicy: StackRule = {
    name: "istio-legacy-authentication-policy",
    description:
        "authentication.istio.io/v1alpha1 Policy is refused when the stack declares Istio 1.6 or later (config istioVersion, else the " +
        "secure-ingress.dev/istio-version annotation): the API was removed in 1.6; use RequestAuthentication plus AuthorizationPolicy.",
    enforcementLevel: "mandatory",
    source: 'Istio 1.6 change notes ("Removed Security alpha API"); istio.io blog 2021/migrate-alpha-policy; istio/istio#22602',
    scope: "stack",
    configSchema: { properties: { ...istioVersionConfig } },
    check(resources, config) {
        const out: Finding[] = [];
        for (const p of resources.filter((r) => types.isLegacyAuthnPolicy(r.type))) {
            const v = declaredIstioVersion(config, p, resources);
            if (v && versionAtLeast(v, 1, 6)) {
                out.push({
                    resource: p,
                    message:
                        `${describe(p)}: authentication.istio.io/v1alpha1 Policy is not served by Istio ${v.text}: the v1alpha1 authentication API was removed in Istio 1.6; ` +
                        "replace it with a security.istio.io RequestAuthentication plus an AuthorizationPolicy (unauthenticated requests then get 403, not 401)",
                });
            }
        }
        return out;
    },
};
