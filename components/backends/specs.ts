// Optional sample backends, so a cluster with Istio needs nothing else: httpbin and Bookinfo's productpage.
import { BackendsConfig } from "../config/schema";
import { sampleBackendNames } from "../naming";
import { awaitAnnotations, DeploymentManifest, ServiceManifest } from "../kubernetes/objects";

interface Backend {
    name: string;
    image: string;
    port: number;
    containerPort: number;
    args?: string[];
}

export const httpbinBackend: Backend = {
    name: sampleBackendNames.httpbin,
    image: "docker.io/kennethreitz/httpbin",
    port: 8000,
    containerPort: 80,
};
export const productpageBackend: Backend = {
    name: sampleBackendNames.productpage,
    image: "docker.io/istio/examples-bookinfo-productpage-v1:1.20.2",
    port: 9080,
    containerPort: 9080,
};

/** One sample backend's objects. */
export interface BackendObjects {
    deployment: DeploymentManifest;
    service: ServiceManifest;
}

function objects(b: Backend, namespace: string, skipAwait: boolean): BackendObjects {
    const labels = { app: b.name };
    const meta = { name: b.name, namespace, labels, ...(skipAwait ? { annotations: awaitAnnotations(skipAwait) } : {}) };
    return {
        deployment: {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: meta,
            spec: {
                replicas: 1,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels },
                    spec: { containers: [{ name: b.name, image: b.image, ports: [{ containerPort: b.containerPort }] }] },
                },
            },
        },
        service: {
            apiVersion: "v1",
            kind: "Service",
            metadata: meta,
            spec: { selector: labels, ports: [{ name: "http", port: b.port, targetPort: b.containerPort }] },
        },
    };
}

/** The enabled sample backends by name. */
export function backendObjects(b: BackendsConfig, skipAwait: boolean): Record<string, BackendObjects> {
    return {
        ...(b.httpbin ? { [httpbinBackend.name]: objects(httpbinBackend, b.namespace, skipAwait) } : {}),
        ...(b.productpage ? { [productpageBackend.name]: objects(productpageBackend, b.namespace, skipAwait) } : {}),
    };
}
