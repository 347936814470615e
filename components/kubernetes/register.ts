// The one place that turns a built object into a Pulumi Kubernetes resource.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { K8sObject } from "./objects";

/** A stable, unique logical name: kind, namespace and name. */
export function logicalName(obj: K8sObject, suffix = ""): string {
    return [obj.kind.toLowerCase(), obj.metadata.namespace, obj.metadata.name].filter(Boolean).join("-") + suffix;
}

/** Registers a manifest with the typed class for its kind, or as a CustomResource (Istio). */
export function registerObject(obj: K8sObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const args = obj as any;
    switch (`${obj.apiVersion}/${obj.kind}`) {
        case "v1/Secret":
            return new k8s.core.v1.Secret(logicalName(obj), args, opts);
        case "v1/Service":
            return new k8s.core.v1.Service(logicalName(obj), args, opts);
        case "v1/ServiceAccount":
            return new k8s.core.v1.ServiceAccount(logicalName(obj), args, opts);
        case "apps/v1/Deployment":
            return new k8s.apps.v1.Deployment(logicalName(obj), args, opts);
        case "rbac.authorization.k8s.io/v1/Role":
            return new k8s.rbac.v1.Role(logicalName(obj), args, opts);
        case "rbac.authorization.k8s.io/v1/RoleBinding":
            return new k8s.rbac.v1.RoleBinding(logicalName(obj), args, opts);
        default:
            return new k8s.apiextensions.CustomResource(logicalName(obj), args, opts);
    }
}

/** A server-side-apply patch of an existing Deployment. */
export function registerDeploymentPatch(obj: K8sObject, opts: pulumi.CustomResourceOptions): k8s.apps.v1.DeploymentPatch {
    return new k8s.apps.v1.DeploymentPatch(logicalName(obj, "-patch"), obj as any, opts);
}
