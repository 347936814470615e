// The certificateExpiry stack output and `fleet outputs`: each host's certificates with their expiry, read from the
// PEMs in the `certificates` output (what a client of the stack sees), never from the validity asked for.
import { CertificateExpiry, expiriesOf } from "../expiry";

/** One certificate of one host. */
export interface HostCertificateExpiry extends Omit<CertificateExpiry, "fingerprint"> {
    host: string;
    /** The field of `certificates[host]` it was found in first (a chain repeats the root and intermediate). */
    field: string;
}

/** Each certificate of each host once (chains split), in the order of the fields. */
export function certificateExpiry(certificates: Record<string, object | undefined>, now = Date.now()): HostCertificateExpiry[] {
    const out: HostCertificateExpiry[] = [];
    for (const [host, fields] of Object.entries(certificates)) {
        const seen = new Set<string>();
        for (const [field, pem] of Object.entries(fields ?? {})) {
            if (typeof pem !== "string") {
                continue;
            }
            for (const { fingerprint, ...e } of expiriesOf([pem], now)) {
                if (!seen.has(fingerprint)) {
                    seen.add(fingerprint);
                    out.push({ host, field, ...e });
                }
            }
        }
    }
    return out;
}
