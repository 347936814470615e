// The gateway workload: a managed Deployment/Service/ServiceAccount/RBAC, or a patch that adds the
// task's secret volumes to an existing istio-ingressgateway Deployment.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { createHash } from "crypto";
import { IngressConfig } from "../config/checkArgs";
import { annotations, secretReaderName, servicePortNames } from "../naming";
import {
    awaitAnnotations,
    DeploymentManifest,
    DeploymentPatchManifest,
    ObjectMeta,
    RoleBindingManifest,
    RoleManifest,
    ServiceAccountManifest,
    ServiceManifest,
} from "../kubernetes/objects";

/** A secret the pod mounts at a path. */
export interface SecretMount {
    secretName: string;
    volumeName: string;
    mountPath: string;
}

/** What the workload builders read. */
export type WorkloadSlice = Pick<IngressConfig, "gateway" | "skipAwait">;

export const proxyContainer = "istio-proxy";

/** sha256 over the certificate contents: a new value rolls the pods, which is how mounted certs get reloaded. */
export function certsChecksum(contents: string[]): string {
    const h = createHash("sha256");
    for (const c of contents) {
        h.update(c).update("\0");
    }
    return h.digest("hex");
}

export function volumes(mounts: SecretMount[]): k8s.types.input.core.v1.Volume[] {
    return mounts.map((m) => ({ name: m.volumeName, secret: { secretName: m.secretName, optional: true } }));
}

export function volumeMounts(mounts: SecretMount[]): k8s.types.input.core.v1.VolumeMount[] {
    return mounts.map((m) => ({ name: m.volumeName, mountPath: m.mountPath, readOnly: true }));
}

function workloadMeta(c: WorkloadSlice, name = c.gateway.workloadName): ObjectMeta {
    const meta: ObjectMeta = {
        name,
        namespace: c.gateway.workloadNamespace,
        labels: { app: c.gateway.workloadName, ...c.gateway.selector },
    };
    if (c.skipAwait) {
        meta.annotations = awaitAnnotations(c.skipAwait);
    }
    return meta;
}

function podTemplateAnnotations(checksum: pulumi.Input<string> | undefined): Record<string, pulumi.Input<string>> {
    return checksum === undefined ? {} : { [annotations.certsChecksum]: checksum };
}

/** A gateway Deployment injected by Istio's `gateway` template (image `auto`). */
export function managedDeployment(c: WorkloadSlice, mounts: SecretMount[], checksum?: pulumi.Input<string>): DeploymentManifest {
    const g = c.gateway;
    const container: k8s.types.input.core.v1.Container = { name: proxyContainer, image: "auto" };
    if (mounts.length > 0) {
        container.volumeMounts = volumeMounts(mounts);
    }
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: workloadMeta(c),
        spec: {
            replicas: g.replicas,
            selector: { matchLabels: { ...g.selector } },
            template: {
                metadata: {
                    annotations: { "inject.istio.io/templates": "gateway", ...podTemplateAnnotations(checksum) },
                    labels: { ...g.selector, app: g.workloadName, "sidecar.istio.io/inject": "true" },
                },
                spec: {
                    serviceAccountName: g.workloadName,
                    // The gateway binds 80 and 443 itself, as Istio's gateway chart allows.
                    securityContext: { sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] },
                    containers: [container],
                    ...(mounts.length > 0 ? { volumes: volumes(mounts) } : {}),
                },
            },
        },
    };
}

/** The task's "redeploy with secretVolumes": only the volumes, mounts and checksum, applied server-side. */
export function deploymentPatch(c: WorkloadSlice, mounts: SecretMount[], checksum?: pulumi.Input<string>): DeploymentPatchManifest {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: {
            name: c.gateway.workloadName,
            namespace: c.gateway.workloadNamespace,
            annotations: { "pulumi.com/patchForce": "true", ...awaitAnnotations(c.skipAwait) },
        },
        spec: {
            template: {
                metadata: { annotations: podTemplateAnnotations(checksum) },
                spec: { containers: [{ name: proxyContainer, volumeMounts: volumeMounts(mounts) }], volumes: volumes(mounts) },
            },
        },
    };
}

export function gatewayService(c: WorkloadSlice): ServiceManifest {
    const g = c.gateway;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: workloadMeta(c),
        spec: {
            type: g.serviceType,
            selector: { ...g.selector },
            ports: [
                { name: servicePortNames.http, port: g.http.port, targetPort: g.http.port, protocol: "TCP" },
                { name: servicePortNames.https, port: g.httpsPort, targetPort: g.httpsPort, protocol: "TCP" },
            ],
        },
    };
}

export function serviceAccount(c: Pick<WorkloadSlice, "gateway">): ServiceAccountManifest {
    return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: c.gateway.workloadName, namespace: c.gateway.workloadNamespace } };
}

/**
 * Only the gateway's account may read its secrets (the task warns that every account in istio-system can).
 * SDS: istiod checks that the gateway may list secrets, so the grant is namespace-wide get/watch/list.
 * Mounted: the kubelet mounts the secrets; the account gets read access to exactly those secrets.
 */
export function secretReaderRbac(
    c: Pick<WorkloadSlice, "gateway">,
    secretNames: string[],
): { role: RoleManifest; roleBinding: RoleBindingManifest } {
    const g = c.gateway;
    const name = secretReaderName(g.workloadName);
    const rule =
        g.secretDelivery === "sds"
            ? { apiGroups: [""], resources: ["secrets"], verbs: ["get", "watch", "list"] }
            : { apiGroups: [""], resources: ["secrets"], resourceNames: [...secretNames], verbs: ["get"] };
    return {
        role: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name, namespace: g.workloadNamespace },
            rules: [rule],
        },
        roleBinding: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name, namespace: g.workloadNamespace },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
            subjects: [{ kind: "ServiceAccount", name: g.workloadName, namespace: g.workloadNamespace }],
        },
    };
}
