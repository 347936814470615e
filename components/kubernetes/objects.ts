// The shape every object builder returns: a Kubernetes manifest whose leaves may be Pulumi Inputs.
import * as pulumi from "@pulumi/pulumi";
import { ApiLevel, SecureIngressConfig } from "../config/schema";
import { annotations } from "../naming";

export interface ObjectMeta {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, pulumi.Input<string>>;
}

export interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: ObjectMeta;
    [field: string]: unknown;
}

/** Istio API groups per API level: the task's v1alpha3, or the v1 APIs of Istio 1.22 and later. */
export function istioApiVersions(level: ApiLevel) {
    return level === "istio-1.0"
        ? { networking: "networking.istio.io/v1alpha3", security: undefined, authentication: "authentication.istio.io/v1alpha1" }
        : { networking: "networking.istio.io/v1", security: "security.istio.io/v1", authentication: undefined };
}

/** Istio objects say which Istio version the stack targets, so the policy pack can judge API removals. */
export function istioMeta(c: SecureIngressConfig, name: string, namespace: string): ObjectMeta {
    return { name, namespace, annotations: { [annotations.istioVersion]: c.istioVersion } };
}
