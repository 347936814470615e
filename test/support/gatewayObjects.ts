// Reads the Kubernetes objects the program produced the way the gateway would: the Gateway's servers, the
// certificate material behind each server (file paths resolved through the gateway Deployment's secret volumes,
// or credentialName Secrets in the workload's namespace), the VirtualServices bound to the Gateway, the
// Services they route to, and the JWT policies that select the gateway. Nothing here reads the config or
// calls the program's own helpers: only the objects count.
import { k8sObjects, StackRun } from "./harness";
import { gatewayApiView } from "./gatewayApiObjects";

type Obj = Record<string, any>;

export interface ServerTls {
    mode: string;
    /** PEM of what the server presents (leaf first). */
    certChainPem: string;
    keyPem: string;
    /** PEM bundle that verifies client certificates (MUTUAL / OPTIONAL_MUTUAL). */
    caPem?: string;
    minProtocolVersion?: string;
    maxProtocolVersion?: string;
    /** Where the material came from, for messages: e.g. `istio-system/istio-ingressgateway-certs[tls.crt]`. */
    source: string;
}

export interface GatewayServer {
    portName: string;
    port: number;
    protocol: string;
    /** dnsName part of each `[namespace/]dnsName` host. */
    hosts: string[];
    tls?: ServerTls;
    httpsRedirect?: boolean;
}

export interface HttpRoute {
    match: Obj[];
    destination: { host: string; port?: number };
}

export interface BoundVirtualService {
    name: string;
    namespace: string;
    hosts: string[];
    http: HttpRoute[];
}

export interface GatewayView {
    name: string;
    namespace: string;
    /** Namespace of the gateway Deployment (where credentialName Secrets and gateway policies live). */
    workloadNamespace: string;
    /** Labels of the gateway pods. */
    podLabels: Record<string, string>;
    servers: GatewayServer[];
    virtualServices: BoundVirtualService[];
    /** Service port name -> the container (gateway) port it targets, from the Service that selects the gateway pods. */
    servicePorts: Map<string, number>;
    /** Every Service object, for resolving route destinations. */
    services: Obj[];
    requestAuthentications: Obj[];
    authorizationPolicies: Obj[];
    /** Kinds of other authentication objects that select the gateway (the listener does not emulate them). */
    otherAuthKinds: string[];
}

export function objectsOf(run: StackRun): Obj[] {
    return k8sObjects(run).map((r) => r.inputs);
}

export function nsOf(o: Obj): string {
    return o.metadata?.namespace ?? "default";
}

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
    return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** A Secret's value for a key, from stringData or base64 data. */
export function secretValue(secret: Obj, key: string): string | undefined {
    if (secret.stringData?.[key] !== undefined) {
        return String(secret.stringData[key]);
    }
    if (secret.data?.[key] !== undefined) {
        return Buffer.from(String(secret.data[key]), "base64").toString("utf8");
    }
    return undefined;
}

function findSecret(objects: Obj[], namespace: string, name: string): Obj | undefined {
    return objects.find((o) => o.kind === "Secret" && o.metadata?.name === name && nsOf(o) === namespace);
}

/** Strips a `namespace/` prefix from a Gateway or VirtualService host. */
function dnsPart(host: string): string {
    const i = host.indexOf("/");
    return i >= 0 ? host.slice(i + 1) : host;
}

/** The mounted file at `path` inside the gateway pod: which Secret and key it is, and its content. */
function mountedFile(objects: Obj[], deployment: Obj, path: string): { content: string; source: string } {
    const pod = deployment.spec?.template?.spec ?? {};
    let best: { mountPath: string; volume: string } | undefined;
    for (const c of pod.containers ?? []) {
        for (const m of c.volumeMounts ?? []) {
            const prefix = String(m.mountPath).replace(/\/+$/, "") + "/";
            if (path.startsWith(prefix) && (!best || prefix.length > best.mountPath.length)) {
                best = { mountPath: prefix, volume: m.name };
            }
        }
    }
    if (!best) {
        throw new Error(`no volume of the gateway Deployment is mounted above ${path}`);
    }
    const volume = (pod.volumes ?? []).find((v: Obj) => v.name === best!.volume);
    if (!volume?.secret?.secretName) {
        throw new Error(`volume ${best.volume} (mounted for ${path}) is not a secret volume`);
    }
    const fileName = path.slice(best.mountPath.length);
    const item = (volume.secret.items ?? []).find((i: Obj) => i.path === fileName);
    if (volume.secret.items && !item) {
        throw new Error(`secret volume ${best.volume} projects no file ${fileName}`);
    }
    const key = item?.key ?? fileName;
    const ns = nsOf(deployment);
    const secret = findSecret(objects, ns, volume.secret.secretName);
    if (!secret) {
        throw new Error(`secret ${ns}/${volume.secret.secretName} (volume ${best.volume}, for ${path}) does not exist`);
    }
    const content = secretValue(secret, key);
    if (content === undefined) {
        throw new Error(`secret ${ns}/${volume.secret.secretName} has no key ${key} (for ${path})`);
    }
    return { content, source: `${ns}/${volume.secret.secretName}[${key}]` };
}

/** credentialName: a TLS secret (tls.crt/tls.key/ca.crt) or a generic one (cert/key/cacert); `<name>-cacert` wins. */
export function credential(objects: Obj[], namespace: string, name: string, needCa: boolean): Omit<ServerTls, "mode"> {
    const secret = findSecret(objects, namespace, name);
    if (!secret) {
        throw new Error(`credentialName ${name}: no Secret ${namespace}/${name}`);
    }
    const cert = secretValue(secret, "tls.crt") ?? secretValue(secret, "cert");
    const key = secretValue(secret, "tls.key") ?? secretValue(secret, "key");
    if (!cert || !key) {
        throw new Error(`credentialName ${name}: Secret has no tls.crt/tls.key (or cert/key)`);
    }
    // Istio reads `<name>-cacert` first and the credential's own ca.crt only without it (pilot/pkg/credentials/kube).
    const separate = findSecret(objects, namespace, `${name}-cacert`);
    const ca = separate
        ? (secretValue(separate, "cacert") ?? secretValue(separate, "ca.crt"))
        : (secretValue(secret, "ca.crt") ?? secretValue(secret, "cacert"));
    if (needCa && !ca) {
        throw new Error(`credentialName ${name}: mutual TLS needs ca.crt (or cacert) and the Secret has none`);
    }
    return { certChainPem: cert, keyPem: key, caPem: ca, source: `${namespace}/${name}` };
}

/** The one Gateway of the run, read as the gateway workload would see it. */
export function gatewayView(run: StackRun): GatewayView {
    const objects = objectsOf(run);
    if (objects.some((o) => o.apiVersion === "gateway.networking.k8s.io/v1" && o.kind === "Gateway")) {
        return gatewayApiView(run);
    }
    const gateways = objects.filter((o) => o.kind === "Gateway");
    if (gateways.length !== 1) {
        throw new Error(`expected one Gateway, found ${gateways.length}`);
    }
    const gw = gateways[0];
    const selector: Record<string, string> = gw.spec?.selector ?? {};
    const workloads = objects.filter((o) => o.kind === "Deployment" && labelsMatch(selector, o.spec?.template?.metadata?.labels));
    if (workloads.length !== 1) {
        throw new Error(
            `expected one Deployment whose pods the Gateway selector ${JSON.stringify(selector)} selects, found ${workloads.length}`,
        );
    }
    const deployment = workloads[0];
    const workloadNamespace = nsOf(deployment);
    const podLabels: Record<string, string> = deployment.spec.template.metadata.labels;

    const servers: GatewayServer[] = (gw.spec?.servers ?? []).map((s: Obj) => {
        const server: GatewayServer = {
            portName: s.port?.name,
            port: Number(s.port?.number),
            protocol: String(s.port?.protocol ?? "").toUpperCase(),
            hosts: (s.hosts ?? []).map(dnsPart),
        };
        const t = s.tls;
        if (server.protocol === "HTTPS") {
            if (!t) {
                throw new Error(`HTTPS server ${server.portName} has no tls`);
            }
            const mode = String(t.mode ?? "SIMPLE");
            if (!["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"].includes(mode)) {
                throw new Error(`the listener does not emulate tls mode ${mode}`);
            }
            const needCa = mode !== "SIMPLE";
            let material: Omit<ServerTls, "mode">;
            if (t.credentialName) {
                material = credential(objects, workloadNamespace, t.credentialName, needCa);
            } else {
                if (!t.serverCertificate || !t.privateKey) {
                    throw new Error(`server ${server.portName}: neither credentialName nor serverCertificate/privateKey`);
                }
                const cert = mountedFile(objects, deployment, t.serverCertificate);
                const key = mountedFile(objects, deployment, t.privateKey);
                const ca = t.caCertificates ? mountedFile(objects, deployment, t.caCertificates) : undefined;
                if (needCa && !ca) {
                    throw new Error(`server ${server.portName}: ${mode} without caCertificates`);
                }
                material = {
                    certChainPem: cert.content,
                    keyPem: key.content,
                    caPem: ca?.content,
                    source: `${cert.source} ${key.source}${ca ? ` ${ca.source}` : ""}`,
                };
            }
            server.tls = { mode, ...material, minProtocolVersion: t.minProtocolVersion, maxProtocolVersion: t.maxProtocolVersion };
        } else if (t?.httpsRedirect) {
            server.httpsRedirect = true;
        }
        return server;
    });

    const gwRefs = new Set([`${nsOf(gw)}/${gw.metadata.name}`]);
    const virtualServices: BoundVirtualService[] = objects
        .filter((o) => o.kind === "VirtualService")
        .filter((vs) => (vs.spec?.gateways ?? []).some((g: string) => gwRefs.has(g.includes("/") ? g : `${nsOf(vs)}/${g}`)))
        .map((vs) => ({
            name: vs.metadata.name,
            namespace: nsOf(vs),
            hosts: (vs.spec.hosts ?? []).map(dnsPart),
            http: (vs.spec.http ?? []).map((h: Obj) => {
                if ((h.route ?? []).length !== 1) {
                    throw new Error(`VirtualService ${vs.metadata.name}: the listener emulates one destination per rule`);
                }
                const d = h.route[0].destination;
                return { match: h.match ?? [], destination: { host: d.host, port: d.port?.number } };
            }),
        }));

    const services = objects.filter((o) => o.kind === "Service");
    const ingressServices = services.filter(
        (s) => nsOf(s) === workloadNamespace && s.spec?.selector && labelsMatch(s.spec.selector, podLabels),
    );
    const servicePorts = new Map<string, number>();
    for (const s of ingressServices) {
        for (const p of s.spec.ports ?? []) {
            servicePorts.set(p.name, Number(p.targetPort ?? p.port));
        }
    }

    // Gateway policies: in the workload's namespace (or the root namespace) and selecting the gateway pods.
    const selects = (o: Obj) =>
        (nsOf(o) === workloadNamespace || nsOf(o) === "istio-system") && labelsMatch(o.spec?.selector?.matchLabels, podLabels);
    const requestAuthentications = objects.filter((o) => o.kind === "RequestAuthentication" && selects(o));
    const authorizationPolicies = objects.filter((o) => o.kind === "AuthorizationPolicy" && selects(o));
    const otherAuthKinds = objects.filter((o) => o.kind === "Policy" || o.kind === "PeerAuthentication").map((o) => o.kind);

    return {
        name: gw.metadata.name,
        namespace: nsOf(gw),
        workloadNamespace,
        podLabels,
        servers,
        virtualServices,
        servicePorts,
        services,
        requestAuthentications,
        authorizationPolicies,
        otherAuthKinds,
    };
}

/** Whether a Gateway/VirtualService host (`*`, `*.example.com`, or exact) covers a name. */
export function hostMatches(pattern: string, name: string): boolean {
    const n = name.toLowerCase();
    const p = pattern.toLowerCase();
    if (p === "*") {
        return true;
    }
    if (p.startsWith("*.")) {
        return n.endsWith(p.slice(1)) && n.length > p.length - 1;
    }
    return p === n;
}

/** The server of a port that takes a TLS connection for an SNI name: exact host first, then the longest wildcard. */
export function serverForSni(servers: GatewayServer[], sni: string | undefined): GatewayServer | undefined {
    if (!sni) {
        return undefined;
    }
    const score = (s: GatewayServer) =>
        Math.max(-1, ...s.hosts.filter((h) => hostMatches(h, sni)).map((h) => (h === sni.toLowerCase() ? 10_000 : h.length)));
    const ranked = servers
        .map((s) => ({ s, score: score(s) }))
        .filter((x) => x.score >= 0)
        .sort((a, b) => b.score - a.score);
    return ranked[0]?.s;
}
