// One VirtualService per host, bound to the Gateway, with the host's route rules.
import { IngressConfig } from "../config/checkArgs";
import { HostConfig, UriMatch } from "../config/schema";
import { virtualServiceName } from "../naming";
import { istioApiVersions, istioMeta, VirtualServiceManifest } from "../kubernetes/objects";

/** What the VirtualService builder reads. */
export type RoutesSlice = Pick<IngressConfig, "apiLevel" | "istioVersion"> & {
    gateway: Pick<IngressConfig["gateway"], "name" | "namespace">;
};

/** The task writes the bare gateway name; today's Istio prefers <namespace>/<name>. */
export function gatewayReference(c: RoutesSlice): string {
    return c.apiLevel === "istio-1.0" ? c.gateway.name : `${c.gateway.namespace}/${c.gateway.name}`;
}

function uri(m: UriMatch): { exact: string } | { prefix: string } | { regex: string } {
    if (m.exact !== undefined) {
        return { exact: m.exact };
    }
    if (m.prefix !== undefined) {
        return { prefix: m.prefix };
    }
    return { regex: m.regex as string };
}

export function virtualServiceObject(c: RoutesSlice, host: HostConfig): VirtualServiceManifest {
    return {
        apiVersion: istioApiVersions(c.apiLevel).networking,
        kind: "VirtualService",
        metadata: istioMeta(c.istioVersion, virtualServiceName(host), c.gateway.namespace),
        spec: {
            hosts: [host.host],
            gateways: [gatewayReference(c)],
            http: host.routes.map((r) => ({
                match: r.match.map((m) => ({ uri: uri(m) })),
                route: [{ destination: { host: r.destination.host, port: { number: r.destination.port } } }],
            })),
        },
    };
}
