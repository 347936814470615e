// One HTTPRoute per host on the host's HTTPS listener (and the plain-HTTP one when it serves routes), and the
// HTTPRoute that answers plain HTTP with a 301 to HTTPS (the Gateway API has no httpsRedirect).
import { HostConfig, UriMatch } from "../config/schema";
import { gatewayApiNames, httpPortName, httpsPortName } from "../naming";
import { HttpRouteManifest, HttpRouteRule } from "../kubernetes/gatewayApiObjects";
import { backendService, gatewayApiMeta, GatewayApiSlice, gatewayParentRef, routeNamespace } from "./placement";

type PathMatch = NonNullable<NonNullable<HttpRouteRule["matches"]>[number]["path"]>;

function pathMatch(m: UriMatch): PathMatch {
    if (m.exact !== undefined) {
        return { type: "Exact", value: m.exact };
    }
    if (m.prefix !== undefined) {
        return { type: "PathPrefix", value: m.prefix };
    }
    return { type: "RegularExpression", value: m.regex as string };
}

export function hostRouteObject(c: GatewayApiSlice, host: HostConfig): HttpRouteManifest {
    const ns = routeNamespace(c);
    const parentRefs = [gatewayParentRef(c, httpsPortName(host))];
    if (c.gateway.http.enabled && !c.gateway.http.httpsRedirect) {
        parentRefs.push(gatewayParentRef(c, httpPortName));
    }
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: gatewayApiMeta(c, host.name, ns),
        spec: {
            parentRefs,
            hostnames: [host.host],
            rules: host.routes.map((r) => {
                const svc = backendService(c, r.destination.host);
                return {
                    matches: r.match.map((m) => ({ path: pathMatch(m) })),
                    backendRefs: [
                        { name: svc.name, ...(svc.namespace === ns ? {} : { namespace: svc.namespace }), port: r.destination.port },
                    ],
                };
            }),
        },
    };
}

export function redirectRouteObject(c: GatewayApiSlice): HttpRouteManifest | undefined {
    const g = c.gateway;
    if (!g.http.enabled || !g.http.httpsRedirect) {
        return undefined;
    }
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: gatewayApiMeta(c, gatewayApiNames(g.name, c.gatewayApi.gatewayClassName).redirectRoute, routeNamespace(c)),
        spec: {
            parentRefs: [gatewayParentRef(c, httpPortName)],
            hostnames: c.hosts.map((h) => h.host),
            rules: [
                {
                    filters: [
                        {
                            type: "RequestRedirect",
                            // The Location omits a scheme's well-known port; another HTTPS port is written out.
                            requestRedirect: { scheme: "https", statusCode: 301, ...(g.httpsPort === 443 ? {} : { port: g.httpsPort }) },
                        },
                    ],
                },
            ],
        },
    };
}
