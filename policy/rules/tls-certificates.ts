import { Finding, PolicyResource, ResourceRule } from "./types";
import { arr, describe, isUnknown, num, str, types } from "./util";

function uses(cert: PolicyResource): string[] | undefined {
    const raw = cert.props["allowedUses"];
    if (isUnknown(raw)) {
        return undefined;
    }
    return arr(raw)
        .map((u) => str(u))
        .filter((u): u is string => !!u);
}

function isCa(cert: PolicyResource): boolean | undefined {
    const v = cert.props["isCaCertificate"];
    return isUnknown(v) ? undefined : v === true;
}

/** CA/B Forum ballot SC31 (and Apple/Chrome root policy): TLS leaf certificates live at most 398 days. */
export const tlsLeafValidity: ResourceRule = {
    name: "tls-leaf-validity",
    description: "Leaf certificates (isCaCertificate false) are valid for at most maxValidityDays (default 398 days).",
    enforcementLevel: "mandatory",
    source: "CA/B Forum Baseline Requirements 6.3.2 (398 days); pulumi-tls validityPeriodHours",
    scope: "resource",
    configSchema: {
        properties: {
            maxValidityDays: { type: "integer", description: "Longest acceptable leaf validity, in days.", default: 398, minimum: 1 },
        },
    },
    appliesTo: types.isCertificate,
    check(cert, config) {
        const out: Finding[] = [];
        const ca = isCa(cert);
        const hours = num(cert.props["validityPeriodHours"]);
        const maxDays = num(config["maxValidityDays"]) ?? 398;
        if (ca === false && hours !== undefined && hours > maxDays * 24) {
            out.push({
                message: `${describe(cert)}: leaf certificate valid for ${hours} hours (${Math.ceil(hours / 24)} days) exceeds the maximum of ${maxDays} days (${maxDays * 24} hours)`,
            });
        }
        return out;
    },
};

/** pulumi-tls adds no key usage to a CA: without cert_signing, chains built on it fail to verify. */
export const tlsCaCertSigning: ResourceRule = {
    name: "tls-ca-cert-signing",
    description:
        "A certificate with isCaCertificate true lists cert_signing in allowedUses: the provider adds no key usage on its own, and a CA " +
        "whose KeyUsage lacks keyCertSign cannot sign the chain (x509: invalid signature: parent certificate cannot sign this kind of certificate).",
    enforcementLevel: "mandatory",
    source: "terraform-provider-tls common_cert.go (createCertificate); RFC 5280 4.2.1.3",
    scope: "resource",
    appliesTo: types.isCertificate,
    check(cert) {
        const u = uses(cert);
        if (isCa(cert) === true && u && !u.includes("cert_signing")) {
            return [
                {
                    message: `${describe(cert)}: CA certificate (isCaCertificate: true) without cert_signing in allowedUses [${u.join(", ")}] cannot sign certificates`,
                },
            ];
        }
        return [];
    },
};

/** A leaf (server_auth / client_auth) must not be a CA: a stolen server key could then mint certificates. */
export const tlsLeafNotCa: ResourceRule = {
    name: "tls-leaf-not-ca",
    description:
        "A certificate whose allowedUses name server_auth or client_auth (a leaf) is not marked isCaCertificate: a CA-capable server or client " +
        "certificate lets whoever holds its key issue certificates the gateway trusts.",
    enforcementLevel: "mandatory",
    source: "RFC 5280 4.2.1.9 (basicConstraints); CA/B Forum Baseline Requirements 7.1.2.3",
    scope: "resource",
    appliesTo: types.isCertificate,
    check(cert) {
        const u = uses(cert);
        const leafUses = (u ?? []).filter((x) => x === "server_auth" || x === "client_auth");
        if (isCa(cert) === true && leafUses.length > 0) {
            return [
                {
                    message: `${describe(cert)}: leaf certificate (allowedUses ${leafUses.join(", ")}) is marked isCaCertificate: true; issue leaves with isCaCertificate: false`,
                },
            ];
        }
        return [];
    },
};
