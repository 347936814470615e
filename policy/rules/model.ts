import { PolicyResource, RuleConfig } from "./types";
import { arr, describe, isUnknown, k8sName, k8sNamespace, num, rec, selectorMatches, spec, str, strMap, types } from "./util";

// ---------------------------------------------------------------------------------------------
// Gateway servers

export interface Server {
    index: number;
    /** `port.name`, or `#<index>` when the name is missing. */
    label: string;
    portName?: string;
    portNumber?: number;
    /** Upper-cased `port.protocol`. */
    protocol: string;
    hosts: string[];
    /** The `tls` block when it is an object. */
    tls?: Record<string, unknown>;
    /** True when `tls` is set at all (an unknown counts). */
    hasTls: boolean;
    raw: Record<string, unknown>;
}

export function servers(gateway: PolicyResource): Server[] {
    return arr(spec(gateway)["servers"]).map((s, index) => {
        const raw = rec(s) ?? {};
        const port = rec(raw["port"]) ?? {};
        const portName = str(port["name"]);
        return {
            index,
            label: portName ?? `#${index}`,
            portName,
            portNumber: num(port["number"]),
            protocol: (str(port["protocol"]) ?? "").toUpperCase(),
            hosts: arr(raw["hosts"]).filter((h): h is string => typeof h === "string" && !isUnknown(h)),
            tls: rec(raw["tls"]),
            hasTls: raw["tls"] !== undefined && raw["tls"] !== null,
            raw,
        };
    });
}

/** `Gateway default/mygateway server "https-httpbin"`. */
export function serverRef(gateway: PolicyResource, s: Server): string {
    return `${describe(gateway)} server ${JSON.stringify(s.label)}`;
}

export const isTlsProtocol = (p: string) => p === "HTTPS" || p === "TLS";
export const isHttpProtocol = (p: string) => ["HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY"].includes(p);

/** TLS mode; unset is PASSTHROUGH (the proto's zero value). */
export function tlsMode(tls: Record<string, unknown> | undefined): string {
    const m = tls ? tls["mode"] : undefined;
    if (isUnknown(m)) {
        return "UNKNOWN";
    }
    return (str(m) ?? "PASSTHROUGH").toUpperCase();
}

export const terminatesTls = (mode: string) => ["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL", "ISTIO_MUTUAL"].includes(mode);
export const isMutual = (mode: string) => mode === "MUTUAL" || mode === "OPTIONAL_MUTUAL";

/** credentialName plus credentialNames, known values only. */
export function credentialNames(tls: Record<string, unknown> | undefined): string[] {
    if (!tls) {
        return [];
    }
    const out: string[] = [];
    const one = str(tls["credentialName"]);
    if (one) {
        out.push(one);
    }
    for (const n of arr(tls["credentialNames"])) {
        const s = str(n);
        if (s) {
            out.push(s);
        }
    }
    return out;
}

/** Every file path a TLS block names, with the field it came from. */
export function tlsFiles(tls: Record<string, unknown> | undefined): { field: string; path: string }[] {
    if (!tls) {
        return [];
    }
    const out: { field: string; path: string }[] = [];
    for (const field of ["serverCertificate", "privateKey", "caCertificates", "caCrl"]) {
        const p = str(tls[field]);
        if (p) {
            out.push({ field, path: p });
        }
    }
    arr(tls["tlsCertificates"]).forEach((c, i) => {
        const cr = rec(c) ?? {};
        for (const field of ["serverCertificate", "privateKey", "caCertificates"]) {
            const p = str(cr[field]);
            if (p) {
                out.push({ field: `tlsCertificates[${i}].${field}`, path: p });
            }
        }
    });
    return out;
}

// ---------------------------------------------------------------------------------------------
// Gateway workloads (the Deployment whose pods the Gateway selects)

export interface SecretMount {
    mountPath: string;
    secretName: string;
    /** `items` remapping key -> file path, when the volume lists items. */
    items?: { key: string; path: string }[];
    volumeName: string;
}

export interface Workload {
    namespace: string;
    /** The Deployment or DeploymentPatch, when in the stack. */
    resource?: PolicyResource;
    /** Pod labels (for a workload outside the stack: the Gateway's selector). */
    labels: Record<string, string>;
    /** Service accounts the gateway pods run as (empty when unknown). */
    serviceAccounts: string[];
    /** Secret volumes mounted into the pod's containers. */
    mounts: SecretMount[];
    /** Description for messages. */
    label: string;
}

/** Settings shared by the workload-aware rules (declared in each of their config schemas). */
export const gatewayNamespaceConfig = {
    gatewayNamespace: {
        type: "string" as const,
        description: "Namespace of the gateway workload when no Deployment in the stack matches a Gateway's selector.",
        default: "istio-system",
    },
};

export const workloadConfigSchema = {
    ...gatewayNamespaceConfig,
    defaultSecretMounts: {
        type: "array" as const,
        description:
            "Secret volumes assumed on a gateway workload that is not (or only partly, via DeploymentPatch) in the stack: " +
            "the legacy istio-ingress chart mounts istio-ingressgateway-certs and istio-ingressgateway-ca-certs by default. " +
            'Items are "<mountPath>=<secretName>".',
        items: { type: "string" as const },
        default: [
            "/etc/istio/ingressgateway-certs=istio-ingressgateway-certs",
            "/etc/istio/ingressgateway-ca-certs=istio-ingressgateway-ca-certs",
        ],
    },
};

function defaultMounts(config: RuleConfig): SecretMount[] {
    return arr(config["defaultSecretMounts"])
        .filter((s): s is string => typeof s === "string" && s.includes("="))
        .map((s) => {
            const [mountPath, secretName] = s.split("=", 2);
            return { mountPath, secretName, volumeName: `(default) ${secretName}` };
        });
}

function podTemplate(r: PolicyResource): { labels: Record<string, string>; podSpec: Record<string, unknown> } {
    const template = rec(spec(r)["template"]) ?? {};
    return {
        labels: strMap(rec(template["metadata"])?.["labels"]),
        podSpec: rec(template["spec"]) ?? {},
    };
}

function mountsOf(podSpec: Record<string, unknown>): SecretMount[] {
    const volumes = new Map<string, { secretName: string; items?: { key: string; path: string }[] }>();
    for (const v of arr(podSpec["volumes"])) {
        const vr = rec(v) ?? {};
        const secret = rec(vr["secret"]);
        const name = str(vr["name"]);
        const secretName = secret ? str(secret["secretName"]) : undefined;
        if (name && secretName) {
            const items = arr(secret?.["items"])
                .map((i) => rec(i) ?? {})
                .map((i) => ({ key: str(i["key"]) ?? "", path: str(i["path"]) ?? "" }))
                .filter((i) => i.key && i.path);
            volumes.set(name, { secretName, items: items.length ? items : undefined });
        }
    }
    const out: SecretMount[] = [];
    for (const c of [...arr(podSpec["containers"]), ...arr(podSpec["initContainers"])]) {
        for (const m of arr(rec(c)?.["volumeMounts"])) {
            const mr = rec(m) ?? {};
            const name = str(mr["name"]);
            const mountPath = str(mr["mountPath"]);
            const vol = name ? volumes.get(name) : undefined;
            if (name && mountPath && vol) {
                out.push({ mountPath, secretName: vol.secretName, items: vol.items, volumeName: name });
            }
        }
    }
    return out;
}

function serviceAccountOf(podSpec: Record<string, unknown>): string | undefined {
    return str(podSpec["serviceAccountName"]) ?? str(podSpec["serviceAccount"]);
}

/**
 * The workloads a Gateway's selector picks, like Istio's SecretAnalyzer (which looks at pods):
 * 1. every Deployment / DeploymentPatch in the stack whose pod-template labels carry the selector;
 * 2. else a DeploymentPatch without pod labels in `gatewayNamespace` (a patch of an existing gateway
 *    Deployment, e.g. adding the task's secretVolumes): its volumes plus the chart's default mounts;
 * 3. else a workload outside the stack in `gatewayNamespace`, with the chart's default mounts.
 */
export function gatewayWorkloads(gateway: PolicyResource, resources: PolicyResource[], config: RuleConfig): Workload[] {
    const selector = strMap(spec(gateway)["selector"]);
    const defaultNs = str(config["gatewayNamespace"]) ?? "istio-system";
    const deployments = resources.filter((r) => types.isDeployment(r.type) || types.isDeploymentPatch(r.type));
    const matched: Workload[] = [];
    for (const d of deployments) {
        const { labels, podSpec } = podTemplate(d);
        if (selectorMatches(selector, labels)) {
            const patch = types.isDeploymentPatch(d.type);
            const sa = serviceAccountOf(podSpec);
            matched.push({
                namespace: k8sNamespace(d),
                resource: d,
                labels,
                serviceAccounts: sa ? [sa] : patch ? [] : ["default"],
                mounts: patch ? [...mountsOf(podSpec), ...defaultMounts(config)] : mountsOf(podSpec),
                label: describe(d),
            });
        }
    }
    if (matched.length > 0) {
        return matched;
    }
    const patches = deployments.filter(
        (d) => types.isDeploymentPatch(d.type) && Object.keys(podTemplate(d).labels).length === 0 && k8sNamespace(d) === defaultNs,
    );
    if (patches.length > 0) {
        return patches.map((d) => {
            const { podSpec } = podTemplate(d);
            const sa = serviceAccountOf(podSpec);
            return {
                namespace: defaultNs,
                resource: d,
                labels: selector,
                serviceAccounts: sa ? [sa] : [],
                mounts: [...mountsOf(podSpec), ...defaultMounts(config)],
                label: describe(d),
            };
        });
    }
    return [
        {
            namespace: defaultNs,
            labels: selector,
            serviceAccounts: [],
            mounts: defaultMounts(config),
            label: `the gateway workload in namespace ${JSON.stringify(defaultNs)} (not in the stack)`,
        },
    ];
}

// ---------------------------------------------------------------------------------------------
// Secrets

export interface SecretInfo {
    resource: PolicyResource;
    name: string;
    namespace: string;
    /** Data keys (from `data` and `stringData`); undefined when the data is unknown. */
    keys?: Set<string>;
    /** Set when a cert-manager Certificate writes this Secret (its ca.crt is the server's issuer, not a client CA). */
    certificate?: PolicyResource;
}

/** The keys cert-manager writes into a Certificate's Secret (ca.crt only when the issuer knows its CA). */
export const certManagerSecretKeys = ["tls.crt", "tls.key", "ca.crt"];

/** Secrets of the stack: declared ones, and those its cert-manager Certificates will write (`spec.secretName`). */
export function secrets(resources: PolicyResource[]): SecretInfo[] {
    const issued: SecretInfo[] = resources
        .filter((r) => types.isCertManagerCertificate(r.type))
        .flatMap((r) => {
            const name = str(spec(r)["secretName"]);
            return name ? [{ resource: r, name, namespace: k8sNamespace(r), keys: new Set(certManagerSecretKeys), certificate: r }] : [];
        });
    return resources
        .filter((r) => types.isSecret(r.type))
        .map((r) => {
            let keys: Set<string> | undefined = new Set<string>();
            for (const field of ["data", "stringData"]) {
                const v = r.props[field];
                if (isUnknown(v)) {
                    keys = undefined;
                    break;
                }
                for (const k of Object.keys(rec(v) ?? {})) {
                    keys.add(k);
                }
            }
            return { resource: r, name: k8sName(r), namespace: k8sNamespace(r), keys } as SecretInfo;
        })
        .concat(issued);
}

export function findSecret(all: SecretInfo[], namespace: string, name: string): SecretInfo | undefined {
    return all.find((s) => s.namespace === namespace && s.name === name);
}

export function gateways(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => types.isGateway(r.type));
}
