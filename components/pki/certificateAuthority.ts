import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { caChain, caSubject, intermediateCertSpec, keySpec, PkiSettings, rootCertSpec } from "./specs";

export interface CertificateAuthorityArgs {
    /** Key algorithm, validity and subject of the chain (validated PKI settings). */
    pki: PkiSettings;
    /** Common name stem: the root is `<commonName> Root CA`, the intermediate `<commonName> Intermediate CA`. */
    commonName: pulumi.Input<string>;
}

/** The task's 1_root and 2_intermediate tiers: a self-signed root CA and an intermediate CA it signs. */
export class CertificateAuthority extends pulumi.ComponentResource {
    /** The root CA's private key. */
    public readonly rootKey: tls.PrivateKey;
    /** The self-signed root CA certificate. */
    public readonly root: tls.SelfSignedCert;
    /** The intermediate CA's private key. */
    public readonly intermediateKey: tls.PrivateKey;
    /** The intermediate CA's certificate request. */
    public readonly intermediateCsr: tls.CertRequest;
    /** The intermediate CA certificate, signed by the root. */
    public readonly intermediate: tls.LocallySignedCert;
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
        this.rootKey = new tls.PrivateKey(`${name}-root-key`, key, { parent: this });
        this.root = new tls.SelfSignedCert(
            `${name}-root`,
            {
                ...rootCertSpec(args.pki),
                subject: caSubject(args.pki, pulumi.interpolate`${args.commonName} Root CA`),
                privateKeyPem: this.rootKey.privateKeyPem,
            },
            { parent: this },
        );
        this.intermediateKey = new tls.PrivateKey(`${name}-intermediate-key`, key, { parent: this });
        this.intermediateCsr = new tls.CertRequest(
            `${name}-intermediate-csr`,
            {
                privateKeyPem: this.intermediateKey.privateKeyPem,
                subject: caSubject(args.pki, pulumi.interpolate`${args.commonName} Intermediate CA`),
            },
            { parent: this },
        );
        this.intermediate = new tls.LocallySignedCert(
            `${name}-intermediate`,
            {
                ...intermediateCertSpec(args.pki),
                certRequestPem: this.intermediateCsr.certRequestPem,
                caPrivateKeyPem: this.rootKey.privateKeyPem,
                caCertPem: this.root.certPem,
            },
            { parent: this },
        );
        this.rootCertPem = this.root.certPem;
        this.intermediateCertPem = this.intermediate.certPem;
        this.intermediateKeyPem = pulumi.secret(this.intermediateKey.privateKeyPem);
        this.caChainPem = pulumi.all([this.intermediate.certPem, this.root.certPem]).apply(([i, r]) => caChain(i, r));
        this.registerOutputs({
            rootCertPem: this.rootCertPem,
            intermediateCertPem: this.intermediateCertPem,
            caChainPem: this.caChainPem,
        });
    }
}
