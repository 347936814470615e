import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { clientCertSpec, clientCsrSpec, keySpec, PkiSettings, serverCertSpec, serverCsrSpec } from "./specs";

export interface HostCertificatesArgs {
    /** Key algorithm, validity, renewal and subject (validated PKI settings). */
    pki: PkiSettings;
    /** The host name: the server certificate's CN and only DNS SAN, and the client certificate's CN. */
    host: string;
    /** The signing CA's certificate (the intermediate). */
    caCertPem: pulumi.Input<string>;
    /** The signing CA's private key (the intermediate's). */
    caPrivateKeyPem: pulumi.Input<string>;
    /** False when cert-manager issues the server certificate in the cluster: then only the client tier is made. */
    serverCertificate?: boolean;
}

/** One leaf certificate's resources: its key, its request, and the certificate the CA signed. */
export interface LeafResources {
    privateKey: tls.PrivateKey;
    certRequest: tls.CertRequest;
    cert: tls.LocallySignedCert;
}

/** The task's 3_application (server) and 4_client tiers for one host, signed by an intermediate CA. */
export class HostCertificates extends pulumi.ComponentResource {
    /** The server certificate's key, request and certificate (absent when cert-manager issues it). */
    public readonly server?: LeafResources;
    /** The client certificate's key, request and certificate. */
    public readonly client: LeafResources;
    /** Server certificate for the host (3_application/certs/<host>.cert.pem). */
    public readonly serverCertPem?: pulumi.Output<string>;
    /** Server private key (secret). */
    public readonly serverKeyPem?: pulumi.Output<string>;
    /** Client certificate for mutual TLS (4_client/certs/<host>.cert.pem). */
    public readonly clientCertPem: pulumi.Output<string>;
    /** Client private key (secret). */
    public readonly clientKeyPem: pulumi.Output<string>;

    /**
     * @param name The _unique_ name of this component.
     * @param args The host and the CA that signs its certificates.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: HostCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ingress:index:HostCertificates", name, {}, opts);
        const key = keySpec(args.pki.keyAlgorithm);
        const leaf = (
            tier: string,
            csrArgs: Omit<tls.CertRequestArgs, "privateKeyPem">,
            certArgs: Omit<tls.LocallySignedCertArgs, "certRequestPem" | "caCertPem" | "caPrivateKeyPem">,
        ): LeafResources => {
            const privateKey = new tls.PrivateKey(`${name}-${tier}-key`, key, { parent: this });
            const certRequest = new tls.CertRequest(
                `${name}-${tier}-csr`,
                { ...csrArgs, privateKeyPem: privateKey.privateKeyPem },
                { parent: this },
            );
            const cert = new tls.LocallySignedCert(
                `${name}-${tier}`,
                {
                    ...certArgs,
                    certRequestPem: certRequest.certRequestPem,
                    caCertPem: args.caCertPem,
                    caPrivateKeyPem: args.caPrivateKeyPem,
                },
                { parent: this },
            );
            return { privateKey, certRequest, cert };
        };
        if (args.serverCertificate !== false) {
            this.server = leaf("server", serverCsrSpec(args.pki, args.host), serverCertSpec(args.pki));
            this.serverCertPem = this.server.cert.certPem;
            this.serverKeyPem = pulumi.secret(this.server.privateKey.privateKeyPem);
        }
        this.client = leaf("client", clientCsrSpec(args.pki, args.host), clientCertSpec(args.pki));
        this.clientCertPem = this.client.cert.certPem;
        this.clientKeyPem = pulumi.secret(this.client.privateKey.privateKeyPem);
        this.registerOutputs({ serverCertPem: this.serverCertPem, clientCertPem: this.clientCertPem });
    }
}
