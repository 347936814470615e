// Registers the cert-manager objects of a stack: the CA Issuers that hold the stack's own intermediate, and one
// Certificate per cert-manager host, which writes the Secret the gateway reads.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { HostMaterial } from "../pki/ingressPki";
import { registerObject } from "../kubernetes/register";
import { caIssuerObjects, caIssuerPlans, certificateObject, IssuerCa } from "./spec";
import { CertManagerSlice, certManagerHosts, certManagerSettings } from "./settings";
import { servingSecretName } from "../naming";

/** Where a cert-manager host's certificate comes from and where it lands: what `npm run certs` reads back. */
export interface IssuedCertificate {
    /** The namespace of the Certificate and of the Secret it writes (the gateway workload's). */
    namespace: string;
    certificate: string;
    secretName: string;
    issuerRef: { name: string; kind: string; group: string };
    /** True when the stack's own CA signs it: its root is in the `certificates` output. */
    ownCa: boolean;
}

export interface CertManagerResources {
    /** host name -> its Certificate. */
    certificates: Record<string, k8s.apiextensions.CustomResource>;
    /** Issuer name -> the CA Issuer holding the stack's intermediate. */
    issuers: Record<string, k8s.apiextensions.CustomResource>;
    /** Issuer name -> the Secret with that Issuer's intermediate certificate and key. */
    issuerSecrets: Record<string, k8s.core.v1.Secret>;
    /** host name -> where its certificate comes from and lands. */
    issued: Record<string, IssuedCertificate>;
}

function issuerCa(plan: { name: string; hosts: { name: string }[] }, material: Map<string, HostMaterial>): IssuerCa {
    // In caMode shared every host's material holds the same CA object.
    const ca = material.get(plan.hosts[0].name)?.ca;
    if (!ca) {
        throw new Error(`no CA for Issuer ${plan.name} (validated earlier; this is a bug)`);
    }
    return { intermediateCertPem: ca.intermediateCertPem, intermediateKeyPem: ca.intermediateKeyPem, rootCertPem: ca.rootCertPem };
}

/** Issuers first, so a Certificate is never applied before the Issuer it names. */
export function registerCertManager(
    c: CertManagerSlice & { skipAwait: boolean },
    material: Map<string, HostMaterial>,
    opts: pulumi.CustomResourceOptions,
    ready?: pulumi.Output<unknown>,
): CertManagerResources {
    const out: CertManagerResources = { certificates: {}, issuers: {}, issuerSecrets: {}, issued: {} };
    const issuerOf = new Map<string, k8s.apiextensions.CustomResource>();
    for (const plan of caIssuerPlans(c)) {
        const [secret, issuer] = caIssuerObjects(c, plan, issuerCa(plan, material));
        out.issuerSecrets[plan.name] = registerObject(secret, opts);
        const registered = registerObject(issuer, { ...opts, dependsOn: after(ready, [out.issuerSecrets[plan.name]]) });
        out.issuers[plan.name] = registered;
        for (const h of plan.hosts) {
            issuerOf.set(h.name, registered);
        }
    }
    for (const host of certManagerHosts(c)) {
        const cert = certificateObject(c, host);
        const issuer = issuerOf.get(host.name);
        out.certificates[host.host] = registerObject(cert, issuer ? { ...opts, dependsOn: after(ready, [issuer]) } : opts);
        const s = certManagerSettings(c, host);
        out.issued[host.host] = {
            namespace: c.gateway.workloadNamespace,
            certificate: cert.metadata.name,
            secretName: servingSecretName(c, host),
            issuerRef: s.issuerRef,
            ownCa: s.ownCa,
        };
    }
    return out;
}

/** dependsOn these resources, and on `ready` (the args' late checks) when there is one. */
export function after(ready: pulumi.Output<unknown> | undefined, resources: pulumi.Resource[]): pulumi.Input<pulumi.Resource[]> {
    return ready ? ready.apply(() => resources) : resources;
}
