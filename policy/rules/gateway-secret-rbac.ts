import { gateways, gatewayWorkloads, gatewayNamespaceConfig } from "./model";
import { Finding, PolicyResource, StackRule } from "./types";
import { arr, describe, k8sName, k8sNamespace, rec, str, types } from "./util";

const READ_VERBS = ["get", "list", "watch", "*"];

/** The read verbs a Role/ClusterRole grants on secrets (with or without resourceNames). */
function secretReadVerbs(role: PolicyResource): string[] {
    const verbs = new Set<string>();
    for (const rule of arr(role.props["rules"])) {
        const r = rec(rule) ?? {};
        const groups = arr(r["apiGroups"]).map((g) => str(g) ?? (g === "" ? "" : undefined));
        const resources = arr(r["resources"]).map((x) => str(x));
        const vs = arr(r["verbs"]).map((x) => str(x));
        if (!groups.some((g) => g === "" || g === "*")) {
            continue;
        }
        if (!resources.some((x) => x === "secrets" || x === "*")) {
            continue;
        }
        for (const v of vs) {
            if (v && READ_VERBS.includes(v)) {
                verbs.add(v);
            }
        }
    }
    return [...verbs];
}

/**
 * The task: "by default all the service accounts in the istio-system namespace can access this
 * secret, so the private key can be leaked. You can change the Role-Based Access Control (RBAC)
 * rules to protect it." Any binding that lets something other than the gateway's own service account
 * read secrets in the gateway workload's namespace is refused, whether the Role names the secrets
 * (resourceNames) or not.
 */
export const gatewaySecretRbac: StackRule = {
    name: "gateway-secret-rbac",
    description:
        "Roles that grant get/list/watch on secrets in a gateway workload's namespace (with or without resourceNames) are bound only to " +
        "the gateway's service account; no other ServiceAccount, User or Group may read the gateway's keys.",
    enforcementLevel: "mandatory",
    source: "the task's RBAC warning; istio.io setup/additional-setup/gateway (Role get/watch/list on secrets)",
    scope: "stack",
    configSchema: {
        properties: {
            ...gatewayNamespaceConfig,
            gatewayServiceAccounts: {
                type: "array",
                description:
                    "Service accounts (names in the workload namespace) allowed to read gateway secrets when the gateway Deployment is not in " +
                    "the stack: the legacy chart's istio-ingressgateway-service-account and the istio/gateway chart's istio-ingressgateway.",
                items: { type: "string" },
                default: ["istio-ingressgateway-service-account", "istio-ingressgateway"],
            },
        },
    },
    check(resources, config) {
        const out: Finding[] = [];
        // Namespace -> service accounts allowed to read secrets there.
        const allowed = new Map<string, Set<string>>();
        const fallback = arr(config["gatewayServiceAccounts"]).filter((s): s is string => typeof s === "string");
        for (const gw of gateways(resources)) {
            for (const w of gatewayWorkloads(gw, resources, config)) {
                const set = allowed.get(w.namespace) ?? new Set<string>();
                for (const sa of w.serviceAccounts.length ? w.serviceAccounts : fallback) {
                    set.add(sa);
                }
                allowed.set(w.namespace, set);
            }
        }
        if (allowed.size === 0) {
            return out;
        }
        const roles = resources.filter((r) => types.isRole(r.type));
        const clusterRoles = resources.filter((r) => types.isClusterRole(r.type));
        const check = (binding: PolicyResource, namespaces: string[]) => {
            const ref = rec(binding.props["roleRef"]) ?? {};
            const kind = str(ref["kind"]);
            const name = str(ref["name"]);
            const bindingNs = k8sNamespace(binding);
            const role =
                kind === "Role"
                    ? roles.find((r) => k8sName(r) === name && k8sNamespace(r) === bindingNs)
                    : kind === "ClusterRole"
                      ? clusterRoles.find((r) => k8sName(r) === name)
                      : undefined;
            if (!role) {
                return;
            }
            const verbs = secretReadVerbs(role);
            if (verbs.length === 0) {
                return;
            }
            for (const ns of namespaces) {
                const ok = allowed.get(ns);
                if (!ok) {
                    continue;
                }
                for (const subject of arr(binding.props["subjects"])) {
                    const s = rec(subject) ?? {};
                    const skind = str(s["kind"]);
                    const sname = str(s["name"]);
                    if (!skind || !sname) {
                        continue;
                    }
                    const sns = str(s["namespace"]) ?? bindingNs;
                    if (skind === "ServiceAccount" && sns === ns && ok.has(sname)) {
                        continue;
                    }
                    const who = skind === "ServiceAccount" ? `ServiceAccount ${sns}/${sname}` : `${skind} ${JSON.stringify(sname)}`;
                    out.push({
                        resource: binding,
                        message: `${describe(binding)} grants ${kind} ${JSON.stringify(name)} (${verbs.join("/")} on secrets in namespace ${JSON.stringify(ns)}, where the gateway's keys live) to ${who}; only the gateway's service account (${[...ok].join(", ")}) may read them`,
                    });
                }
            }
        };
        for (const b of resources.filter((r) => types.isRoleBinding(r.type))) {
            check(b, [k8sNamespace(b)]);
        }
        for (const b of resources.filter((r) => types.isClusterRoleBinding(r.type))) {
            check(b, [...allowed.keys()]);
        }
        return out;
    },
};
