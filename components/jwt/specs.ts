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

export function jwtObjects(c: SecureIngressConfig, source: JwtKeySource): K8sObject[] {
    if (!c.jwt.enabled) return [];
    const names = jwtObjectNames(c);
    const api = istioApiVersions(c.apiLevel);
    const ns = c.gateway.workloadNamespace;
    const rule: Record<string, unknown> = { issuer: c.jwt.issuer };
    if (source.jwks !== undefined) rule.jwks = source.jwks;
    else rule.jwksUri = source.jwksUri;
    if (c.jwt.audiences.length > 0) rule.audiences = [...c.jwt.audiences];

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
    if (c.jwt.hosts.length > 0) {
        // Host headers may carry a port; match both forms.
        denyRule.to = [{ operation: { hosts: jwtProtectedHosts(c).flatMap((h) => [h, `${h}:*`]) } }];
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
