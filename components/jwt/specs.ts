// End-user JWT authentication objects: the task's v1alpha1 Policy, or RequestAuthentication + AuthorizationPolicy.
import * as pulumi from "@pulumi/pulumi";
import { SecureIngressConfig } from "../config/schema";
import { istioApiVersions, istioMeta, K8sObject } from "../kubernetes/objects";
import { jwtObjectNames } from "../naming";

/** Where the verifier gets its keys: a URL, or an inline JWKS document (JSON string). */
export interface JwtKeySource {
    jwksUri?: string;
    jwks?: pulumi.Input<string>;
}

/** Host names (not short names) that must present a token; every host when jwt.hosts is empty. */
export function jwtProtectedHosts(c: SecureIngressConfig): string[] {
    const names = c.jwt.hosts.length === 0 ? c.hosts.map((h) => h.name) : c.jwt.hosts;
    return c.hosts.filter((h) => names.includes(h.name)).map((h) => h.host);
}

/**
 * The plain-HTTP server only redirects to HTTPS, so it needs no token. Only a managed workload is known to
 * listen on the Gateway's own port numbers (AuthorizationPolicy ports are the workload's listener ports).
 */
function redirectPortExempt(c: SecureIngressConfig): boolean {
    return c.gateway.http.enabled && c.gateway.http.httpsRedirect && c.gateway.workload === "managed";
}

export function jwtObjects(c: SecureIngressConfig, source: JwtKeySource): K8sObject[] {
    if (!c.jwt.enabled) {
        return [];
    }
    const names = jwtObjectNames(c);
    const api = istioApiVersions(c.apiLevel);
    const ns = c.gateway.workloadNamespace;
    const rule: Record<string, unknown> = { issuer: c.jwt.issuer };
    if (source.jwks !== undefined) {
        rule.jwks = source.jwks;
    } else {
        rule.jwksUri = source.jwksUri;
    }
    if (c.jwt.audiences.length > 0) {
        rule.audiences = [...c.jwt.audiences];
    }

    if (api.authentication) {
        return [
            {
                apiVersion: api.authentication,
                kind: "Policy",
                metadata: istioMeta(c, names.legacyPolicy, ns),
                spec: { targets: [{ name: c.gateway.workloadName }], origins: [{ jwt: rule }], principalBinding: "USE_ORIGIN" },
            },
        ];
    }
    const selector = { matchLabels: { ...c.gateway.selector } };
    const denyRule: Record<string, unknown> = { from: [{ source: { notRequestPrincipals: ["*"] } }] };
    const operation: Record<string, unknown> = {};
    if (c.jwt.hosts.length > 0) {
        // Host headers may carry a port; match both forms.
        operation.hosts = jwtProtectedHosts(c).flatMap((h) => [h, `${h}:*`]);
    }
    if (redirectPortExempt(c)) {
        // Envoy's RBAC filter runs before the route's redirect: without this, a tokenless client gets 403, not the 301.
        operation.notPorts = [String(c.gateway.http.port)];
    }
    if (Object.keys(operation).length > 0) {
        denyRule.to = [{ operation }];
    }
    return [
        {
            apiVersion: api.security as string,
            kind: "RequestAuthentication",
            metadata: istioMeta(c, names.requestAuthentication, ns),
            spec: { selector, jwtRules: [rule] },
        },
        {
            apiVersion: api.security as string,
            kind: "AuthorizationPolicy",
            metadata: istioMeta(c, names.authorizationPolicy, ns),
            spec: { selector, action: "DENY", rules: [denyRule] },
        },
    ];
}
