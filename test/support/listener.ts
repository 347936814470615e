// A live stand-in for the ingress gateway on 127.0.0.1, configured ONLY from the objects the program produced
// (see gatewayObjects.ts): one front per Gateway port. An HTTPS front peeks the ClientHello's SNI and hands the
// raw connection to the TLS server of the Gateway server whose hosts match (its own certificate, and for
// MUTUAL a required client certificate verified against its CA bundle; OPTIONAL_MUTUAL requests one and
// refuses only an invalid one). An unknown or missing SNI gets an unrecognized_name alert and no certificate.
// Requests are then authorized (RequestAuthentication/AuthorizationPolicy) and routed by the VirtualServices
// bound to the Gateway to the Services they name, served by loopback upstreams.
import * as http from "http";
import * as http2 from "http2";
import * as net from "net";
import * as tls from "tls";
import { StackRun } from "./harness";
import { BoundVirtualService, GatewayServer, gatewayView, GatewayView, hostMatches, serverForSni } from "./gatewayObjects";
import { authorize } from "./requestAuth";
import { peekClientHello, unrecognizedNameAlert } from "./sni";

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

export interface ListenerEvent {
    kind: "no-server-for-sni" | "not-tls" | "tls-error" | "refused-client-cert" | "request";
    port: number;
    sni?: string;
    server?: string;
    detail?: string;
}

export interface LiveGateway {
    view: GatewayView;
    /** Gateway port number -> the loopback port serving it. */
    ports: Map<number, number>;
    /** Loopback port of the gateway port a Service port (by name: `https`, `http2`) targets. */
    servicePort(name: string): number;
    events: ListenerEvent[];
    close(): Promise<void>;
}

export interface ListenerOptions {
    /** `<namespace>/<service name>` -> loopback port of the upstream that serves it. */
    upstreams: Map<string, number>;
}

const tlsVersions: Record<string, tls.SecureVersion | undefined> = {
    TLSV1_0: "TLSv1",
    TLSV1_1: "TLSv1.1",
    TLSV1_2: "TLSv1.2",
    TLSV1_3: "TLSv1.3",
    TLS_AUTO: undefined,
};

const hopByHop = new Set([
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "http2-settings",
]);

/** Starts the fronts; every server, socket and upstream connection is closed by `close()`. */
export async function startGateway(run: StackRun, opts: ListenerOptions): Promise<LiveGateway> {
    const view = gatewayView(run);
    if (view.otherAuthKinds.length > 0) {
        throw new Error(`the listener does not emulate ${view.otherAuthKinds.join(", ")}`);
    }
    const events: ListenerEvent[] = [];
    const sockets = new Set<net.Socket>();
    const closers: (() => Promise<void>)[] = [];
    const ports = new Map<number, number>();

    const byPort = new Map<number, GatewayServer[]>();
    for (const s of view.servers) {
        byPort.set(s.port, [...(byPort.get(s.port) ?? []), s]);
    }

    for (const [gwPort, servers] of byPort) {
        const protocols = new Set(servers.map((s) => s.protocol));
        if (protocols.size !== 1) {
            throw new Error(`port ${gwPort} mixes protocols ${[...protocols].join(", ")}`);
        }
        const protocol = servers[0].protocol;
        let front: net.Server;
        if (protocol === "HTTPS") {
            const tlsServers = new Map<GatewayServer, tls.Server>();
            for (const s of servers) {
                tlsServers.set(s, secureServer(s, gwPort));
            }
            front = net.createServer((socket) => {
                track(socket);
                let buf = Buffer.alloc(0);
                const timer = setTimeout(() => socket.destroy(), 5000);
                const onData = (d: Buffer) => {
                    buf = Buffer.concat([buf, d]);
                    const hello = peekClientHello(buf);
                    if (hello.kind === "incomplete" && buf.length < 65_536) {
                        return;
                    }
                    socket.off("data", onData);
                    clearTimeout(timer);
                    if (hello.kind !== "hello") {
                        events.push({
                            kind: "not-tls",
                            port: gwPort,
                            detail: hello.kind === "not-tls" ? hello.reason : "ClientHello too large",
                        });
                        socket.destroy();
                        return;
                    }
                    const server = serverForSni(servers, hello.serverName);
                    if (!server) {
                        events.push({ kind: "no-server-for-sni", port: gwPort, sni: hello.serverName });
                        socket.end(unrecognizedNameAlert);
                        return;
                    }
                    socket.pause();
                    socket.unshift(buf);
                    tlsServers.get(server)!.emit("connection", socket);
                };
                socket.on("data", onData);
            });
        } else if (protocol === "HTTP") {
            const httpServer = http.createServer((req, res) => void handle(req, res, servers, gwPort, "http"));
            httpServer.keepAliveTimeout = 500;
            front = httpServer;
            front.on("connection", track);
        } else {
            throw new Error(`the listener does not emulate protocol ${protocol} (port ${gwPort})`);
        }
        front.on("error", () => undefined);
        const local = await new Promise<number>((resolve, reject) => {
            front.once("error", reject);
            front.listen(0, "127.0.0.1", () => resolve((front.address() as net.AddressInfo).port));
        });
        ports.set(gwPort, local);
        closers.push(() => new Promise<void>((r) => front.close(() => r())));
    }

    function track(socket: net.Socket) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
    }

    function secureServer(s: GatewayServer, gwPort: number): tls.Server {
        const t = s.tls!;
        const mutual = t.mode === "MUTUAL" || t.mode === "OPTIONAL_MUTUAL";
        const server = http2.createSecureServer(
            {
                allowHTTP1: true,
                key: t.keyPem,
                cert: t.certChainPem,
                ...(mutual ? { ca: t.caPem, requestCert: true, rejectUnauthorized: t.mode === "MUTUAL" } : { requestCert: false }),
                ...(t.minProtocolVersion && tlsVersions[t.minProtocolVersion] ? { minVersion: tlsVersions[t.minProtocolVersion] } : {}),
                ...(t.maxProtocolVersion && tlsVersions[t.maxProtocolVersion] ? { maxVersion: tlsVersions[t.maxProtocolVersion] } : {}),
            },
            (req, res) => void handle(req, res, [s], gwPort, "https"),
        );
        server.on("secureConnection", (socket: tls.TLSSocket) => {
            // OPTIONAL_MUTUAL: no certificate is fine, an unverifiable one is not.
            if (t.mode === "OPTIONAL_MUTUAL" && !socket.authorized && Object.keys(socket.getPeerCertificate() ?? {}).length > 0) {
                events.push({
                    kind: "refused-client-cert",
                    port: gwPort,
                    server: s.portName,
                    sni: socket.servername || undefined,
                    detail: String(socket.authorizationError),
                });
                socket.destroy();
            }
        });
        server.on("tlsClientError", (err, socket) => {
            // Node checks the client certificate after OpenSSL's handshake and closes without an alert; the
            // reason is on the socket (e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY). A missing certificate is refused
            // by OpenSSL itself, with the alert a gateway sends.
            const reason = (socket as tls.TLSSocket).authorizationError;
            events.push({
                kind: "tls-error",
                port: gwPort,
                server: s.portName,
                sni: (socket as tls.TLSSocket).servername || undefined,
                detail: `${err.message}${reason ? ` (${reason})` : ""}`,
            });
        });
        server.on("sessionError", () => undefined);
        return server;
    }

    async function handle(req: Req, res: Res, servers: GatewayServer[], gwPort: number, scheme: string) {
        const authority = String(req.headers[":authority"] ?? req.headers.host ?? "");
        const hostName = authority.replace(/:\d+$/, "").toLowerCase();
        const path = String(req.url ?? "/");
        const method = String(req.method ?? "GET");
        const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
            events.push({
                kind: "request",
                port: gwPort,
                server: servers.map((s) => s.portName).join(","),
                detail: `${method} ${authority}${path} -> ${status}`,
            });
            res.writeHead(status, { "content-type": "text/plain", server: "istio-envoy", ...headers });
            if (method === "HEAD") {
                res.end();
            } else {
                res.end(body);
            }
        };
        try {
            const server = servers.find((s) => s.hosts.some((h) => hostMatches(h, hostName)));
            if (!server) {
                return reply(404, "");
            }
            // Envoy's RBAC and jwt_authn filters run before the router, so before a route's redirect too.
            const denial = await authorize(view.requestAuthentications, view.authorizationPolicies, {
                headers: req.headers as Record<string, string>,
                host: authority,
                path,
                method,
                port: gwPort,
            });
            if (denial) {
                return reply(denial.status, denial.body);
            }
            if (server.httpsRedirect) {
                return reply(301, "", { location: `https://${hostName}${path}` });
            }
            const vs = view.virtualServices.find(
                (v) =>
                    v.hosts.some((h) => hostMatches(h, hostName)) &&
                    v.hosts.some((h) => server.hosts.some((sh) => hostMatches(sh, h) || hostMatches(h, sh))),
            );
            if (!vs) {
                return reply(404, "");
            }
            const route = routeFor(vs, path);
            if (!route) {
                return reply(404, "");
            }
            const upstream = upstreamFor(vs, route.destination);
            if (upstream === undefined) {
                return reply(503, "no healthy upstream");
            }
            proxy(req, res, upstream, authority, scheme, gwPort);
        } catch (e) {
            reply(500, `listener error: ${(e as Error).message}`);
        }
    }

    function routeFor(vs: BoundVirtualService, rawPath: string) {
        const path = rawPath.split("?")[0];
        return vs.http.find(
            (r) =>
                r.match.length === 0 ||
                r.match.some((m) => {
                    const uri = m.uri;
                    if (!uri) {
                        throw new Error(`VirtualService ${vs.name}: the listener emulates uri matches only (${JSON.stringify(m)})`);
                    }
                    if (uri.exact !== undefined) {
                        return path === uri.exact;
                    }
                    if (uri.prefix !== undefined) {
                        return path.startsWith(uri.prefix);
                    }
                    if (uri.regex !== undefined) {
                        return new RegExp(`^(?:${uri.regex})$`).test(path);
                    }
                    throw new Error(`VirtualService ${vs.name}: unknown uri match ${JSON.stringify(uri)}`);
                }),
        );
    }

    /** The Service a destination names (short name in the VirtualService's namespace, or <name>.<ns>[.svc.cluster.local]) and its port. */
    function upstreamFor(vs: BoundVirtualService, d: { host: string; port?: number }): number | undefined {
        const parts = d.host.replace(/\.svc\.cluster\.local$/, "").split(".");
        const [name, namespace] = parts.length === 1 ? [parts[0], vs.namespace] : [parts[0], parts[1]];
        const svc = view.services.find((s) => s.metadata?.name === name && (s.metadata?.namespace ?? "default") === namespace);
        if (!svc) {
            return undefined;
        }
        const ports: number[] = (svc.spec?.ports ?? []).map((p: { port: number }) => Number(p.port));
        if (d.port !== undefined ? !ports.includes(d.port) : ports.length !== 1) {
            return undefined;
        }
        return opts.upstreams.get(`${namespace}/${name}`);
    }

    function proxy(req: Req, res: Res, port: number, authority: string, scheme: string, gwPort: number) {
        const headers: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(req.headers)) {
            if (!k.startsWith(":") && !hopByHop.has(k) && v !== undefined) {
                headers[k] = v;
            }
        }
        headers.host = authority;
        headers["x-forwarded-proto"] = scheme;
        const up = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers, agent: false }, (upRes) => {
            const out: http.OutgoingHttpHeaders = {};
            for (const [k, v] of Object.entries(upRes.headers)) {
                if (!hopByHop.has(k) && v !== undefined) {
                    out[k] = v;
                }
            }
            out.server = "istio-envoy";
            events.push({
                kind: "request",
                port: gwPort,
                detail: `${req.method} ${authority}${req.url} -> ${upRes.statusCode} (upstream :${port})`,
            });
            res.writeHead(upRes.statusCode ?? 502, out);
            upRes.pipe(res as NodeJS.WritableStream);
        });
        up.on("error", (e) => {
            if (!res.headersSent) {
                res.writeHead(503, { "content-type": "text/plain" });
            }
            res.end(`upstream connect error: ${e.message}`);
        });
        (req as NodeJS.ReadableStream).pipe(up);
    }

    return {
        view,
        ports,
        events,
        servicePort(name: string) {
            const target = view.servicePorts.get(name);
            if (target === undefined) {
                throw new Error(`no Service port named ${name} selects the gateway pods`);
            }
            const local = ports.get(target);
            if (local === undefined) {
                throw new Error(`Service port ${name} targets ${target}, where the Gateway has no server`);
            }
            return local;
        },
        async close() {
            for (const s of sockets) {
                s.destroy();
            }
            await Promise.all(closers.map((c) => c()));
        },
    };
}
