// An external JWT issuer for the stacks that expect one: a key pair made here, its public JWKS for the stack's
// jwt.jwks, and tokens it signs for the stack's issuer and audiences (jose, not our token code).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as jose from "jose";

export const issuerKeyFile = "issuer-key.jwk.json";

/** The stack config of a `Pulumi.<stack>.yaml` as read raw: does it expect a key set from outside? */
export function needsExternalKeys(raw: Record<string, any>): boolean {
    const jwt = raw["secure-ingress:jwt"] ?? {};
    return jwt.enabled === true && jwt.selfIssued?.enabled !== true && jwt.jwks === undefined && jwt.jwksUri === undefined;
}

/** A fresh RS256 key in `dir` (kept for signing); returns the public JWKS as jwt.jwks takes it (a JSON string). */
export function makeIssuerKey(dir: string): string {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pub = publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string };
    // RFC 7638: SHA-256 over the required members in lexicographic order.
    const kid = crypto
        .createHash("sha256")
        .update(JSON.stringify({ e: pub.e, kty: pub.kty, n: pub.n }))
        .digest("base64url");
    fs.writeFileSync(path.join(dir, issuerKeyFile), JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid }), { mode: 0o600 });
    return JSON.stringify({ keys: [{ ...pub, kid, alg: "RS256", use: "sig" }] });
}

/** A token of the key in `dir` for the stack's issuer and audiences, valid for an hour. */
export async function issueToken(dir: string, raw: Record<string, any>): Promise<string> {
    const jwk = JSON.parse(fs.readFileSync(path.join(dir, issuerKeyFile), "utf8"));
    const jwt = raw["secure-ingress:jwt"];
    const key = await jose.importJWK(jwk, "RS256");
    return new jose.SignJWT({})
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid, typ: "JWT" })
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audiences ?? [])
        .setSubject("e2e-user")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(key);
}
