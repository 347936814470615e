// End-user JWT authentication objects: the task's v1alpha1 Policy, or RequestAuthentication + AuthorizationPolicy.
import * as pulumi from "@pulumi/pulumi";
import { IngressConfig } from "../config/checkArgs";
import { HostConfig } from "../config/schema";
import {
    AuthorizationPolicyManifest,
    AuthorizationRule,
    istioApiVersions,
    istioMeta,
    JwtRule,
    LegacyPolicyManifest,
    RequestAuthenticationManifest,
} from "../kubernetes/objects";
import { jwtObjectNames } from "../naming";
import { gatewayApiGroup } from "../kubernetes/gatewayApiObjects";

/** Where the verifier gets its keys: a URL, or an inline JWKS document (JSON string). */
export interface JwtKeySource {
    jwksUri?: string;
    jwks?: pulumi.Input<string>;
}

type Operation = NonNullable<NonNullable<AuthorizationRule["to"]>[number]["operation"]>;

/** What the JWT builders read. */
export type JwtSlice = Pick<IngressConfig, "target" | "apiLevel" | "istioVersion" | "hosts" | "jwt"> & {
    gateway: Pick<IngressConfig["gateway"], "name" | "workloadName" | "workloadNamespace" | "selector" | "http" | "workload">;
};

/** Host names (not short names) that must present a token; every host when jwt.hosts is empty. */
export function jwtProtectedHosts(c: { hosts: HostConfig[]; jwt: { hosts: string[] } }): string[] {
    const names = c.jwt.hosts.length === 0 ? c.hosts.map((h) => h.name) : c.jwt.hosts;
    return c.hosts.filter((h) => names.includes(h.name)).map((h) => h.host);
}

/**
 * The plain-HTTP server only redirects to HTTPS, so it needs no token. Only a managed workload (ours, or the one
 * Istio deploys for a Gateway API Gateway) is known to listen on the Gateway's own port numbers (AuthorizationPolicy
 * ports are the workload's listener ports).
 */
function redirectPortExempt(g: JwtSlice["gateway"]): boolean {
    return g.http.enabled && g.http.httpsRedirect && g.workload === "managed";
}

/** An empty audience list is left out. */
function audiences(a: pulumi.Input<string>[]): { audiences?: pulumi.Input<string>[] } {
    return a.length === 0 ? {} : { audiences: [...a] };
}

export function jwtObjects(
    c: JwtSlice,
    source: JwtKeySource,
): (LegacyPolicyManifest | RequestAuthenticationManifest | AuthorizationPolicyManifest)[] {
    if (!c.jwt.enabled) {
        return [];
    }
    const names = jwtObjectNames(c.gateway.name);
    const api = istioApiVersions(c.apiLevel);
    const ns = c.gateway.workloadNamespace;
    const keys = source.jwks !== undefined ? { jwks: source.jwks } : { jwksUri: source.jwksUri };
    const rule: JwtRule = { issuer: c.jwt.issuer ?? "", ...keys, ...audiences(c.jwt.audiences) };

    if (api.authentication) {
        const policy: LegacyPolicyManifest = {
            apiVersion: api.authentication,
            kind: "Policy",
            metadata: istioMeta(c.istioVersion, names.legacyPolicy, ns),
            spec: {
                targets: [{ name: c.gateway.workloadName }],
                origins: [{ jwt: { issuer: c.jwt.issuer, ...keys, ...audiences(c.jwt.audiences) } }],
                principalBinding: "USE_ORIGIN",
            },
        };
        return [policy];
    }
    // The Gateway API's gateway pods carry Istio's labels, not the configured selector: attach to the Gateway itself.
    const attach =
        c.target === "gateway-api"
            ? { targetRefs: [{ group: gatewayApiGroup, kind: "Gateway", name: c.gateway.name }] }
            : { selector: { matchLabels: { ...c.gateway.selector } } };
    const denyRule: AuthorizationRule = { from: [{ source: { notRequestPrincipals: ["*"] } }] };
    const operation: Operation = {};
    if (c.jwt.hosts.length > 0) {
        // Host headers may carry a port; match both forms.
        operation.hosts = jwtProtectedHosts(c).flatMap((h) => [h, `${h}:*`]);
    }
    if (redirectPortExempt(c.gateway)) {
        // Envoy's RBAC filter runs before the route's redirect: without this, a tokenless client gets 403, not the 301.
        operation.notPorts = [String(c.gateway.http.port)];
    }
    if (Object.keys(operation).length > 0) {
        denyRule.to = [{ operation }];
    }
    const requestAuthentication: RequestAuthenticationManifest = {
        apiVersion: api.security as string,
        kind: "RequestAuthentication",
        metadata: istioMeta(c.istioVersion, names.requestAuthentication, ns),
        spec: { ...attach, jwtRules: [rule] },
    };
    const authorizationPolicy: AuthorizationPolicyManifest = {
        apiVersion: api.security as string,
        kind: "AuthorizationPolicy",
        metadata: istioMeta(c.istioVersion, names.authorizationPolicy, ns),
        spec: { ...attach, action: "DENY", rules: [denyRule] },
    };
    return [requestAuthentication, authorizationPolicy];
}
