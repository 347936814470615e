// The self-contained issuer's token, checked by an independent JOSE implementation (jose).
import * as assert from "assert";
import { generateKeyPairSync } from "crypto";
import * as jose from "jose";
import { jwksDocument, publicJwk, signJwt, TokenClaims } from "../../components/jwt/token";
import { runProgram, runStack, StackRun } from "../support/harness";
import { istioJwtSamples } from "../support/istioSamples";
import { parseConfig } from "../../components/config/parse";
import { stackConfig } from "../../commands/offline/stacks";

function keyPair(kind: "rsa" | "ed25519") {
    const { privateKey, publicKey } = kind === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ed25519");
    return {
        privatePem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
        publicPem: publicKey.export({ type: "spki", format: "pem" }) as string,
    };
}

const now = Math.floor(Date.now() / 1000);
const claims: TokenClaims = {
    iss: "issuer@test",
    sub: "alice",
    aud: ["secure-ingress"],
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: "8d3c2a52-2f6e-4c0b-9f5d-7f2b4c1e9a10",
};

describe("JWT", () => {
    for (const [kind, alg] of [
        ["rsa", "RS256"],
        ["ed25519", "EdDSA"],
    ] as const) {
        it(`${alg}: the token verifies against the published JWKS with the issuer and audience`, async () => {
            const k = keyPair(kind);
            const jwks = JSON.parse(jwksDocument(k.publicPem, alg));
            const token = signJwt(k.privatePem, alg, jwks.keys[0].kid, claims);
            const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks), {
                issuer: "issuer@test",
                audience: "secure-ingress",
            });
            assert.strictEqual(payload.sub, "alice");
            assert.strictEqual(protectedHeader.alg, alg);
            assert.strictEqual(protectedHeader.kid, jwks.keys[0].kid);
        });
    }

    it("signs deterministically: same key and claims, same token", () => {
        const k = keyPair("rsa");
        assert.strictEqual(signJwt(k.privatePem, "RS256", "kid", claims), signJwt(k.privatePem, "RS256", "kid", claims));
    });

    it("the kid is the RFC 7638 thumbprint jose computes", async () => {
        for (const kind of ["rsa", "ed25519"] as const) {
            const k = keyPair(kind);
            const jwk = publicJwk(k.publicPem, kind === "rsa" ? "RS256" : "EdDSA");
            assert.strictEqual(jwk.kid, await jose.calculateJwkThumbprint(jwk as jose.JWK, "sha256"));
        }
    });

    it("a token signed by another key, for another audience, or expired, is refused", async () => {
        const k = keyPair("rsa");
        const other = keyPair("rsa");
        const jwks = jose.createLocalJWKSet(JSON.parse(jwksDocument(k.publicPem, "RS256")));
        const kid = publicJwk(k.publicPem, "RS256").kid;
        await assert.rejects(jose.jwtVerify(signJwt(other.privatePem, "RS256", kid, claims), jwks), /signature verification failed/);
        await assert.rejects(
            jose.jwtVerify(signJwt(k.privatePem, "RS256", kid, claims), jwks, { audience: "someone-else" }),
            /"aud" claim/,
        );
        await assert.rejects(jose.jwtVerify(signJwt(k.privatePem, "RS256", kid, { ...claims, exp: now - 10 }), jwks), /"exp" claim/);
    });

    describe("self-contained issuer in the dev stack", function () {
        let dev: StackRun;
        before(async () => {
            dev = await runStack("dev");
        });

        it("outputs a token that verifies against the inline JWKS of the RequestAuthentication", async () => {
            const ra = dev.resources.find((r) => r.inputs?.kind === "RequestAuthentication")!;
            const rule = ra.inputs.spec.jwtRules[0];
            assert.strictEqual(rule.issuer, "secure-ingress@dev");
            assert.strictEqual(rule.jwksUri, undefined);
            const { payload } = await jose.jwtVerify(dev.outputs.jwtToken, jose.createLocalJWKSet(JSON.parse(rule.jwks)), {
                issuer: "secure-ingress@dev",
                audience: "secure-ingress",
            });
            assert.strictEqual(payload.sub, "test-user");
            assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
            // Lifetime: the default 8760 hours, pinned by the issuer's certificate in state.
            assert.strictEqual((payload.exp as number) - (payload.iat as number), 8760 * 3600);
        });

        it("takes every claim from state: iat/exp from the issuer certificate, jti from random, kid from the key", async () => {
            const state = (type: string) => dev.resources.find((r) => r.type === type && r.name.includes("jwt-issuer"))!.state;
            const cert = state("tls:index/selfSignedCert:SelfSignedCert");
            const key = state("tls:index/privateKey:PrivateKey");
            const uuid = state("random:index/randomUuid:RandomUuid");
            const payload = jose.decodeJwt(dev.outputs.jwtToken);
            const header = jose.decodeProtectedHeader(dev.outputs.jwtToken);
            assert.strictEqual(payload.iat, Math.floor(Date.parse(cert.validityStartTime) / 1000));
            assert.strictEqual(payload.exp, Math.floor(Date.parse(cert.validityEndTime) / 1000));
            assert.strictEqual(payload.jti, uuid.result);
            const jwk = await jose.exportJWK(await jose.importSPKI(key.publicKeyPem, "RS256"));
            assert.strictEqual(header.kid, await jose.calculateJwkThumbprint(jwk, "sha256"));
        });
    });

    it("accepts Istio's public sample token when the sample issuer's JWKS is given inline", async function () {
        this.timeout(120000);
        const samples = istioJwtSamples();
        const raw = JSON.parse(JSON.stringify(stackConfig("sds")));
        raw["secure-ingress:jwt"] = { enabled: true, issuer: "testing@secure.istio.io", jwks: samples.jwks };
        const run = await runProgram(parseConfig(raw));
        const ra = run.resources.find((r) => r.inputs?.kind === "RequestAuthentication")!;
        const jwks = JSON.parse(ra.inputs.spec.jwtRules[0].jwks);
        // The sample's key id, as the reference records it.
        assert.strictEqual(jwks.keys[0].kid, "DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ");
        const { payload } = await jose.jwtVerify(samples.demoJwt, jose.createLocalJWKSet(jwks), {
            issuer: ra.inputs.spec.jwtRules[0].issuer,
        });
        assert.strictEqual(payload.sub, "testing@secure.istio.io");
        assert.strictEqual(payload.exp, 4685989700);
        // And a token that is not the sample's is refused by the same JWKS.
        const k = keyPair("rsa");
        await assert.rejects(
            jose.jwtVerify(
                signJwt(k.privatePem, "RS256", jwks.keys[0].kid, { ...claims, iss: "testing@secure.istio.io" }),
                jose.createLocalJWKSet(jwks),
            ),
            /signature verification failed/,
        );
    });
});
