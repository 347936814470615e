import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { epochSeconds, JwtAlgorithm, jwksDocument, publicJwk, signJwt } from "./token";

export interface SelfIssuerArgs {
    /** The `iss` claim. */
    issuer: pulumi.Input<string>;
    /** The `sub` claim of the test token. */
    subject: pulumi.Input<string>;
    /** The `aud` claim of the test token (omitted when empty). */
    audiences?: pulumi.Input<pulumi.Input<string>[]>;
    /** RS256 (RSA 2048) or EdDSA (Ed25519). Defaults to RS256. */
    algorithm?: JwtAlgorithm;
    /** Token lifetime; the token's iat/nbf/exp are the validity of the issuer's self-signed certificate. */
    tokenLifetimeHours: pulumi.Input<number>;
}

/**
 * A JWT issuer that needs no internet: its signing key lives in state, its JWKS is published inline,
 * and its test token is signed deterministically from state, so a second `pulumi up` changes nothing.
 */
export class SelfIssuer extends pulumi.ComponentResource {
    /** The inline JWKS (JSON) for RequestAuthentication.jwtRules[].jwks. */
    public readonly jwks: pulumi.Output<string>;
    /** Key id of the signing key (RFC 7638 thumbprint). */
    public readonly kid: pulumi.Output<string>;
    /** A signed test token (secret). */
    public readonly token: pulumi.Output<string>;

    /**
     * @param name The _unique_ name of this component.
     * @param args Issuer, subject, audiences, algorithm and lifetime.
     * @param opts A bag of options that control this component's behavior.
     */
    constructor(name: string, args: SelfIssuerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ingress:index:SelfIssuer", name, {}, opts);
        const alg = args.algorithm ?? "RS256";
        const key = new tls.PrivateKey(
            `${name}-signing-key`,
            alg === "RS256" ? { algorithm: "RSA", rsaBits: 2048 } : { algorithm: "ED25519" },
            { parent: this },
        );
        // The certificate's validity pins the token's times in state.
        const validity = new tls.SelfSignedCert(
            `${name}-validity`,
            {
                privateKeyPem: key.privateKeyPem,
                subject: { commonName: args.issuer },
                validityPeriodHours: args.tokenLifetimeHours,
                allowedUses: ["digital_signature"],
            },
            { parent: this },
        );
        const jti = new random.RandomUuid(`${name}-jti`, {}, { parent: this });
        this.jwks = key.publicKeyPem.apply((pem) => jwksDocument(pem, alg));
        this.kid = key.publicKeyPem.apply((pem) => publicJwk(pem, alg).kid);
        this.token = pulumi.secret(
            pulumi
                .all([
                    key.privateKeyPem,
                    this.kid,
                    args.issuer,
                    args.subject,
                    args.audiences ?? [],
                    validity.validityStartTime,
                    validity.validityEndTime,
                    jti.result,
                ])
                .apply(([pem, kid, iss, sub, aud, start, end, id]) =>
                    signJwt(pem, alg, kid, {
                        iss,
                        sub,
                        aud,
                        iat: epochSeconds(start),
                        nbf: epochSeconds(start),
                        exp: epochSeconds(end),
                        jti: id,
                    }),
                ),
        );
        this.registerOutputs({ jwks: this.jwks, kid: this.kid, token: this.token });
    }
}
