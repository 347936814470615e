// The one place that turns a built manifest into a Pulumi Kubernetes resource of its kind's class.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { annotations, logicalName } from "../naming";
import {
    ConfigMapManifest,
    CertManagerObject,
    DeploymentManifest,
    DeploymentPatchManifest,
    IstioObject,
    K8sObject,
    RoleBindingManifest,
    RoleManifest,
    SecretManifest,
    ServiceAccountManifest,
    ServiceManifest,
} from "./objects";

/**
 * Every object is the stack's own, under a fixed name: a field changed with kubectl is drift that the next up takes
 * back. Server-side apply would stop on the field conflict with kubectl's manager instead; the provider reads this
 * annotation (its enablePatchForce setting is not honoured by every provider release).
 */
function owned<T extends K8sObject>(obj: T): T {
    return { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [annotations.patchForce]: "true" } } };
}

/** Registers a manifest with the typed class for its kind; Istio and cert-manager kinds become CustomResources. */
export function registerObject(obj: ConfigMapManifest, opts: pulumi.CustomResourceOptions): k8s.core.v1.ConfigMap;
export function registerObject(obj: SecretManifest, opts: pulumi.CustomResourceOptions): k8s.core.v1.Secret;
export function registerObject(obj: ServiceManifest, opts: pulumi.CustomResourceOptions): k8s.core.v1.Service;
export function registerObject(obj: ServiceAccountManifest, opts: pulumi.CustomResourceOptions): k8s.core.v1.ServiceAccount;
export function registerObject(obj: DeploymentManifest, opts: pulumi.CustomResourceOptions): k8s.apps.v1.Deployment;
export function registerObject(obj: RoleManifest, opts: pulumi.CustomResourceOptions): k8s.rbac.v1.Role;
export function registerObject(obj: RoleBindingManifest, opts: pulumi.CustomResourceOptions): k8s.rbac.v1.RoleBinding;
export function registerObject(obj: IstioObject | CertManagerObject, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource;
export function registerObject(manifest: K8sObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const name = logicalName(manifest);
    const obj = owned(manifest);
    switch (obj.kind) {
        case "ConfigMap":
            return new k8s.core.v1.ConfigMap(name, obj, opts);
        case "Secret":
            return new k8s.core.v1.Secret(name, obj, opts);
        case "Service":
            return new k8s.core.v1.Service(name, obj, opts);
        case "ServiceAccount":
            return new k8s.core.v1.ServiceAccount(name, obj, opts);
        case "Deployment":
            return new k8s.apps.v1.Deployment(name, obj, opts);
        case "Role":
            return new k8s.rbac.v1.Role(name, obj, opts);
        case "RoleBinding":
            return new k8s.rbac.v1.RoleBinding(name, obj, opts);
        default:
            return new k8s.apiextensions.CustomResource(name, obj, opts);
    }
}

/**
 * A custom resource whose `status` the engine reads back (an Output that stays undefined until the cluster writes
 * one, and in a rendered stack): the Gateway API Gateway reports its assigned addresses there.
 */
export function registerWithStatus(
    obj: IstioObject,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource & { status: pulumi.Output<any> } {
    const resource = new k8s.apiextensions.CustomResource(logicalName(obj), { ...owned(obj), status: undefined }, opts);
    return resource as k8s.apiextensions.CustomResource & { status: pulumi.Output<any> };
}

/** A server-side-apply patch of an existing Deployment. */
export function registerDeploymentPatch(obj: DeploymentPatchManifest, opts: pulumi.CustomResourceOptions): k8s.apps.v1.DeploymentPatch {
    return new k8s.apps.v1.DeploymentPatch(logicalName(obj, "-patch"), obj, opts);
}
