// Where the Gateway API target puts its objects, and how they refer to each other. As in Istio's task: the Gateway
// lives where Istio deploys its workload and reads its Secrets (gateway.workloadNamespace), the HTTPRoutes where the
// VirtualServices would (gateway.namespace).
import { IngressConfig } from "../config/checkArgs";
import { gatewayApiGroup } from "../kubernetes/gatewayApiObjects";
import { istioMeta, ObjectMeta } from "../kubernetes/objects";

/** What every Gateway API builder reads. */
export type GatewayApiSlice = Pick<IngressConfig, "istioVersion" | "hosts" | "gatewayApi" | "pki"> & {
    gateway: Pick<
        IngressConfig["gateway"],
        "name" | "namespace" | "workloadNamespace" | "workloadName" | "workload" | "serviceType" | "httpsPort" | "http" | "secretDelivery"
    >;
};

export function gatewayNamespace(c: Pick<GatewayApiSlice, "gateway">): string {
    return c.gateway.workloadNamespace;
}

export function routeNamespace(c: Pick<GatewayApiSlice, "gateway">): string {
    return c.gateway.namespace;
}

/** Metadata of an object of this target, stamped with the Istio version for the policy pack. */
export function gatewayApiMeta(c: Pick<GatewayApiSlice, "istioVersion">, name: string, namespace: string): ObjectMeta {
    return istioMeta(c.istioVersion, name, namespace);
}

/** A route's (or policy's) reference to the Gateway, optionally to one listener. */
export function gatewayParentRef(c: Pick<GatewayApiSlice, "gateway">, sectionName?: string) {
    return {
        group: gatewayApiGroup,
        kind: "Gateway",
        name: c.gateway.name,
        namespace: gatewayNamespace(c),
        ...(sectionName ? { sectionName } : {}),
    };
}

/** A Service a route destination names: a short name (the route's namespace) or `<name>.<namespace>[.svc[.cluster.local]]`. */
export function backendService(c: Pick<GatewayApiSlice, "gateway">, host: string): { name: string; namespace: string } {
    const parts = host.replace(/\.svc(\.cluster\.local)?$/, "").split(".");
    return parts.length >= 2 ? { name: parts[0], namespace: parts[1] } : { name: parts[0], namespace: routeNamespace(c) };
}
