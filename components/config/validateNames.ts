// Every object, volume and port name the stack derives, built by the same pure spec builders the component
// registers, checked for the form its kind requires and for uniqueness, naming the two inputs that collide.
import { SecureIngressConfig } from "./schema";
import type { SemanticProblem } from "./validate";
import type { IngressConfig } from "./checkArgs";
import {
    dns1035LabelProblem,
    dns1123LabelProblem,
    dns1123SubdomainProblem,
    labelKeyProblem,
    labelValueProblem,
    secretKeyProblem,
} from "./k8sNames";
import { secretPlans, SecretMaterial } from "../secrets/specs";
import { gatewayObject } from "../gateway/spec";
import { virtualServiceObject } from "../routes/spec";
import { jwtObjects } from "../jwt/specs";
import { backendObjects } from "../backends/specs";
import { deploymentPatch, gatewayService, managedDeployment, secretReaderRbac, serviceAccount } from "../workload/specs";
import { caIssuerObjects, caIssuerPlans, certificateObjects } from "../certManager/spec";
import { logicalName, servicePortNames } from "../naming";

/** One derived name and the input that chose it. */
interface Derived {
    kind: string;
    namespace?: string;
    name: string;
    /** Pulumi's name for the registered resource. */
    urn: string;
    /** The config key that chose the name, and its value as written. */
    path: string;
    value: unknown;
    /** What the object is, for messages. */
    what: string;
    /** A name the user did not choose (checked first, so the chosen one is blamed). */
    fixed?: boolean;
}

type Meta = { kind: string; metadata: { name: string; namespace?: string } };

function derived(obj: Meta, path: string, value: unknown, what: string, fixed = false, urnSuffix = ""): Derived {
    const { name, namespace } = obj.metadata;
    return { kind: obj.kind, name, namespace, urn: logicalName(obj, urnSuffix), path, value, what, fixed };
}

const placeholder: SecretMaterial = { serverChainPem: "", serverKeyPem: "", caChainPem: "" };
/** cert-manager writes the serving Secret of its hosts; the stack registers only their client CA. */
const issuedPlaceholder: SecretMaterial = { caChainPem: "" };

/** The objects the component would register for this config, each traced to the key that named it. */
function inventory(c: SecureIngressConfig): Derived[] {
    const a: IngressConfig = { ...c, skipAwait: c.kubernetes.skipAwait };
    const g = c.gateway;
    const hostIndex = new Map(c.hosts.map((h, i) => [h.name, i]));
    const out: Derived[] = [];
    const material = new Map(c.hosts.map((h) => [h.name, h.certificate === "cert-manager" ? issuedPlaceholder : placeholder]));
    const plans = secretPlans(a, material);
    for (const p of plans) {
        const i = hostIndex.get(p.hosts[0]) ?? 0;
        if (!p.object) {
            continue;
        }
        // A serving Secret holds tls.crt; the others hold a client CA: the task's shared one (mounted) or `-cacert`.
        if ("tls.crt" in p.object.stringData) {
            out.push(
                derived(
                    p.object,
                    `hosts[${i}].name`,
                    p.hosts[0],
                    `the TLS Secret of hosts[${i}]`,
                    i === 0 && g.secretDelivery === "mounted",
                ),
            );
        } else if (g.secretDelivery === "mounted") {
            out.push(derived(p.object, `hosts[${i}].tls`, c.hosts[i]?.tls, "the CA chain Secret of the mutual-TLS hosts", true));
        } else {
            out.push(derived(p.object, `hosts[${i}].name`, c.hosts[i].name, `the client CA Secret of hosts[${i}]`));
        }
    }
    const workload = (o: Meta, what: string) => derived(o, "gateway.workloadName", g.workloadName, what);
    if (g.workload === "managed") {
        const rbac = secretReaderRbac(a, []);
        out.push(workload(serviceAccount(a), "the gateway's ServiceAccount"));
        out.push(workload(rbac.role, "the gateway's secret-reader Role"));
        out.push(workload(rbac.roleBinding, "the gateway's secret-reader RoleBinding"));
        out.push(workload(managedDeployment(a, []), "the managed gateway Deployment"));
        out.push(workload(gatewayService(a), "the managed gateway Service"));
    } else if (g.workload === "patch" && plans.some((p) => p.mount)) {
        out.push({ ...workload(deploymentPatch(a, []), "the patched gateway Deployment"), urn: "" });
    }
    out.push(derived(gatewayObject(a), "gateway.name", g.name, "the Gateway"));
    c.hosts.forEach((h, i) =>
        out.push(derived(virtualServiceObject(a, h), `hosts[${i}].name`, h.name, `the VirtualService of hosts[${i}]`)),
    );
    for (const o of jwtObjects(a, { jwks: "{}" })) {
        out.push(derived(o, "gateway.name", g.name, `the JWT ${o.kind}`, o.kind === "Policy"));
    }
    for (const [name, o] of Object.entries(backendObjects(c.backends, c.kubernetes.skipAwait))) {
        const path = `backends.${name}`;
        out.push(derived(o.deployment, path, true, `the sample ${name} Deployment`, true));
        out.push(derived(o.service, path, true, `the sample ${name} Service`, true));
    }
    for (const cert of certificateObjects(a)) {
        const i = c.hosts.findIndex((h) => h.host === cert.spec.dnsNames[0]);
        out.push(derived(cert, `hosts[${i}].name`, c.hosts[i]?.name, `the cert-manager Certificate of hosts[${i}]`));
    }
    for (const plan of caIssuerPlans(c)) {
        const i = plan.host ? c.hosts.indexOf(plan.host) : -1;
        const path = i >= 0 ? `hosts[${i}].name` : "pki.caMode";
        const value = i >= 0 ? c.hosts[i].name : c.pki.caMode;
        for (const o of caIssuerObjects(c, plan, { intermediateCertPem: "", intermediateKeyPem: "", rootCertPem: "" })) {
            out.push(derived(o, path, value, `the cert-manager CA ${o.kind === "Issuer" ? "Issuer" : "key-pair Secret"}`, i < 0));
        }
    }
    return out;
}

const objectId = (d: Derived) => `${d.kind} ${d.namespace ? `${d.namespace}/` : ""}${d.name}`;

/** The form each kind's name must have (ValidateObjectMeta with the kind's name validator). */
function nameFormProblem(d: Derived): string | undefined {
    return d.kind === "Service" ? dns1035LabelProblem(d.name) : dns1123SubdomainProblem(d.name);
}

/** Items sharing a key with an earlier one, one problem per pair of inputs (every object they share listed). */
function uniqueness(items: Derived[], key: (d: Derived) => string, say: (later: Derived[], first: Derived[]) => string): SemanticProblem[] {
    const seen = new Map<string, Derived>();
    const pairs = new Map<string, { later: Derived[]; first: Derived[] }>();
    const ordered = [...items.filter((d) => d.fixed), ...items.filter((d) => !d.fixed)];
    for (const d of ordered) {
        const k = key(d);
        const first = k === "" ? undefined : seen.get(k);
        if (first) {
            const pair = `${d.path}|${first.path}`;
            const group = pairs.get(pair) ?? { later: [], first: [] };
            group.later.push(d);
            group.first.push(first);
            pairs.set(pair, group);
        } else if (k !== "") {
            seen.set(k, d);
        }
    }
    return [...pairs.values()].map((g) => ({ path: g.later[0].path, value: g.later[0].value, message: say(g.later, g.first) }));
}

const whats = (ds: Derived[]) => ds.map((d) => d.what).join(", ");
const source = (ds: Derived[]) => `${whats(ds)} (${ds[0].path}${ds[0].value === undefined ? "" : ` ${JSON.stringify(ds[0].value)}`})`;

const fixFor = (d: Derived) =>
    d.path === "gateway.workloadName"
        ? "give gateway.workloadName another name, or put the sample backends in another backends.namespace"
        : `give ${d.path.replace(/\.tls$/, ".name")} another value`;

export function nameProblems(c: SecureIngressConfig): SemanticProblem[] {
    let items: Derived[];
    try {
        items = inventory(c);
    } catch {
        // A config the builders cannot take has problems of its own, reported by the other checks.
        return [];
    }
    const out: SemanticProblem[] = [];
    const reported = new Set<string>();
    for (const d of items) {
        const problem = nameFormProblem(d);
        if (problem && !reported.has(d.path)) {
            reported.add(d.path);
            out.push({
                path: d.path,
                value: d.value,
                message: `derives the name of ${d.what}, ${objectId(d)}, which ${problem}; give ${d.path} a value of that form`,
            });
        }
    }
    out.push(
        ...uniqueness(
            items,
            (d) => `${d.kind}/${d.namespace ?? ""}/${d.name}`,
            (later, first) =>
                `derives ${later.map(objectId).join(", ")} for ${whats(later)}, the same as ${source(first)}; ${fixFor(later[0])}`,
        ),
    );
    // Different objects can still join to the same Pulumi name (namespace "a-b" + name "c" = namespace "a" + name "b-c").
    const distinct = items.filter((d, i) => items.findIndex((e) => objectId(e) === objectId(d)) === i);
    out.push(
        ...uniqueness(
            distinct,
            (d) => d.urn,
            (later, first) =>
                `gives ${whats(later)} the Pulumi resource name${later.length > 1 ? "s" : ""} ${later.map((d) => d.urn).join(", ")}, which ${source(first)} also get${first.length > 1 ? "" : "s"}; Pulumi names must be unique in a stack; ${fixFor(later[0])}`,
        ),
    );
    out.push(...volumeProblems(c), ...portProblems(c), ...labelProblems(c));
    return out;
}

/** Mounted secrets become pod volumes: DNS-1123 labels, unique in the pod. */
function volumeProblems(c: SecureIngressConfig): SemanticProblem[] {
    if (c.gateway.secretDelivery !== "mounted") {
        return [];
    }
    const a: IngressConfig = { ...c, skipAwait: c.kubernetes.skipAwait };
    const out: SemanticProblem[] = [];
    const seen = new Map<string, string>();
    const secretOfVolume = new Map<string, string>();
    const plans = secretPlans(a, new Map(c.hosts.map((h) => [h.name, placeholder])));
    for (const p of plans) {
        const i = c.hosts.findIndex((h) => h.name === p.hosts[0]);
        const path = `hosts[${i}].name`;
        const volume = p.mount?.volumeName ?? "";
        const problem = dns1123LabelProblem(volume);
        if (problem) {
            const room = 63 - (volume.length - p.hosts[0].length);
            out.push({
                path,
                value: p.hosts[0],
                message: `derives the gateway pod's volume name ${volume}, which ${problem}; shorten hosts[${i}].name to at most ${room} characters, or use secretDelivery sds (no volumes)`,
            });
        }
        const first = seen.get(volume);
        // The same Secret twice is reported as an object collision already.
        if (first !== undefined && !problem && secretOfVolume.get(volume) !== p.name) {
            out.push({
                path,
                value: p.hosts[0],
                message: `derives the volume name ${volume}, which ${first} also has; give hosts[${i}].name another value`,
            });
        }
        seen.set(volume, `the volume of Secret ${p.name}`);
        secretOfVolume.set(volume, p.name);
        for (const key of Object.keys(p.object?.stringData ?? {})) {
            const kp = secretKeyProblem(key);
            if (kp) {
                out.push({ path, value: p.hosts[0], message: `derives the Secret key ${key}, which ${kp}` });
            }
        }
    }
    return out;
}

/** Gateway server port names are unique in the Gateway; the managed Service lists both ports, even with HTTP off. */
function portProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const g = c.gateway;
    const servers = gatewayObject(c).spec.servers ?? [];
    const seen = new Set<string>();
    // One server per host in host order, then the plain-HTTP one.
    servers.forEach((s, i) => {
        const name = String(s.port?.name ?? "");
        if (seen.has(name)) {
            const path = i < c.hosts.length ? `hosts[${i}].name` : "gateway.http.enabled";
            out.push({
                path,
                value: name,
                message: `derives the Gateway port name ${name} a second time; port names must be unique in a Gateway`,
            });
        }
        seen.add(name);
    });
    if (g.workload === "managed" && !g.http.enabled && g.http.port === g.httpsPort) {
        out.push({
            path: "gateway.httpsPort",
            value: g.httpsPort,
            message: `equals gateway.http.port (${g.http.port}, the managed Service's ${servicePortNames.http} port, listed even with HTTP off); the API server refuses a Service with a duplicate port; set gateway.http.port to another port`,
        });
    }
    return out;
}

/** The selector becomes labels and label selectors of the Gateway, the Deployment and the Service. */
function labelProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const g = c.gateway;
    for (const [key, value] of Object.entries(g.selector)) {
        const path = `gateway.selector.${key}`;
        const kp = labelKeyProblem(key);
        if (kp) {
            out.push({
                path,
                value: key,
                message: `is not a label key: it ${kp} (Kubernetes IsQualifiedName); use e.g. istio or app.kubernetes.io/name`,
            });
        }
        const vp = labelValueProblem(value);
        if (vp) {
            out.push({ path, value, message: `${vp} (Kubernetes IsValidLabelValue); use e.g. ingressgateway` });
        }
    }
    if (g.workload === "managed") {
        // The pod template's own labels win over the selector's, so a different value leaves the Deployment's
        // selector matching nothing, which the API server refuses.
        const template = { app: g.workloadName, "sidecar.istio.io/inject": "true" };
        for (const [key, want] of Object.entries(template)) {
            if (Object.hasOwn(g.selector, key) && g.selector[key] !== want) {
                out.push({
                    path: `gateway.selector.${key}`,
                    value: g.selector[key],
                    message: `differs from the managed pods' own ${key} label (${JSON.stringify(want)}), so the Deployment's selector would not match its pods; remove it from the selector or set it to ${JSON.stringify(want)}`,
                });
            }
        }
    }
    return out;
}
