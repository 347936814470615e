// Typed manifests of the Kubernetes Gateway API kinds this program writes: the types of
// @kubernetes-models/gateway-api (type-only) with Input leaves, so a misspelled field does not compile.
import type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { IReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant";
import type { InputSpec, ObjectMeta } from "./objects";

type CrdManifest<T extends { spec?: unknown; apiVersion: string; kind: string }> = {
    apiVersion: T["apiVersion"];
    kind: T["kind"];
    metadata: ObjectMeta;
    spec: InputSpec<NonNullable<T["spec"]>>;
};

/** The Gateway API group, as references and grants name it. */
export const gatewayApiGroup = "gateway.networking.k8s.io";

export type KubeGatewayManifest = CrdManifest<IGateway>;
export type KubeListener = KubeGatewayManifest["spec"]["listeners"][number];
export type HttpRouteManifest = CrdManifest<IHTTPRoute>;
export type HttpRouteRule = NonNullable<HttpRouteManifest["spec"]["rules"]>[number];
/** v1beta1: the version Istio up to 1.30 watches (v1 exists from Gateway API v1.5). */
export type ReferenceGrantManifest = CrdManifest<IReferenceGrant>;

/** Gateway API custom resources: registered as CustomResources. */
export type GatewayApiObject = KubeGatewayManifest | HttpRouteManifest | ReferenceGrantManifest;
