// The Gateway API Gateway: one HTTPS listener per host (its own hostname and certificate), an optional HTTP
// listener, client validation in the form the target Istio reads, and the workload Istio deploys or an existing one.
import { HostConfig } from "../config/schema";
import {
    credentialName,
    gatewayApiNames,
    httpPortName,
    httpsPortName,
    isMutual,
    serviceTypeAnnotation,
    tlsTerminateModeOption,
} from "../naming";
import { gatewayApiGroup, KubeGatewayManifest, KubeListener } from "../kubernetes/gatewayApiObjects";
import { clientValidation } from "./clientValidation";
import { gatewayApiMeta, GatewayApiSlice, gatewayNamespace, routeNamespace } from "./placement";

/** Routes may attach only from the namespace the routes live in. */
function allowedRoutes(c: GatewayApiSlice): NonNullable<KubeListener["allowedRoutes"]> {
    const kinds = [{ group: gatewayApiGroup, kind: "HTTPRoute" }];
    const ns = routeNamespace(c);
    return ns === gatewayNamespace(c)
        ? { kinds, namespaces: { from: "Same" } }
        : { kinds, namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": ns } } } };
}

function httpsListener(c: GatewayApiSlice, host: HostConfig, listenerOption: boolean): KubeListener {
    return {
        name: httpsPortName(host),
        hostname: host.host,
        port: c.gateway.httpsPort,
        protocol: "HTTPS",
        tls: {
            mode: "Terminate",
            // The SDS credential Secret (gateway-api refuses mounted delivery), in the Gateway's namespace.
            certificateRefs: [{ group: "", kind: "Secret", name: credentialName(host) }],
            ...(listenerOption && isMutual(host) ? { options: { [tlsTerminateModeOption]: host.tls } } : {}),
        },
        allowedRoutes: allowedRoutes(c),
    };
}

export function kubeGatewayObject(c: GatewayApiSlice): KubeGatewayManifest {
    const g = c.gateway;
    const names = gatewayApiNames(g.name, c.gatewayApi.gatewayClassName);
    const frontend = clientValidation(c) === "frontend" && c.hosts.some(isMutual);
    const listeners = c.hosts.map((h) => httpsListener(c, h, !frontend));
    if (g.http.enabled) {
        listeners.push({ name: httpPortName, port: g.http.port, protocol: "HTTP", allowedRoutes: allowedRoutes(c) });
    }
    const meta = gatewayApiMeta(c, g.name, gatewayNamespace(c));
    if (g.workload === "managed" && g.serviceType !== "LoadBalancer") {
        meta.annotations = { ...meta.annotations, [serviceTypeAnnotation]: g.serviceType };
    }
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: meta,
        spec: {
            gatewayClassName: c.gatewayApi.gatewayClassName,
            listeners,
            // Istio's unmanaged mode: a Hostname address names the existing gateway Service, and nothing is deployed.
            ...(g.workload === "none"
                ? { addresses: [{ type: "Hostname", value: `${g.workloadName}.${g.workloadNamespace}.svc.cluster.local` }] }
                : {}),
            ...(frontend
                ? {
                      tls: {
                          frontend: {
                              default: {
                                  validation: {
                                      caCertificateRefs: [{ group: "", kind: "ConfigMap", name: names.clientCaConfigMap }],
                                  },
                              },
                          },
                      },
                  }
                : {}),
        },
    };
}
