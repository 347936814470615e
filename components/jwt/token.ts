// Deterministic JWT signing and JWKS publication for the self-contained issuer, on Node's crypto.
// RS256 (PKCS#1 v1.5) and EdDSA signatures are deterministic: the same key and claims give the same token.
import { createHash, createPrivateKey, createPublicKey, sign, JsonWebKey } from "crypto";
import { JwtAlgorithm } from "../config/enums";

export { JwtAlgorithm };

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
export function jwkThumbprint(jwk: JsonWebKey): string {
    const members =
        jwk.kty === "RSA"
            ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
            : jwk.kty === "OKP"
              ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
              : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
    return b64url(createHash("sha256").update(JSON.stringify(members)).digest());
}

/** The public JWK of a PEM key, with its thumbprint as `kid`. */
export function publicJwk(publicKeyPem: string, alg: JwtAlgorithm): JsonWebKey & { kid: string; alg: string; use: string } {
    const jwk = createPublicKey(publicKeyPem).export({ format: "jwk" });
    return { ...jwk, kid: jwkThumbprint(jwk), alg, use: "sig" };
}

/** A JWKS document (JSON string) holding one public key. */
export function jwksDocument(publicKeyPem: string, alg: JwtAlgorithm): string {
    return JSON.stringify({ keys: [publicJwk(publicKeyPem, alg)] });
}

export interface TokenClaims {
    iss: string;
    sub: string;
    aud?: string[];
    iat: number;
    nbf: number;
    exp: number;
    jti: string;
}

/** Compact JWS: base64url(header).base64url(payload).base64url(signature). */
export function signJwt(privateKeyPem: string, alg: JwtAlgorithm, kid: string, claims: TokenClaims): string {
    const header = { alg, kid, typ: "JWT" };
    const payload: Record<string, unknown> = { ...claims };
    if (!claims.aud || claims.aud.length === 0) {
        delete payload.aud;
    }
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const key = createPrivateKey(privateKeyPem);
    const signature = alg === "RS256" ? sign("sha256", Buffer.from(input), key) : sign(null, Buffer.from(input), key);
    return `${input}.${b64url(signature)}`;
}

/** Seconds since the epoch of an RFC 3339 timestamp (as the tls provider reports validity). */
export function epochSeconds(rfc3339: string): number {
    const ms = Date.parse(rfc3339);
    if (Number.isNaN(ms)) {
        throw new Error(`not an RFC 3339 time: ${rfc3339}`);
    }
    return Math.floor(ms / 1000);
}
