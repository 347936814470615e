/**
 * The task's scenario as Gateway API objects, shaped as the program registers them for `target: gateway-api`
 * (Gateway in istio-system, HTTPRoutes in default, SDS Secrets beside the Gateway). Fresh objects: tests may mutate.
 */
import { PolicyResource } from "../rules";
import { ISTIO_NS, k8s, secret } from "./fixtures";

const GROUP = "gateway.networking.k8s.io";
const annotations = (istio: string) => ({ "secure-ingress.dev/istio-version": istio });
const routesFromDefault = {
    namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "default" } } },
};

export function kubeGateway(opts: { istio?: string } = {}): PolicyResource {
    const https = (name: string, hostname: string, extra: Record<string, unknown> = {}) => ({
        name: `https-${name}`,
        hostname,
        port: 443,
        protocol: "HTTPS",
        tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: `${name}-credential` }], ...extra },
        allowedRoutes: routesFromDefault,
    });
    return k8s(`${GROUP}/v1`, "Gateway", "mygateway", {
        metadata: { name: "mygateway", namespace: ISTIO_NS, annotations: annotations(opts.istio ?? "1.31") },
        spec: {
            gatewayClassName: "istio",
            listeners: [
                https("httpbin", "httpbin.example.com", { options: { "gateway.istio.io/tls-terminate-mode": "MUTUAL" } }),
                https("bookinfo", "bookinfo.com"),
                { name: "http", port: 80, protocol: "HTTP", allowedRoutes: routesFromDefault },
            ],
        },
    });
}

export function listenersOf(gw: PolicyResource): any[] {
    return (gw.props.spec as any).listeners;
}

export function credentials(): PolicyResource[] {
    return [
        secret("httpbin-credential", { "tls.crt": "x", "tls.key": "y", "ca.crt": "z" }, { type: "kubernetes.io/tls" }),
        secret("bookinfo-credential", { "tls.crt": "x", "tls.key": "y" }, { type: "kubernetes.io/tls" }),
    ];
}

export function httpRoute(name: string, hostname: string, backend: { name: string; port: number; namespace?: string }): PolicyResource {
    return k8s(`${GROUP}/v1`, "HTTPRoute", name, {
        metadata: { name, namespace: "default" },
        spec: {
            parentRefs: [{ group: GROUP, kind: "Gateway", name: "mygateway", namespace: ISTIO_NS, sectionName: `https-${name}` }],
            hostnames: [hostname],
            rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [backend] }],
        },
    });
}

export function referenceGrant(
    namespace: string,
    from: { kind: string; namespace: string },
    to: { kind: string; name?: string },
): PolicyResource {
    return k8s(`${GROUP}/v1beta1`, "ReferenceGrant", `grant-${namespace}`, {
        metadata: { name: "mygateway-backends", namespace },
        spec: { from: [{ group: GROUP, ...from }], to: [{ group: "", ...to }] },
    });
}

/** RequestAuthentication and AuthorizationPolicy attached to the Gateway by targetRefs. */
export function jwtPolicies(gatewayName = "mygateway"): PolicyResource[] {
    const targetRefs = [{ group: GROUP, kind: "Gateway", name: gatewayName }];
    return [
        k8s("security.istio.io/v1", "RequestAuthentication", "mygateway-jwt", {
            metadata: { name: "mygateway-jwt", namespace: ISTIO_NS },
            spec: { targetRefs, jwtRules: [{ issuer: "me", jwks: "{}" }] },
        }),
        k8s("security.istio.io/v1", "AuthorizationPolicy", "mygateway-require-jwt", {
            metadata: { name: "mygateway-require-jwt", namespace: ISTIO_NS },
            spec: { targetRefs, action: "DENY", rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }] },
        }),
    ];
}

/** The whole scenario: passes every rule. */
export function goodGatewayApiStack(): PolicyResource[] {
    return [
        kubeGateway(),
        ...credentials(),
        httpRoute("httpbin", "httpbin.example.com", { name: "httpbin", port: 8000 }),
        httpRoute("bookinfo", "bookinfo.com", { name: "productpage", port: 9080 }),
        ...jwtPolicies(),
    ];
}
