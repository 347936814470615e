// The typed manifests the builders return: @pulumi/kubernetes input types for built-in kinds, and the Istio CRD
// types of @kubernetes-models/istio (type-only) with Input leaves, so a misspelled field does not compile.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import type { IRequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication";
import type { IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { ApiLevel } from "../config/enums";
import { annotations } from "../naming";
import type { GatewayApiObject } from "./gatewayApiObjects";

/** Object metadata with the name (and namespace) known when the object is built: they make its logical name. */
export interface ObjectMeta extends k8s.types.input.meta.v1.ObjectMeta {
    name: string;
    namespace?: string;
}

type Manifest<T, V extends string, K extends string> = Omit<T, "apiVersion" | "kind" | "metadata"> & {
    apiVersion: V;
    kind: K;
    metadata: ObjectMeta;
};

export type SecretManifest = Manifest<k8s.types.input.core.v1.Secret, "v1", "Secret">;
export type ConfigMapManifest = Manifest<k8s.types.input.core.v1.ConfigMap, "v1", "ConfigMap">;
export type ServiceManifest = Manifest<k8s.types.input.core.v1.Service, "v1", "Service">;
export type ServiceAccountManifest = Manifest<k8s.types.input.core.v1.ServiceAccount, "v1", "ServiceAccount">;
export type DeploymentManifest = Manifest<k8s.types.input.apps.v1.Deployment, "apps/v1", "Deployment">;
export type DeploymentPatchManifest = Manifest<k8s.apps.v1.DeploymentPatchArgs, "apps/v1", "Deployment">;
export type RoleManifest = Manifest<k8s.types.input.rbac.v1.Role, "rbac.authorization.k8s.io/v1", "Role">;
export type RoleBindingManifest = Manifest<k8s.types.input.rbac.v1.RoleBinding, "rbac.authorization.k8s.io/v1", "RoleBinding">;

/** Plain structure, Input leaves: an Output may stand for any scalar of an Istio spec. */
export type InputSpec<T> = T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends (infer U)[]
      ? InputSpec<U>[]
      : T extends object
        ? { [K in keyof T]: InputSpec<T[K]> }
        : T;

type IstioManifest<T extends { spec?: unknown }, K extends string> = {
    apiVersion: string;
    kind: K;
    metadata: ObjectMeta;
    spec: InputSpec<NonNullable<T["spec"]>>;
};

export type GatewayManifest = IstioManifest<IGateway, "Gateway">;
export type GatewayServer = NonNullable<GatewayManifest["spec"]["servers"]>[number];
export type ServerTls = NonNullable<GatewayServer["tls"]>;
export type VirtualServiceManifest = IstioManifest<IVirtualService, "VirtualService">;
export type RequestAuthenticationManifest = IstioManifest<IRequestAuthentication, "RequestAuthentication">;
export type JwtRule = NonNullable<RequestAuthenticationManifest["spec"]["jwtRules"]>[number];
export type AuthorizationPolicyManifest = IstioManifest<IAuthorizationPolicy, "AuthorizationPolicy">;
export type AuthorizationRule = NonNullable<AuthorizationPolicyManifest["spec"]["rules"]>[number];

/**
 * The task's `authentication.istio.io/v1alpha1` Policy, removed in Istio 1.6: no model ships it, so the fields
 * this program writes are typed here (istio/api authentication/v1alpha1/policy.proto).
 */
export interface LegacyPolicyManifest {
    apiVersion: string;
    kind: "Policy";
    metadata: ObjectMeta;
    spec: {
        targets: { name: string }[];
        origins: { jwt: LegacyJwt }[];
        principalBinding: "USE_ORIGIN" | "USE_PEER";
    };
}

interface LegacyJwt {
    issuer?: pulumi.Input<string>;
    jwksUri?: string;
    jwks?: pulumi.Input<string>;
    audiences?: pulumi.Input<string>[];
}

export interface CertManagerPrivateKey {
    algorithm: "RSA" | "ECDSA";
    size: number;
    rotationPolicy: "Always" | "Never";
}

/** A cert-manager Certificate (cert-manager.io/v1). */
export interface CertificateManifest {
    apiVersion: string;
    kind: "Certificate";
    metadata: ObjectMeta;
    spec: {
        secretName: string;
        dnsNames: string[];
        commonName: string;
        subject?: Record<string, pulumi.Input<string>[]>;
        duration: string;
        renewBefore: string;
        usages: string[];
        privateKey: CertManagerPrivateKey;
        issuerRef: { name: string; kind: string; group: string };
    };
}

/** A cert-manager CA Issuer (cert-manager.io/v1). */
export interface CertManagerIssuerManifest {
    apiVersion: string;
    kind: "Issuer";
    metadata: ObjectMeta;
    spec: { ca: { secretName: string } };
}

/** Custom resources: registered as CustomResources. */
export type IstioObject =
    | GatewayManifest
    | VirtualServiceManifest
    | RequestAuthenticationManifest
    | AuthorizationPolicyManifest
    | LegacyPolicyManifest
    | GatewayApiObject;

/** cert-manager's custom resources: registered as CustomResources too. */
export type CertManagerObject = CertificateManifest | CertManagerIssuerManifest;

/** Every manifest a builder returns (the patch of an existing Deployment is registered on its own). */
export type K8sObject =
    | ConfigMapManifest
    | SecretManifest
    | ServiceManifest
    | ServiceAccountManifest
    | DeploymentManifest
    | RoleManifest
    | RoleBindingManifest
    | IstioObject
    | CertManagerObject;

/** Istio API groups per API level: the task's v1alpha3, or the v1 APIs of Istio 1.22 and later. */
export function istioApiVersions(level: ApiLevel) {
    return level === "istio-1.0"
        ? { networking: "networking.istio.io/v1alpha3", security: undefined, authentication: "authentication.istio.io/v1alpha1" }
        : { networking: "networking.istio.io/v1", security: "security.istio.io/v1", authentication: undefined };
}

/** Istio objects say which Istio version the stack targets, so the policy pack can judge API removals. */
export function istioMeta(istioVersion: string, name: string, namespace: string): ObjectMeta {
    return { name, namespace, annotations: { [annotations.istioVersion]: istioVersion } };
}

/** `pulumi.com/skipAwait` when asked for (a control plane with no nodes never makes pods ready). */
export function awaitAnnotations(skipAwait: boolean): Record<string, string> {
    return skipAwait ? { [annotations.skipAwait]: "true" } : {};
}
