// ReferenceGrants for every reference that crosses a namespace: a route's backendRef to a Service elsewhere. The
// Gateway's certificate and CA references stay in its own namespace, where the Secrets are, so they need none.
import { gatewayApiNames } from "../naming";
import { gatewayApiGroup, ReferenceGrantManifest } from "../kubernetes/gatewayApiObjects";
import { backendService, gatewayApiMeta, GatewayApiSlice, routeNamespace } from "./placement";

export function referenceGrantObjects(c: GatewayApiSlice): ReferenceGrantManifest[] {
    const from = routeNamespace(c);
    const byNamespace = new Map<string, Set<string>>();
    for (const h of c.hosts) {
        for (const r of h.routes) {
            const svc = backendService(c, r.destination.host);
            if (svc.namespace !== from) {
                byNamespace.set(svc.namespace, (byNamespace.get(svc.namespace) ?? new Set()).add(svc.name));
            }
        }
    }
    const name = gatewayApiNames(c.gateway.name, c.gatewayApi.gatewayClassName).backendGrant;
    return [...byNamespace].map(([ns, services]) => ({
        apiVersion: "gateway.networking.k8s.io/v1beta1",
        kind: "ReferenceGrant",
        metadata: gatewayApiMeta(c, name, ns),
        spec: {
            from: [{ group: gatewayApiGroup, kind: "HTTPRoute", namespace: from }],
            to: [...services].sort().map((s) => ({ group: "", kind: "Service", name: s })),
        },
    }));
}
