// What a cert-manager host's Certificate asks for, with every unset field taken from the stack's PKI settings,
// so a cert-manager certificate is never weaker or longer-lived than a generated one would be.
import { certManagerDefaults, HostConfig, IssuerRefConfig, KeyAlgorithm, SecureIngressConfig } from "../config/schema";
import { caIssuerName } from "../naming";
import { goDurationSeconds } from "../../policy/rules/cert-manager";

/** Seconds of a duration as cert-manager takes it ("2160h", "1h30m"); NaN when it is not one. */
export function durationSeconds(text: string): number {
    return goDurationSeconds(text) ?? NaN;
}

/** cert-manager's own limits (pkg/apis/certmanager/v1: MinimumCertificateDuration, MinimumRenewBefore). */
export const minimumDurationSeconds = 3600;
export const minimumRenewBeforeSeconds = 300;

export interface CertManagerSettings {
    issuerRef: Required<IssuerRefConfig>;
    /** True when the issuer is the stack's own CA Issuer. */
    ownCa: boolean;
    duration: string;
    renewBefore: string;
    keyAlgorithm: KeyAlgorithm;
    rotationPolicy: "Always" | "Never";
}

/** The stack's CA Issuer a host without an issuerRef uses: its own per-host CA, or the shared one. */
export function ownIssuerName(c: SecureIngressConfig, host: HostConfig): string {
    return caIssuerName(c.pki.caMode === "shared" ? undefined : host);
}

export function certManagerSettings(c: SecureIngressConfig, host: HostConfig): CertManagerSettings {
    const cm = host.certManager ?? certManagerDefaults;
    const ref = cm.issuerRef;
    return {
        issuerRef: ref ?? { name: ownIssuerName(c, host), kind: "Issuer", group: "cert-manager.io" },
        ownCa: ref === undefined,
        duration: cm.duration ?? `${c.pki.validityHours.server}h`,
        renewBefore: cm.renewBefore ?? `${c.pki.earlyRenewalHours}h`,
        keyAlgorithm: cm.privateKey.algorithm ?? c.pki.keyAlgorithm,
        rotationPolicy: cm.privateKey.rotationPolicy,
    };
}

export const certManagerHosts = (c: SecureIngressConfig) => c.hosts.filter((h) => h.certificate === "cert-manager");

/** Hosts whose certificates the stack's own CA Issuer signs. */
export const ownCaHosts = (c: SecureIngressConfig) => certManagerHosts(c).filter((h) => h.certManager?.issuerRef === undefined);
