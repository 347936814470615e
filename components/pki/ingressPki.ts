import * as pulumi from "@pulumi/pulumi";
import { InputLeaves } from "../config/checkArgs";
import { HostConfig, ProvidedCertificate } from "../config/schema";
import { CertificateAuthority } from "./certificateAuthority";
import { HostCertificates, LeafResources } from "./hostCertificates";
import { PkiSettings, serverChain } from "./specs";
import { isMutual } from "../naming";

/** Provided PEMs of one host (each may be an Input). */
export type ProvidedPems = InputLeaves<ProvidedCertificate>;

/** Everything one host's TLS needs, generated or provided. */
export interface HostMaterial {
    host: HostConfig;
    /** Root CA certificate (generated hosts only). */
    rootCertPem?: pulumi.Output<string>;
    /** Intermediate CA certificate (generated hosts only). */
    intermediateCertPem?: pulumi.Output<string>;
    /** The chain that verifies this host's server and client certificates (ca-chain.cert.pem). */
    caChainPem?: pulumi.Output<string>;
    /** The server's own certificate (absent when cert-manager issues it in the cluster). */
    serverCertPem?: pulumi.Output<string>;
    /** What the gateway presents: server certificate plus intermediate (tls.crt); absent for cert-manager hosts. */
    serverChainPem?: pulumi.Output<string>;
    /** The server's private key (secret); absent for cert-manager hosts. */
    serverKeyPem?: pulumi.Output<string>;
    /** Client certificate for the mutual-TLS test. */
    clientCertPem?: pulumi.Output<string>;
    /** Client private key (secret). */
    clientKeyPem?: pulumi.Output<string>;
    /** The CA that signed this host's certificates (generated hosts; one object for every host in caMode shared). */
    ca?: CertificateAuthority;
    /** The host's server and client certificate resources (generated hosts). */
    certificates?: HostCertificates;
}

export interface IngressPkiArgs {
    /** Validated PKI settings: CA mode, key algorithm, validity, subject. */
    pki: PkiSettings;
    /** The hosts to issue certificates for. */
    hosts: HostConfig[];
    /** PEMs for hosts with `certificate: provided`, keyed by host name. */
    provided?: Record<string, ProvidedPems>;
    /** Common name stem of the shared CA (caMode `shared`). */
    sharedCaName?: string;
}

/**
 * A host needs the stack's own CA when @pulumi/tls signs its server certificate, when cert-manager signs it from
 * that CA (no issuerRef), or when its server verifies clients, whose certificates stay @pulumi/tls.
 */
export function needsOwnCa(host: HostConfig): boolean {
    if (host.certificate === "provided") {
        return false;
    }
    return host.certificate === "generated" || host.certManager?.issuerRef === undefined || isMutual(host);
}

/**
 * One CA per host (the task's way) or one shared CA, and server plus client certificates per host. A cert-manager
 * host gets no server certificate here (cert-manager issues it); its client certificate is made when it verifies
 * clients.
 */
export class IngressPki extends pulumi.ComponentResource {
    /** Host name -> its TLS material, in the order of the hosts config. */
    public readonly hosts: Map<string, HostMaterial>;

    /**
     * @param name The _unique_ name of this component.
     * @param args The PKI config and the hosts.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: IngressPkiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ingress:index:IngressPki", name, {}, opts);
        const shared =
            args.pki.caMode === "shared" && args.hosts.some(needsOwnCa)
                ? new CertificateAuthority(
                      `${name}-shared-ca`,
                      { pki: args.pki, commonName: args.sharedCaName ?? "secure-ingress" },
                      { parent: this },
                  )
                : undefined;
        this.hosts = new Map();
        for (const host of args.hosts) {
            const material =
                host.certificate === "provided"
                    ? providedMaterial(
                          host,
                          args.provided && Object.hasOwn(args.provided, host.name) ? args.provided[host.name] : undefined,
                      )
                    : host.certificate === "cert-manager"
                      ? this.forCertManager(name, args.pki, host, shared)
                      : this.generate(name, args.pki, host, shared);
            this.hosts.set(host.name, material);
        }
        this.registerOutputs({});
    }

    private generate(name: string, pki: PkiSettings, host: HostConfig, shared?: CertificateAuthority): HostMaterial {
        const ca = shared ?? new CertificateAuthority(`${name}-${host.name}-ca`, { pki, commonName: host.host }, { parent: this });
        const leaves = new HostCertificates(
            `${name}-${host.name}`,
            { pki, host: host.host, caCertPem: ca.intermediateCertPem, caPrivateKeyPem: ca.intermediateKeyPem },
            { parent: this },
        );
        const server = leaves.server as LeafResources;
        return {
            host,
            rootCertPem: ca.rootCertPem,
            intermediateCertPem: ca.intermediateCertPem,
            caChainPem: ca.caChainPem,
            serverCertPem: server.cert.certPem,
            serverChainPem: pulumi.all([server.cert.certPem, ca.intermediateCertPem]).apply(([s, i]) => serverChain(s, i)),
            serverKeyPem: leaves.serverKeyPem,
            clientCertPem: leaves.clientCertPem,
            clientKeyPem: leaves.clientKeyPem,
            ca,
            certificates: leaves,
        };
    }

    /** The CA (for cert-manager's CA Issuer and for client certificates) and the client tier, never a server leaf. */
    private forCertManager(name: string, pki: PkiSettings, host: HostConfig, shared?: CertificateAuthority): HostMaterial {
        if (!needsOwnCa(host)) {
            return { host };
        }
        const ca = shared ?? new CertificateAuthority(`${name}-${host.name}-ca`, { pki, commonName: host.host }, { parent: this });
        const leaves = isMutual(host)
            ? new HostCertificates(
                  `${name}-${host.name}`,
                  {
                      pki,
                      host: host.host,
                      caCertPem: ca.intermediateCertPem,
                      caPrivateKeyPem: ca.intermediateKeyPem,
                      serverCertificate: false,
                  },
                  { parent: this },
              )
            : undefined;
        return {
            host,
            rootCertPem: ca.rootCertPem,
            intermediateCertPem: ca.intermediateCertPem,
            caChainPem: ca.caChainPem,
            clientCertPem: leaves?.clientCertPem,
            clientKeyPem: leaves?.clientKeyPem,
            ca,
            certificates: leaves,
        };
    }
}

/** Provided PEMs: the key material is always wrapped as a secret, whatever the config marked. */
function providedMaterial(host: HostConfig, pems?: ProvidedPems): HostMaterial {
    if (!pems) {
        throw new Error(`secure-ingress:certificates.${host.name} is missing (validated earlier; this is a bug)`);
    }
    return {
        host,
        caChainPem: pems.caPem === undefined ? undefined : pulumi.output(pems.caPem),
        serverCertPem: pulumi.output(pems.certPem),
        serverChainPem: pulumi.output(pems.certPem),
        serverKeyPem: pulumi.secret(pems.keyPem),
        clientCertPem: pems.clientCertPem === undefined ? undefined : pulumi.output(pems.clientCertPem),
        clientKeyPem: pems.clientKeyPem === undefined ? undefined : pulumi.secret(pems.clientKeyPem),
    };
}
