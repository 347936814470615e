import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { PkiConfig } from "../config/schema";
import { caChain, caSubject, intermediateCertSpec, keySpec, rootCertSpec } from "./specs";

export interface CertificateAuthorityArgs {
    /** Key algorithm, validity and subject of the chain (validated `secure-ingress:pki` config). */
    pki: PkiConfig;
    /** Common name stem: the root is `<commonName> Root CA`, the intermediate `<commonName> Intermediate CA`. */
    commonName: pulumi.Input<string>;
}

/** The task's 1_root and 2_intermediate tiers: a self-signed root CA and an intermediate CA it signs. */
export class CertificateAuthority extends pulumi.ComponentResource {
    /** The root CA certificate (1_root/certs/ca.cert.pem). */
    public readonly rootCertPem: pulumi.Output<string>;
    /** The intermediate CA certificate (2_intermediate/certs/intermediate.cert.pem). */
    public readonly intermediateCertPem: pulumi.Output<string>;
    /** The intermediate's private key, which signs the leaves (secret). */
    public readonly intermediateKeyPem: pulumi.Output<string>;
    /** Intermediate then root: the task's ca-chain.cert.pem. */
    public readonly caChainPem: pulumi.Output<string>;

    /**
     * @param name The _unique_ name of this component.
     * @param args The PKI settings and the CA's common name.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ingress:index:CertificateAuthority", name, {}, opts);
        const key = keySpec(args.pki.keyAlgorithm);
        const rootKey = new tls.PrivateKey(`${name}-root-key`, key, { parent: this });
        const root = new tls.SelfSignedCert(
            `${name}-root`,
            {
                ...rootCertSpec(args.pki),
                subject: pulumi.output(args.commonName).apply((cn) => caSubject(args.pki, `${cn} Root CA`)),
                privateKeyPem: rootKey.privateKeyPem,
            },
            { parent: this },
        );
        const intermediateKey = new tls.PrivateKey(`${name}-intermediate-key`, key, { parent: this });
        const csr = new tls.CertRequest(
            `${name}-intermediate-csr`,
            {
                privateKeyPem: intermediateKey.privateKeyPem,
                subject: pulumi.output(args.commonName).apply((cn) => caSubject(args.pki, `${cn} Intermediate CA`)),
            },
            { parent: this },
        );
        const intermediate = new tls.LocallySignedCert(
            `${name}-intermediate`,
            {
                ...intermediateCertSpec(args.pki),
                certRequestPem: csr.certRequestPem,
                caPrivateKeyPem: rootKey.privateKeyPem,
                caCertPem: root.certPem,
            },
            { parent: this },
        );
        this.rootCertPem = root.certPem;
        this.intermediateCertPem = intermediate.certPem;
        this.intermediateKeyPem = pulumi.secret(intermediateKey.privateKeyPem);
        this.caChainPem = pulumi.all([intermediate.certPem, root.certPem]).apply(([i, r]) => caChain(i, r));
        this.registerOutputs({
            rootCertPem: this.rootCertPem,
            intermediateCertPem: this.intermediateCertPem,
            caChainPem: this.caChainPem,
        });
    }
}
