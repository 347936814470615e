// End-user authentication as the gateway's Envoy enforces RequestAuthentication (jwt_authn) and
// AuthorizationPolicy (rbac), for the shapes the program writes; anything else is refused loudly.
// Tokens are verified with jose against the JWKS inlined in the RequestAuthentication.
import * as jose from "jose";

type Obj = Record<string, any>;

export interface AuthRequest {
    /** Lower-case header names. */
    headers: Record<string, string | string[] | undefined>;
    /** The Host header (authority) as sent, possibly with a port. */
    host: string;
    path: string;
    method: string;
    /** The gateway listener port the request arrived on (what AuthorizationPolicy `ports` match). */
    port: number;
}

export interface Denial {
    status: number;
    body: string;
}

function header(req: AuthRequest, name: string): string | undefined {
    const v = req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
}

/** The token the rule's locations carry (default: `Authorization: Bearer`, then `?access_token=`). */
function tokenFor(rule: Obj, req: AuthRequest): string | undefined {
    const headers: { name: string; prefix?: string }[] = rule.fromHeaders ?? [{ name: "Authorization", prefix: "Bearer " }];
    for (const h of headers) {
        const v = header(req, h.name);
        if (v === undefined) {
            continue;
        }
        const prefix = h.prefix ?? "";
        if (v.startsWith(prefix)) {
            return v.slice(prefix.length).trim();
        }
    }
    const params: string[] = rule.fromParams ?? (rule.fromHeaders ? [] : ["access_token"]);
    const query = new URL(req.path, "http://x").searchParams;
    for (const p of params) {
        const v = query.get(p);
        if (v) {
            return v;
        }
    }
    return undefined;
}

/** Istio string match: exact, `prefix*`, `*suffix`, or `*` (any non-empty value). */
function istioMatch(pattern: string, value: string | undefined, caseless = false): boolean {
    if (value === undefined || value === "") {
        return false;
    }
    const p = caseless ? pattern.toLowerCase() : pattern;
    const v = caseless ? value.toLowerCase() : value;
    if (p === "*") {
        return true;
    }
    if (p.startsWith("*")) {
        return v.endsWith(p.slice(1));
    }
    if (p.endsWith("*")) {
        return v.startsWith(p.slice(0, -1));
    }
    return p === v;
}

const anyOf = (patterns: string[] | undefined, value: string | undefined, caseless = false) =>
    (patterns ?? []).some((p) => istioMatch(p, value, caseless));

function checkKeys(o: Obj | undefined, allowed: string[], where: string) {
    for (const k of Object.keys(o ?? {})) {
        if (!allowed.includes(k)) {
            throw new Error(`the listener does not emulate ${where}.${k}`);
        }
    }
}

function sourceMatches(source: Obj, principal: string | undefined): boolean {
    checkKeys(source, ["requestPrincipals", "notRequestPrincipals"], "AuthorizationPolicy source");
    if (source.requestPrincipals && !anyOf(source.requestPrincipals, principal)) {
        return false;
    }
    if (source.notRequestPrincipals && anyOf(source.notRequestPrincipals, principal)) {
        return false;
    }
    return true;
}

function operationMatches(op: Obj, req: AuthRequest): boolean {
    checkKeys(
        op,
        ["hosts", "notHosts", "paths", "notPaths", "methods", "notMethods", "ports", "notPorts"],
        "AuthorizationPolicy operation",
    );
    const path = new URL(req.path, "http://x").pathname;
    // Istio matches hosts against the Host header as sent, which may carry a port.
    const hostMatch = (list: string[]) => anyOf(list, req.host, true);
    if (op.hosts && !hostMatch(op.hosts)) {
        return false;
    }
    if (op.notHosts && hostMatch(op.notHosts)) {
        return false;
    }
    if (op.paths && !anyOf(op.paths, path)) {
        return false;
    }
    if (op.notPaths && anyOf(op.notPaths, path)) {
        return false;
    }
    if (op.methods && !anyOf(op.methods, req.method)) {
        return false;
    }
    if (op.notMethods && anyOf(op.notMethods, req.method)) {
        return false;
    }
    if (op.ports && !anyOf(op.ports, String(req.port))) {
        return false;
    }
    if (op.notPorts && anyOf(op.notPorts, String(req.port))) {
        return false;
    }
    return true;
}

function ruleMatches(rule: Obj, principal: string | undefined, req: AuthRequest): boolean {
    checkKeys(rule, ["from", "to"], "AuthorizationPolicy rule");
    const fromOk = !rule.from || rule.from.some((f: Obj) => sourceMatches(f.source ?? {}, principal));
    const toOk = !rule.to || rule.to.some((t: Obj) => operationMatches(t.operation ?? {}, req));
    return fromOk && toOk;
}

/** Applies the gateway's RequestAuthentications and AuthorizationPolicies; undefined means the request passes. */
export async function authorize(
    requestAuthentications: Obj[],
    authorizationPolicies: Obj[],
    req: AuthRequest,
): Promise<Denial | undefined> {
    let principal: string | undefined;
    for (const ra of requestAuthentications) {
        for (const rule of ra.spec?.jwtRules ?? []) {
            const token = tokenFor(rule, req);
            if (token === undefined) {
                continue;
            }
            let iss: string | undefined;
            try {
                iss = jose.decodeJwt(token).iss;
            } catch {
                return { status: 401, body: "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections" };
            }
            if (iss !== rule.issuer) {
                continue;
            }
            if (rule.jwks === undefined) {
                throw new Error(`the listener fetches no jwksUri (${rule.jwksUri}); inline the JWKS`);
            }
            try {
                const keys = jose.createLocalJWKSet(JSON.parse(rule.jwks));
                const { payload } = await jose.jwtVerify(token, keys, {
                    issuer: rule.issuer,
                    ...(rule.audiences?.length ? { audience: rule.audiences } : {}),
                });
                principal = `${payload.iss}/${payload.sub}`;
            } catch {
                return { status: 401, body: "Jwt verification fails" };
            }
        }
    }
    // A token no rule's issuer names is refused as well.
    if (principal === undefined && requestAuthentications.length > 0) {
        const anyToken = header(req, "authorization")?.startsWith("Bearer ");
        if (anyToken) {
            return { status: 401, body: "Jwt issuer is not configured" };
        }
    }

    const denied = { status: 403, body: "RBAC: access denied" };
    const byAction = (a: string) => authorizationPolicies.filter((p) => (p.spec?.action ?? "ALLOW") === a);
    for (const p of authorizationPolicies) {
        const action = p.spec?.action ?? "ALLOW";
        if (!["ALLOW", "DENY"].includes(action)) {
            throw new Error(`the listener does not emulate AuthorizationPolicy action ${action}`);
        }
    }
    if (byAction("DENY").some((p) => (p.spec?.rules ?? []).some((r: Obj) => ruleMatches(r, principal, req)))) {
        return denied;
    }
    const allow = byAction("ALLOW");
    if (allow.length > 0 && !allow.some((p) => (p.spec?.rules ?? []).some((r: Obj) => ruleMatches(r, principal, req)))) {
        return denied;
    }
    return undefined;
}
