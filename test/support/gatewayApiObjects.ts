// Reads the Kubernetes Gateway API objects the program produced the way Istio's gateway controller converts them
// (pilot/pkg/config/kube/gateway/conversion.go buildTLS, the deployment controller's Service) into the view the live
// listener serves: a server per listener, the HTTPRoutes attached to it, the Secrets and CA it reads, the workload
// Istio would deploy, and the JWT policies that target the Gateway. Only the objects count, never the config.
import { StackRun } from "./harness";
import type { BoundVirtualService, GatewayServer, GatewayView, ServerTls } from "./gatewayObjects";
import { credential, labelsMatch, nsOf, objectsOf, secretValue } from "./gatewayObjects";

type Obj = Record<string, any>;

const group = "gateway.networking.k8s.io";
const terminateMode = "gateway.istio.io/tls-terminate-mode";
/** The label Istio's deployment controller puts on the pods of a Gateway it deploys. */
const gatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An HTTPRoute path match as a VirtualService uri match; PathPrefix matches whole path elements. */
function uriOf(path: Obj | undefined): Obj {
    const type = path?.type ?? "PathPrefix";
    const value = String(path?.value ?? "/");
    if (type === "Exact") {
        return { exact: value };
    }
    if (type === "RegularExpression") {
        return { regex: value };
    }
    if (type !== "PathPrefix") {
        throw new Error(`the listener does not emulate path match type ${type}`);
    }
    const base = value.replace(/\/+$/, "");
    return base === "" ? { prefix: "/" } : { regex: `${escapeRegex(base)}(/.*)?` };
}

/** The namespaces a listener's allowedRoutes admits a route from (the route's own namespace object labels are its name). */
function admits(listener: Obj, gatewayNs: string, routeNs: string): boolean {
    const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
    if (from === "All") {
        return true;
    }
    if (from === "Same") {
        return routeNs === gatewayNs;
    }
    const sel = listener.allowedRoutes?.namespaces?.selector;
    if ((sel?.matchExpressions ?? []).length > 0) {
        throw new Error("the listener does not emulate matchExpressions in allowedRoutes");
    }
    return labelsMatch(sel?.matchLabels, { "kubernetes.io/metadata.name": routeNs });
}

function granted(objects: Obj[], fromKind: string, fromNs: string, toKind: string, toNs: string, toName: string): boolean {
    return objects.some(
        (g) =>
            g.kind === "ReferenceGrant" &&
            nsOf(g) === toNs &&
            (g.spec?.from ?? []).some((f: Obj) => f.group === group && f.kind === fromKind && f.namespace === fromNs) &&
            (g.spec?.to ?? []).some((t: Obj) => (t.group ?? "") === "" && t.kind === toKind && (t.name === undefined || t.name === toName)),
    );
}

/** What a Terminate listener serves: its certificateRef, and the client validation of the frontend or the listener option. */
function listenerTls(objects: Obj[], gw: Obj, listener: Obj): Omit<ServerTls, "minProtocolVersion" | "maxProtocolVersion"> {
    const ns = nsOf(gw);
    const t = listener.tls ?? {};
    if ((t.mode ?? "Terminate") !== "Terminate") {
        throw new Error(`listener ${listener.name}: the listener emulates tls mode Terminate only`);
    }
    const refs: Obj[] = t.certificateRefs ?? [];
    if (refs.length !== 1) {
        throw new Error(`listener ${listener.name}: the listener emulates one certificateRef, found ${refs.length}`);
    }
    const ref = refs[0];
    if ((ref.group ?? "") !== "" || (ref.kind ?? "Secret") !== "Secret") {
        throw new Error(`listener ${listener.name}: only a Secret certificateRef is allowed (InvalidCertificateRef)`);
    }
    const secretNs = ref.namespace ?? ns;
    if (secretNs !== ns && !granted(objects, "Gateway", ns, "Secret", secretNs, ref.name)) {
        throw new Error(`listener ${listener.name}: certificateRef ${secretNs}/${ref.name} without a ReferenceGrant (RefNotPermitted)`);
    }
    const frontend =
        (gw.spec?.tls?.frontend?.perPort ?? []).find((p: Obj) => p.port === listener.port)?.tls ?? gw.spec?.tls?.frontend?.default;
    const caRefs: Obj[] = frontend?.validation?.caCertificateRefs ?? [];
    let mode = "SIMPLE";
    let caPem: string | undefined;
    let caSource = "";
    if (caRefs.length > 0) {
        if (caRefs.length > 1) {
            throw new Error("only one caCertificateRef is supported (Istio)");
        }
        const ca = caRefs[0];
        const caNs = ca.namespace ?? ns;
        if (caNs !== ns && !granted(objects, "Gateway", ns, ca.kind, caNs, ca.name)) {
            throw new Error(`caCertificateRef ${caNs}/${ca.name} without a ReferenceGrant`);
        }
        const obj = objects.find((o) => o.kind === ca.kind && o.metadata?.name === ca.name && nsOf(o) === caNs);
        caPem = obj?.kind === "ConfigMap" ? obj.data?.["ca.crt"] : obj ? secretValue(obj, "ca.crt") : undefined;
        if (!caPem) {
            throw new Error(`caCertificateRef ${ca.kind} ${caNs}/${ca.name} has no ca.crt`);
        }
        caSource = ` ${ca.kind}:${caNs}/${ca.name}[ca.crt]`;
        mode = frontend.validation.mode === "AllowInsecureFallback" ? "OPTIONAL_MUTUAL" : "MUTUAL";
        const option = t.options?.[terminateMode];
        if (option === "MUTUAL" || option === "OPTIONAL_MUTUAL") {
            mode = option;
        }
    } else if (t.options?.[terminateMode] === "MUTUAL" || t.options?.[terminateMode] === "OPTIONAL_MUTUAL") {
        mode = t.options[terminateMode];
    } else if (t.options?.[terminateMode] !== undefined) {
        throw new Error(`the listener does not emulate ${terminateMode}: ${t.options[terminateMode]}`);
    }
    // Without a frontend CA the credential's own ca.crt (or <name>-cacert) verifies clients, as with credentialName.
    const material = credential(objects, secretNs, ref.name, mode !== "SIMPLE" && caPem === undefined);
    return caPem === undefined ? { mode, ...material } : { mode, ...material, caPem, source: material.source + caSource };
}

/** The one Gateway API Gateway of the run, read as Istio's controller and its deployed workload would serve it. */
export function gatewayApiView(run: StackRun): GatewayView {
    const objects = objectsOf(run);
    const gateways = objects.filter((o) => o.apiVersion === `${group}/v1` && o.kind === "Gateway");
    if (gateways.length !== 1) {
        throw new Error(`expected one Gateway API Gateway, found ${gateways.length}`);
    }
    const gw = gateways[0];
    const ns = nsOf(gw);
    if ((gw.spec?.addresses ?? []).length > 0) {
        throw new Error("the listener emulates the workload Istio deploys, not an existing one (spec.addresses)");
    }
    const listeners: Obj[] = gw.spec?.listeners ?? [];
    const routes = objects.filter((o) => o.apiVersion === `${group}/v1` && o.kind === "HTTPRoute");
    /** Routes attached to a listener: a parentRef naming this Gateway (and the listener by sectionName), admitted by allowedRoutes. */
    const attached = (l: Obj) =>
        routes.filter(
            (r) =>
                admits(l, ns, nsOf(r)) &&
                (r.spec?.parentRefs ?? []).some(
                    (p: Obj) =>
                        (p.kind ?? "Gateway") === "Gateway" &&
                        (p.group ?? group) === group &&
                        p.name === gw.metadata.name &&
                        (p.namespace ?? nsOf(r)) === ns &&
                        (p.sectionName === undefined || p.sectionName === l.name),
                ),
        );
    const isRedirect = (r: Obj) =>
        (r.spec?.rules ?? []).every((rule: Obj) =>
            (rule.filters ?? []).some((f: Obj) => f.type === "RequestRedirect" && f.requestRedirect?.scheme === "https"),
        );

    const servers: GatewayServer[] = listeners.map((l) => {
        const server: GatewayServer = { portName: l.name, port: Number(l.port), protocol: String(l.protocol), hosts: [l.hostname ?? "*"] };
        if (server.protocol === "HTTPS") {
            server.tls = listenerTls(objects, gw, l);
        } else if (server.protocol === "HTTP") {
            const mine = attached(l);
            if (mine.length > 0 && mine.every(isRedirect)) {
                for (const r of mine) {
                    for (const rule of r.spec.rules) {
                        const f = rule.filters.find((x: Obj) => x.type === "RequestRedirect").requestRedirect;
                        if ((f.statusCode ?? 302) !== 301) {
                            throw new Error(`the listener emulates 301 redirects, not ${f.statusCode ?? 302}`);
                        }
                    }
                }
                server.httpsRedirect = true;
            }
        }
        return server;
    });

    const bound = new Set(listeners.flatMap((l) => attached(l)).filter((r) => !isRedirect(r)));
    const virtualServices: BoundVirtualService[] = [...bound].map((r) => ({
        name: r.metadata.name,
        namespace: nsOf(r),
        hosts: r.spec.hostnames ?? ["*"],
        http: (r.spec.rules ?? []).map((rule: Obj) => {
            const backends: Obj[] = rule.backendRefs ?? [];
            if (backends.length !== 1 || (rule.filters ?? []).length > 0) {
                throw new Error(`HTTPRoute ${r.metadata.name}: the listener emulates one backendRef and no filters per rule`);
            }
            const b = backends[0];
            const backendNs = b.namespace ?? nsOf(r);
            if (backendNs !== nsOf(r) && !granted(objects, "HTTPRoute", nsOf(r), "Service", backendNs, b.name)) {
                throw new Error(
                    `HTTPRoute ${r.metadata.name}: backendRef ${backendNs}/${b.name} without a ReferenceGrant (RefNotPermitted)`,
                );
            }
            return {
                match: (rule.matches ?? [{}]).map((m: Obj) => ({ uri: uriOf(m.path) })),
                destination: { host: `${b.name}.${backendNs}`, port: b.port },
            };
        }),
    }));

    // Istio's deployed Service: each listener port once, named after its first listener, port = target port.
    const servicePorts = new Map<string, number>();
    for (const l of listeners) {
        if (![...servicePorts.values()].includes(Number(l.port))) {
            servicePorts.set(l.name, Number(l.port));
        }
    }
    const podLabels = { [gatewayNameLabel]: gw.metadata.name };
    const targets = (o: Obj) =>
        nsOf(o) === ns &&
        (o.spec?.targetRefs ?? []).some((t: Obj) => t.group === group && t.kind === "Gateway" && t.name === gw.metadata.name);
    const selects = (o: Obj) =>
        (nsOf(o) === ns || nsOf(o) === "istio-system") && o.spec?.selector && labelsMatch(o.spec.selector.matchLabels, podLabels);
    return {
        name: gw.metadata.name,
        namespace: ns,
        workloadNamespace: ns,
        podLabels,
        servers,
        virtualServices,
        servicePorts,
        services: objects.filter((o) => o.kind === "Service"),
        requestAuthentications: objects.filter((o) => o.kind === "RequestAuthentication" && (targets(o) || selects(o))),
        authorizationPolicies: objects.filter((o) => o.kind === "AuthorizationPolicy" && (targets(o) || selects(o))),
        otherAuthKinds: objects.filter((o) => o.kind === "Policy" || o.kind === "PeerAuthentication").map((o) => o.kind),
    };
}
