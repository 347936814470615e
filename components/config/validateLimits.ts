// Values the schema types accept but a downstream consumer refuses or mangles: validity hours past the provider's
// Duration arithmetic, a leaf outliving its CA, URI regexes outside RE2, an inline JWKS that carries private keys.
import { createPublicKey } from "crypto";
import { SecureIngressConfig } from "./schema";
import type { SemanticProblem } from "./validate";
import { destinationHostProblem, regexProblem } from "./validateHosts";
import { certManagerHosts, durationSeconds } from "../certManager/settings";

/**
 * (pki.earlyRenewalHours goes through the same arithmetic but must stay below the leaves' hours, checked elsewhere.)
 * @pulumi/tls computes NotAfter as `time.Duration(hours) * time.Hour` (terraform-provider-tls common_cert.go), an
 * int64 of nanoseconds: above this many hours it wraps silently to a date in the past.
 */
export const maxProviderHours = Math.floor((2 ** 63 - 1) / 3.6e12);

/** JWK members that hold private or symmetric key material (RFC 7518 sections 6.2.2, 6.3.2, 6.4.1). */
export const privateJwkMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

export function limitProblems(c: SecureIngressConfig): SemanticProblem[] {
    return [...validityProblems(c), ...regexProblems(c), ...jwksProblems(c), ...durationProblems(c)];
}

function validityProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const v = c.pki.validityHours;
    const hours: [string, number][] = [
        ["pki.validityHours.root", v.root],
        ["pki.validityHours.intermediate", v.intermediate],
        ["pki.validityHours.server", v.server],
        ["pki.validityHours.client", v.client],
    ];
    if (c.jwt.enabled && c.jwt.selfIssued.enabled) {
        hours.push(["jwt.selfIssued.tokenLifetimeHours", c.jwt.selfIssued.tokenLifetimeHours]);
    }
    for (const [path, value] of hours) {
        if (value > maxProviderHours) {
            out.push({
                path,
                value,
                message: `overflows the TLS provider's time arithmetic (Go's time.Duration holds at most ${maxProviderHours} hours) and would give a certificate that expired in the past; use at most ${maxProviderHours}`,
            });
        }
    }
    const generated = c.hosts.some((h) => h.certificate === "generated");
    const nested: [string, number, string, number][] = [
        ["intermediate", v.intermediate, "root", v.root],
        ["server", v.server, "intermediate", v.intermediate],
        ["client", v.client, "intermediate", v.intermediate],
    ];
    for (const [child, hoursChild, parent, hoursParent] of generated ? nested : []) {
        if (hoursChild > hoursParent) {
            out.push({
                path: `pki.validityHours.${child}`,
                value: hoursChild,
                message: `outlives its issuer: pki.validityHours.${parent} is ${hoursParent}, and a certificate stops verifying when its issuer expires; use at most ${hoursParent}`,
            });
        }
    }
    return out;
}

function regexProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    c.hosts.forEach((h, i) =>
        h.routes.forEach((r, j) => {
            const dest = destinationHostProblem(r.destination.host);
            if (dest) {
                out.push({
                    path: `hosts[${i}].routes[${j}].destination.host`,
                    value: r.destination.host,
                    message: `${dest}; Istio's webhook refuses the VirtualService: give a Service name such as httpbin or an FQDN such as httpbin.default.svc.cluster.local`,
                });
            }
            r.match.forEach((m, k) => {
                const problem = m.regex === undefined ? undefined : regexProblem(m.regex);
                if (problem) {
                    out.push({ path: `hosts[${i}].routes[${j}].match[${k}].regex`, value: m.regex, message: problem });
                }
            });
        }),
    );
    return out;
}

/** Each key of an inline JWKS is a public key the verifier can read; private members are named, never quoted. */
function jwksProblems(c: SecureIngressConfig): SemanticProblem[] {
    if (!c.jwt.enabled || c.jwt.jwks === undefined) {
        return [];
    }
    let keys: unknown;
    try {
        keys = (JSON.parse(c.jwt.jwks) as { keys?: unknown }).keys;
    } catch {
        return [];
    }
    if (!Array.isArray(keys)) {
        return [];
    }
    const out: SemanticProblem[] = [];
    keys.forEach((key: unknown, i) => {
        const path = `jwt.jwks.keys[${i}]`;
        if (key === null || typeof key !== "object" || Array.isArray(key)) {
            out.push({ path, value: "(JWK)", message: "is not a JSON object; each key is a JWK such as {kty: RSA, n: ..., e: ...}" });
            return;
        }
        const present = privateJwkMembers.filter((m) => Object.hasOwn(key, m));
        if (present.length > 0) {
            out.push({
                path,
                value: "(JWK)",
                message: `holds private key material (${present.join(", ")}): the JWKS is published to every gateway and readable in the cluster; remove those members and keep only the public key`,
            });
            return;
        }
        try {
            createPublicKey({ key: key as import("crypto").JsonWebKey, format: "jwk" });
        } catch (e) {
            out.push({
                path,
                value: "(JWK)",
                message: `is not a public key a verifier can read (${(e as Error).message}); give kty with its public members (RSA: n, e; EC: crv, x, y; OKP: crv, x)`,
            });
        }
    });
    return out;
}

/** The longest Go time.Duration, in seconds. */
const maxDurationSeconds = (2 ** 63 - 1) / 1e9;

/** cert-manager parses durations with Go's time.ParseDuration, which refuses anything past the same int64 limit. */
function durationProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    for (const h of certManagerHosts(c)) {
        const i = c.hosts.indexOf(h);
        for (const field of ["duration", "renewBefore"] as const) {
            const text = h.certManager?.[field];
            if (text !== undefined && durationSeconds(text) > maxDurationSeconds) {
                out.push({
                    path: `hosts[${i}].certManager.${field}`,
                    value: text,
                    message: `is longer than Go's time.Duration holds (${maxProviderHours}h), so cert-manager refuses it as invalid; use at most ${maxProviderHours}h`,
                });
            }
        }
    }
    return out;
}
