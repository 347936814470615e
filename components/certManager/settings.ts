// What a cert-manager host's Certificate asks for, with every unset field taken from the stack's PKI settings,
// so a cert-manager certificate is never weaker or longer-lived than a generated one would be.
import { certManagerDefaults, GatewayConfig, HostConfig, IssuerRefConfig, KeyAlgorithm, PkiConfig } from "../config/schema";
import type { InputLeaves } from "../config/checkArgs";
import { caIssuerName, isOwnCaCertManagerHost } from "../naming";
import { goDurationSeconds } from "../durations";

/** Seconds of a duration as cert-manager takes it ("2160h", "1h30m"); NaN when it is not one. */
export function durationSeconds(text: string): number {
    return goDurationSeconds(text) ?? NaN;
}

/** cert-manager's own limits (pkg/apis/certmanager/v1: MinimumCertificateDuration, MinimumRenewBefore). */
export const minimumDurationSeconds = 3600;
export const minimumRenewBeforeSeconds = 300;

/** What the cert-manager builders read: the stack config, or the component's args (whose subject may be Inputs). */
export interface CertManagerSlice {
    hosts: HostConfig[];
    gateway: Pick<GatewayConfig, "secretDelivery" | "workloadNamespace">;
    pki: Pick<PkiConfig, "caMode" | "issuer" | "keyAlgorithm" | "validityHours" | "earlyRenewalHours"> & {
        subject: InputLeaves<PkiConfig["subject"]>;
    };
}

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
export function ownIssuerName(c: Pick<CertManagerSlice, "pki">, host: HostConfig): string {
    return caIssuerName(c.pki.caMode === "shared" ? undefined : host);
}

export function certManagerSettings(c: Pick<CertManagerSlice, "pki">, host: HostConfig): CertManagerSettings {
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

export const certManagerHosts = (c: Pick<CertManagerSlice, "hosts">) => c.hosts.filter((h) => h.certificate === "cert-manager");

/** Hosts whose certificates the stack's own CA Issuer signs. */
export const ownCaHosts = (c: Pick<CertManagerSlice, "hosts">) => c.hosts.filter(isOwnCaCertManagerHost);
