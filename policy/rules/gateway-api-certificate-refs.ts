import { kubeGateways, listeners } from "./gateway-api-model";
import { Finding, StackRule } from "./types";
import { arr, describe, k8sName, k8sNamespace, types } from "./util";

/**
 * Istio's conversion (pilot/pkg/config/kube/gateway/conversion.go buildSecretReference): a certificateRef to a
 * Secret that does not exist leaves the listener with "invalid certificate reference ... secret ... not found"
 * (InvalidCertificateRef), and only kind Secret in the core group is allowed.
 */
export const gatewayApiCertificateRefs: StackRule = {
    name: "gateway-api-certificate-refs",
    description:
        "Every certificateRef of a Gateway API listener names a core Secret that the stack creates (or one listed in externalSecrets); otherwise Istio leaves the listener without a certificate.",
    enforcementLevel: "mandatory",
    source: "istio/istio pilot/pkg/config/kube/gateway/conversion.go (buildTLS, buildSecretReference)",
    scope: "stack",
    configSchema: {
        properties: {
            externalSecrets: {
                type: "array",
                description: "Secrets (`<namespace>/<name>`) that exist outside this stack, e.g. written by cert-manager.",
                items: { type: "string" },
                default: [],
            },
        },
    },
    check(resources, config) {
        const out: Finding[] = [];
        const external = arr(config["externalSecrets"]).filter((x): x is string => typeof x === "string");
        const secrets = new Set(resources.filter((r) => types.isSecret(r.type)).map((s) => `${k8sNamespace(s)}/${k8sName(s)}`));
        // A cert-manager Certificate writes its spec.secretName in its own namespace.
        for (const c of resources.filter((r) => types.isCertManagerCertificate(r.type))) {
            const name = (c.props["spec"] as Record<string, unknown> | undefined)?.["secretName"];
            if (typeof name === "string") {
                secrets.add(`${k8sNamespace(c)}/${name}`);
            }
        }
        for (const gw of kubeGateways(resources)) {
            for (const l of listeners(gw)) {
                for (const ref of l.certificateRefs) {
                    const key = `${ref.namespace}/${ref.name}`;
                    if (ref.group !== "" || ref.kind !== "Secret") {
                        out.push({
                            resource: gw,
                            message: `${describe(gw)} ${ref.path}: invalid certificate reference ${ref.group || "core"}/${ref.kind} ${key}, only secret is allowed`,
                        });
                    } else if (!secrets.has(key) && !external.includes(key)) {
                        out.push({
                            resource: gw,
                            message: `${describe(gw)} ${ref.path}: invalid certificate reference, secret ${key} not found in the stack (add it, or list it in externalSecrets)`,
                        });
                    }
                }
            }
        }
        return out;
    },
};
