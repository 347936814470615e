// Checks of cert-manager hosts and of the stack's own CA Issuer, after the schema has accepted each field.
import { SecureIngressConfig } from "./schema";
import type { SemanticProblem } from "./validate";
import {
    certManagerHosts,
    certManagerSettings,
    durationSeconds,
    minimumDurationSeconds,
    minimumRenewBeforeSeconds,
    ownCaHosts,
} from "../certManager/settings";

export function certManagerProblems(c: SecureIngressConfig): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const hosts = certManagerHosts(c);
    c.hosts.forEach((h, i) => {
        if (h.certManager !== undefined && h.certificate !== "cert-manager") {
            out.push({
                path: `hosts[${i}].certManager`,
                value: "(settings)",
                message: `is ignored: the host has certificate: ${h.certificate}; set certificate: cert-manager or remove certManager`,
            });
        }
        if (h.certificate !== "cert-manager") {
            return;
        }
        const base = `hosts[${i}].certManager`;
        if (h.certManager?.issuerRef === undefined && c.pki.issuer !== "cert-manager") {
            out.push({
                path: `${base}.issuerRef`,
                value: undefined,
                message:
                    "is missing: name the Issuer or ClusterIssuer that signs this host's certificate, or set pki.issuer: cert-manager to issue it from the stack's own CA",
            });
        }
        const s = certManagerSettings(c, h);
        const duration = durationSeconds(s.duration);
        const renewBefore = durationSeconds(s.renewBefore);
        const from = (own: string | undefined, pki: string) => (own === undefined ? `(from ${pki}) ` : "");
        if (duration < minimumDurationSeconds) {
            out.push({
                path: `${base}.duration`,
                value: s.duration,
                message: `${from(h.certManager?.duration, "pki.validityHours.server")}is shorter than cert-manager's minimum of 1h; give 1h or more`,
            });
        }
        if (renewBefore < minimumRenewBeforeSeconds) {
            out.push({
                path: `${base}.renewBefore`,
                value: s.renewBefore,
                message: `${from(h.certManager?.renewBefore, "pki.earlyRenewalHours")}is shorter than cert-manager's minimum of 5m; give 5m or more`,
            });
        }
        if (renewBefore >= duration) {
            out.push({
                path: `${base}.renewBefore`,
                value: s.renewBefore,
                message: `${from(h.certManager?.renewBefore, "pki.earlyRenewalHours")}must be shorter than the duration ${s.duration}, or cert-manager would renew the certificate in a loop; e.g. a third of it`,
            });
        }
    });
    if (hosts.length > 0 && c.apiLevel === "istio-1.0") {
        // Istio 1.0's Envoy reads mounted certificate files once at start (istio/istio#7479): a renewal cert-manager
        // writes into the Secret is not served until the pods restart, and credentialName (SDS) does not exist yet.
        out.push({
            path: "apiLevel",
            value: c.apiLevel,
            message: `cannot serve cert-manager renewals: Istio 1.0 reads mounted certificates only at start (hosts ${hosts
                .map((h) => h.name)
                .join(", ")}); use apiLevel current with gateway.secretDelivery sds`,
        });
    }
    if (c.pki.issuer === "cert-manager" && ownCaHosts(c).length === 0) {
        out.push({
            path: "pki.issuer",
            value: c.pki.issuer,
            message: "is unused: no host has certificate: cert-manager without an issuerRef; set that on a host or use pki.issuer: tls",
        });
    }
    return out;
}
