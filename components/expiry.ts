// Expiry of PEM certificates, read from the certificates themselves (never from the config that asked for them):
// shared by the certificate-expiry rule, the stack's certificateExpiry output and `fleet outputs`.
import { X509Certificate } from "crypto";

const DAY_MS = 24 * 3600 * 1000;

/** One certificate's identity and expiry. */
export interface CertificateExpiry {
    /** The subject's CN, or the whole subject when it has none. */
    subject: string;
    /** Serial number, upper-case hex as OpenSSL prints it. */
    serial: string;
    /** `notAfter`, ISO 8601 UTC. */
    notAfter: string;
    /** Whole days from `now` to `notAfter`, rounded down; negative once expired. */
    daysLeft: number;
    /** SHA-256 fingerprint, to tell certificates apart. */
    fingerprint: string;
}

/** Every PEM CERTIFICATE block in a string (a chain holds several), in order. */
export function certificateBlocks(text: string): string[] {
    return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Every PEM certificate in a string, parsed; throws on a block that is not a certificate. */
export function pemCertificates(text: string): X509Certificate[] {
    return certificateBlocks(text).map((pem) => new X509Certificate(pem));
}

export function expiryOf(cert: X509Certificate, now: number): CertificateExpiry {
    const notAfter = new Date(cert.validTo);
    return {
        subject: /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ", "),
        serial: cert.serialNumber.toUpperCase(),
        notAfter: notAfter.toISOString(),
        daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
        fingerprint: cert.fingerprint256,
    };
}

/** The expiry of each distinct certificate in the PEM texts (a certificate met twice is listed once). */
export function expiriesOf(pems: readonly string[], now = Date.now()): CertificateExpiry[] {
    const seen = new Set<string>();
    const out: CertificateExpiry[] = [];
    for (const cert of pems.flatMap(pemCertificates)) {
        if (!seen.has(cert.fingerprint256)) {
            seen.add(cert.fingerprint256);
            out.push(expiryOf(cert, now));
        }
    }
    return out;
}

/** "expires <date> (<n> days left)" or "(EXPIRED <n> days ago)". */
export function expiryText(e: Pick<CertificateExpiry, "notAfter" | "daysLeft">): string {
    return `expires ${e.notAfter} (${e.daysLeft < 0 ? `EXPIRED ${-e.daysLeft} days ago` : `${e.daysLeft} days left`})`;
}
