// Pure builders of the @pulumi/tls arguments for each tier of the task's chain:
// root CA -> intermediate CA -> server (3_application) and client (4_client) certificates.
import * as pulumi from "@pulumi/pulumi";
import { IngressConfig } from "../config/checkArgs";
import { KeyAlgorithm } from "../config/enums";

/** The PKI settings (subject fields may be Inputs). */
export type PkiSettings = IngressConfig["pki"];

export interface KeySpec {
    algorithm: "RSA" | "ECDSA";
    rsaBits?: number;
    ecdsaCurve?: "P256" | "P384";
}

/** Always an explicit curve or size: the provider's ECDSA default is P-224, which TLS stacks reject. */
export function keySpec(alg: KeyAlgorithm): KeySpec {
    switch (alg) {
        case "ECDSA-P256":
            return { algorithm: "ECDSA", ecdsaCurve: "P256" };
        case "ECDSA-P384":
            return { algorithm: "ECDSA", ecdsaCurve: "P384" };
        case "RSA-2048":
            return { algorithm: "RSA", rsaBits: 2048 };
        case "RSA-3072":
            return { algorithm: "RSA", rsaBits: 3072 };
        case "RSA-4096":
            return { algorithm: "RSA", rsaBits: 4096 };
    }
}

export interface SubjectSpec {
    commonName: pulumi.Input<string>;
    country?: pulumi.Input<string>;
    province?: pulumi.Input<string>;
    locality?: pulumi.Input<string>;
    organization?: pulumi.Input<string>;
    organizationalUnit?: pulumi.Input<string>;
}

/** CA subjects carry no locality, as in the task's issuer line (C=US; ST=Denial; O=Dis; CN=...). */
export function caSubject(pki: PkiSettings, commonName: pulumi.Input<string>): SubjectSpec {
    const { country, province, organization, organizationalUnit } = pki.subject;
    return dropUndefined({ commonName, country, province, organization, organizationalUnit });
}

/** Leaf subjects carry the whole configured subject (C=US; ST=Denial; L=Springfield; O=Dis; CN=<host>). */
export function leafSubject(pki: PkiSettings, commonName: pulumi.Input<string>): SubjectSpec {
    return dropUndefined({ ...pki.subject, commonName });
}

function dropUndefined<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** CA tiers must list cert_signing themselves: the provider adds no key usage for isCaCertificate. */
export const caUses = ["cert_signing", "crl_signing", "digital_signature"];

/** keyEncipherment only makes sense for RSA key transport; ECDSA leaves sign only. */
export function leafUses(alg: KeyAlgorithm, purpose: "server_auth" | "client_auth"): string[] {
    return alg.startsWith("RSA") ? ["digital_signature", "key_encipherment", purpose] : ["digital_signature", purpose];
}

/** Root CA settings; its subject comes from caSubject(). */
export function rootCertSpec(pki: PkiSettings) {
    return {
        isCaCertificate: true,
        setSubjectKeyId: true,
        setAuthorityKeyId: true,
        validityPeriodHours: pki.validityHours.root,
        allowedUses: caUses,
    };
}

export function intermediateCertSpec(pki: PkiSettings) {
    return {
        isCaCertificate: true,
        setSubjectKeyId: true,
        validityPeriodHours: pki.validityHours.intermediate,
        allowedUses: caUses,
    };
}

export function serverCsrSpec(pki: PkiSettings, host: string) {
    return { subject: leafSubject(pki, host), dnsNames: [host] };
}

export function serverCertSpec(pki: PkiSettings) {
    return {
        setSubjectKeyId: true,
        validityPeriodHours: pki.validityHours.server,
        earlyRenewalHours: pki.earlyRenewalHours,
        allowedUses: leafUses(pki.keyAlgorithm, "server_auth"),
    };
}

export function clientCsrSpec(pki: PkiSettings, host: string) {
    return { subject: leafSubject(pki, host) };
}

export function clientCertSpec(pki: PkiSettings) {
    return {
        setSubjectKeyId: true,
        validityPeriodHours: pki.validityHours.client,
        earlyRenewalHours: pki.earlyRenewalHours,
        allowedUses: leafUses(pki.keyAlgorithm, "client_auth"),
    };
}

/** The task's ca-chain.cert.pem: intermediate first, then root. */
export function caChain(intermediateCertPem: string, rootCertPem: string): string {
    return ensureNewline(intermediateCertPem) + ensureNewline(rootCertPem);
}

/** What the server presents: its own certificate, then the intermediate that signed it. */
export function serverChain(serverCertPem: string, intermediateCertPem: string): string {
    return ensureNewline(serverCertPem) + ensureNewline(intermediateCertPem);
}

function ensureNewline(pem: string): string {
    return pem.endsWith("\n") ? pem : `${pem}\n`;
}
