import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { PkiConfig } from "../config/schema";
import { clientCertSpec, clientCsrSpec, keySpec, serverCertSpec, serverCsrSpec } from "./specs";

export interface HostCertificatesArgs {
    /** Key algorithm, validity, renewal and subject (validated `secure-ingress:pki` config). */
    pki: PkiConfig;
    /** The host name: the server certificate's CN and only DNS SAN, and the client certificate's CN. */
    host: string;
    /** The signing CA's certificate (the intermediate). */
    caCertPem: pulumi.Input<string>;
    /** The signing CA's private key (the intermediate's). */
    caPrivateKeyPem: pulumi.Input<string>;
}

/** The task's 3_application (server) and 4_client tiers for one host, signed by an intermediate CA. */
export class HostCertificates extends pulumi.ComponentResource {
    /** Server certificate for the host (3_application/certs/<host>.cert.pem). */
    public readonly serverCertPem: pulumi.Output<string>;
    /** Server private key (secret). */
    public readonly serverKeyPem: pulumi.Output<string>;
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
        const leaf = (tier: string, csrArgs: object, certArgs: object) => {
            const privateKey = new tls.PrivateKey(`${name}-${tier}-key`, key, { parent: this });
            const csr = new tls.CertRequest(
                `${name}-${tier}-csr`,
                { ...csrArgs, privateKeyPem: privateKey.privateKeyPem },
                { parent: this },
            );
            const cert = new tls.LocallySignedCert(
                `${name}-${tier}`,
                {
                    ...(certArgs as Omit<tls.LocallySignedCertArgs, "certRequestPem" | "caCertPem" | "caPrivateKeyPem">),
                    certRequestPem: csr.certRequestPem,
                    caCertPem: args.caCertPem,
                    caPrivateKeyPem: args.caPrivateKeyPem,
                },
                { parent: this },
            );
            return { certPem: cert.certPem, keyPem: pulumi.secret(privateKey.privateKeyPem) };
        };
        const server = leaf("server", serverCsrSpec(args.pki, args.host), serverCertSpec(args.pki));
        const client = leaf("client", clientCsrSpec(args.pki, args.host), clientCertSpec(args.pki));
        this.serverCertPem = server.certPem;
        this.serverKeyPem = server.keyPem;
        this.clientCertPem = client.certPem;
        this.clientKeyPem = client.keyPem;
        this.registerOutputs({ serverCertPem: this.serverCertPem, clientCertPem: this.clientCertPem });
    }
}
