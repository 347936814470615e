// Certificates that expire soon, read from the PEMs the stack holds: the generated ones (certPem of the tls
// resources) and whatever its Secrets carry (provided certificates reach the gateway only that way).
import { certificateBlocks, expiriesOf, expiryText, pemCertificates } from "../../components/expiry";
import { Finding, PolicyResource, RuleConfig, StackRule } from "./types";
import { describe, isUnknown, num, rec, types } from "./util";

/** The rule's settings, as the pack config gives them. */
export interface CertificateExpiryConfig {
    /** Report a certificate whose notAfter is fewer than this many days away. */
    withinDays: number;
}

const DEFAULT_WITHIN_DAYS = 30;

export function certificateExpiryConfig(config: RuleConfig): CertificateExpiryConfig {
    return { withinDays: num(config["withinDays"]) ?? DEFAULT_WITHIN_DAYS };
}

/** The PEM texts a resource holds: a tls certificate's certPem, a Secret's stringData and (base64) data values. */
function pemsOf(r: PolicyResource): string[] {
    const text = (v: unknown) => (typeof v === "string" && !isUnknown(v) ? [v] : []);
    if (types.isCertificate(r.type)) {
        return text(r.props["certPem"]);
    }
    if (!types.isSecret(r.type)) {
        return [];
    }
    const stringData = Object.values(rec(r.props["stringData"]) ?? {}).flatMap(text);
    const data = Object.values(rec(r.props["data"]) ?? {})
        .flatMap(text)
        .map((b64) => Buffer.from(b64, "base64").toString("utf8"));
    return [...stringData, ...data].filter((t) => t.includes("-----BEGIN CERTIFICATE-----"));
}

/** Expiries of the PEMs; a block that does not parse is another rule's business, not a reason to stop. */
function readable(pems: string[], now: number) {
    return expiriesOf(
        pems.flatMap(certificateBlocks).filter((block) => {
            try {
                return pemCertificates(block).length === 1;
            } catch {
                return false;
            }
        }),
        now,
    );
}

export const certificateExpiry: StackRule = {
    name: "certificate-expiry",
    description:
        "No certificate the stack holds (generated certificates' certPem, PEMs in its Secrets) expires within withinDays days (default 30), " +
        "read from the certificate's own notAfter.",
    enforcementLevel: "advisory",
    source: "RFC 5280 4.1.2.5 (validity, notAfter); terraform-provider-tls early_renewal_hours (a generated certificate is replaced only by a later up)",
    scope: "stack",
    configSchema: {
        properties: {
            withinDays: {
                type: "integer",
                description: "Report a certificate that expires in fewer than this many days.",
                default: DEFAULT_WITHIN_DAYS,
                minimum: 0,
            },
        },
    },
    check(resources, config) {
        const { withinDays } = certificateExpiryConfig(config);
        const now = Date.now();
        const seen = new Set<string>();
        const out: Finding[] = [];
        // generated certificates first, so a certificate also copied into a Secret is reported on its source
        const ordered = [...resources.filter((r) => types.isCertificate(r.type)), ...resources.filter((r) => types.isSecret(r.type))];
        for (const r of ordered) {
            for (const e of readable(pemsOf(r), now)) {
                if (seen.has(e.fingerprint) || e.daysLeft >= withinDays) {
                    seen.add(e.fingerprint);
                    continue;
                }
                seen.add(e.fingerprint);
                const fix = types.isCertificate(r.type)
                    ? "the next pulumi up replaces a generated certificate once it is within pki.earlyRenewalHours; run it, or raise pki.earlyRenewalHours"
                    : "give this Secret a renewed certificate (a provided certificate: its entry in secure-ingress:certificates)";
                out.push({
                    message: `${describe(r)}: certificate CN=${e.subject} (serial ${e.serial}) ${expiryText(e)}, within ${withinDays} days; ${fix}`,
                    resource: r,
                });
            }
        }
        return out;
    },
};
