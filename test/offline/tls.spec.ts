// The offline tls double, fed the inputs the program's PKI builders produce and read back by OpenSSL and
// node:crypto (never by the double's own library): key forms, the chain's extensions and signatures, the CSR,
// the fields the program reads, and the refusal of everything the double does not cover.
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { TLS_TYPES, tlsMock, UnsupportedInput } from "../../commands/offline/tls";
import { randomMock } from "../../commands/offline/random";
import { unwrapSecrets } from "../../commands/offline/secrets";
import { parseConfig } from "../../components/config/parse";
import * as specs from "../../components/pki/specs";
import { certText, openssl, publicKeyOfKey, Scratch } from "../support/openssl";
import { stackConfig } from "../support/harness";

type State = Record<string, any>;
/** What the double returns for a resource: its state with secrets unwrapped, and its id. */
async function create(type: string, inputs: State): Promise<State> {
    const { id, state } = (await tlsMock(type, inputs))!;
    return { ...unwrapSecrets(state), id };
}

/** The lines of one extension in `openssl x509 -text`: its header line, then its values. */
function extension(text: string, name: string): string[] | undefined {
    const lines = text.split("\n");
    const i = lines.findIndex((l) => l.trim().startsWith(`${name}:`));
    if (i < 0) {
        return undefined;
    }
    const out = [lines[i].trim()];
    for (let j = i + 1; j < lines.length && /^ {16}/.test(lines[j]); j++) {
        out.push(lines[j].trim());
    }
    return out;
}

describe("offline tls double (commands/offline/tls.ts)", function () {
    const scratch = new Scratch();
    after(() => scratch.dispose());
    const pki = parseConfig(stackConfig("dev")).pki as specs.PkiSettings;
    const host = "httpbin.example.com";
    const chain: Record<string, State> = {};

    before(async () => {
        const key = () => create(TLS_TYPES.privateKey, specs.keySpec("ECDSA-P256"));
        const [rootKey, intKey, serverKey] = [await key(), await key(), await key()];
        const subject = specs.caSubject(pki, `${host} Root CA`);
        chain.rootKey = rootKey;
        chain.root = await create(TLS_TYPES.selfSignedCert, { ...specs.rootCertSpec(pki), subject, privateKeyPem: rootKey.privateKeyPem });
        const intCsr = await create(TLS_TYPES.certRequest, {
            privateKeyPem: intKey.privateKeyPem,
            subject: specs.caSubject(pki, `${host} Intermediate CA`),
        });
        const rootCa = { caPrivateKeyPem: rootKey.privateKeyPem, caCertPem: chain.root.certPem };
        chain.inter = await create(TLS_TYPES.locallySignedCert, {
            ...specs.intermediateCertSpec(pki),
            ...rootCa,
            certRequestPem: intCsr.certRequestPem,
        });
        chain.serverCsr = await create(TLS_TYPES.certRequest, {
            ...specs.serverCsrSpec(pki, host),
            privateKeyPem: serverKey.privateKeyPem,
        });
        const intCa = { caPrivateKeyPem: intKey.privateKeyPem, caCertPem: chain.inter.certPem };
        chain.server = await create(TLS_TYPES.locallySignedCert, {
            ...specs.serverCertSpec(pki),
            ...intCa,
            certRequestPem: chain.serverCsr.certRequestPem,
        });
    });

    it("keys: the provider's PEM form per algorithm, publicKeyPem as openssl derives it, privateKeyPem a secret", async () => {
        const cases: [State, string, RegExp][] = [
            [{ algorithm: "RSA", rsaBits: 2048 }, "RSA PRIVATE KEY", /Private-Key: \(2048 bit, 2 primes\)/],
            [{ algorithm: "ECDSA", ecdsaCurve: "P256" }, "EC PRIVATE KEY", /NIST CURVE: P-256/],
            [{ algorithm: "ECDSA", ecdsaCurve: "P384" }, "EC PRIVATE KEY", /NIST CURVE: P-384/],
            [{ algorithm: "ED25519" }, "PRIVATE KEY", /ED25519 Private-Key/],
        ];
        for (const [inputs, pemType, text] of cases) {
            const { state } = (await tlsMock(TLS_TYPES.privateKey, inputs))!;
            const pem: string = unwrapSecrets(state).privateKeyPem;
            assert.notEqual(state.privateKeyPem, pem, "privateKeyPem travels as a secret");
            assert.match(pem, new RegExp(`^-----BEGIN ${pemType}-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END ${pemType}-----\n$`));
            assert.match(openssl(["pkey", "-noout", "-text"], pem).stdout, text);
            assert.equal(state.publicKeyPem, publicKeyOfKey(scratch, pem));
        }
    });

    it("the root is a self-signed CA: critical CA:TRUE, critical cert/CRL signing, SKID = AKID = SHA-1 of the key bits", () => {
        const text = certText(scratch, chain.root.certPem);
        assert.deepEqual(extension(text, "X509v3 Basic Constraints"), ["X509v3 Basic Constraints: critical", "CA:TRUE"]);
        assert.deepEqual(extension(text, "X509v3 Key Usage"), [
            "X509v3 Key Usage: critical",
            "Digital Signature, Certificate Sign, CRL Sign",
        ]);
        const spki = crypto.createPublicKey(chain.rootKey.privateKeyPem).export({ format: "jwk" });
        const point = Buffer.concat([Buffer.from([4]), Buffer.from(spki.x!, "base64url"), Buffer.from(spki.y!, "base64url")]);
        const keyId = crypto.createHash("sha1").update(point).digest("hex").toUpperCase().match(/../g)!.join(":");
        assert.deepEqual(extension(text, "X509v3 Subject Key Identifier"), ["X509v3 Subject Key Identifier:", keyId]);
        assert.equal(extension(text, "X509v3 Authority Key Identifier")![1].replace(/^keyid:/, ""), keyId);
        assert.match(text, /Subject: C ?= ?US, ST ?= ?Denial, O ?= ?Dis, CN ?= ?httpbin\.example\.com Root CA\n/);
        const cert = new crypto.X509Certificate(chain.root.certPem);
        assert.equal(cert.issuer, cert.subject);
        assert.ok(cert.verify(cert.publicKey) && cert.ca);
    });

    it("the intermediate is a CA signed by the root: issuer = root subject, AKID = root SKID, no SAN", () => {
        const root = new crypto.X509Certificate(chain.root.certPem);
        const inter = new crypto.X509Certificate(chain.inter.certPem);
        assert.ok(inter.verify(root.publicKey) && inter.checkIssued(root) && inter.ca);
        assert.equal(inter.subject, "C=US\nST=Denial\nO=Dis\nCN=httpbin.example.com Intermediate CA");
        const rootSkid = extension(certText(scratch, chain.root.certPem), "X509v3 Subject Key Identifier")![1];
        const text = certText(scratch, chain.inter.certPem);
        assert.equal(extension(text, "X509v3 Authority Key Identifier")![1].replace(/^keyid:/, ""), rootSkid);
        assert.equal(extension(text, "X509v3 Subject Alternative Name"), undefined);
    });

    it("the server leaf: subject and SAN from the CSR, CA:FALSE, server EKU, signed by the intermediate", () => {
        const inter = new crypto.X509Certificate(chain.inter.certPem);
        const leaf = new crypto.X509Certificate(chain.server.certPem);
        assert.ok(leaf.verify(inter.publicKey) && !leaf.ca);
        assert.equal(leaf.subject, `C=US\nST=Denial\nL=Springfield\nO=Dis\nCN=${host}`);
        assert.equal(leaf.subjectAltName, `DNS:${host}`);
        assert.equal(leaf.serialNumber, BigInt(chain.server.id).toString(16).toUpperCase().padStart(leaf.serialNumber.length, "0"));
        const text = certText(scratch, chain.server.certPem);
        assert.deepEqual(extension(text, "X509v3 Basic Constraints"), ["X509v3 Basic Constraints: critical", "CA:FALSE"]);
        assert.deepEqual(extension(text, "X509v3 Key Usage"), ["X509v3 Key Usage: critical", "Digital Signature"]);
        assert.deepEqual(extension(text, "X509v3 Extended Key Usage"), ["X509v3 Extended Key Usage:", "TLS Web Server Authentication"]);
        assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
        assert.ok(extension(text, "X509v3 Subject Key Identifier"));
    });

    it("validity: notBefore is validityStartTime (to the second), notAfter is validityPeriodHours later", () => {
        const leaf = new crypto.X509Certificate(chain.server.certPem);
        const start = Date.parse(chain.server.validityStartTime);
        assert.equal(Date.parse(leaf.validFrom), Math.floor(start / 1000) * 1000);
        assert.equal(Date.parse(chain.server.validityEndTime) - start, pki.validityHours.server * 3_600_000);
        assert.equal(Date.parse(leaf.validTo) - Date.parse(leaf.validFrom), pki.validityHours.server * 3_600_000);
        assert.ok(Math.abs(start - Date.now()) < 120_000);
    });

    it("the CSR verifies and requests the subject and the DNS SAN", () => {
        const r = openssl(["req", "-noout", "-verify", "-text"], chain.serverCsr.certRequestPem);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout + r.stderr, /verify OK/i);
        assert.match(r.stdout, /Subject: C ?= ?US, ST ?= ?Denial, L ?= ?Springfield, O ?= ?Dis, CN ?= ?httpbin\.example\.com\n/);
        assert.match(r.stdout, /X509v3 Subject Alternative Name:\s*\n\s*DNS:httpbin\.example\.com\n/);
    });

    it("RSA, P-384 and Ed25519 signers use the provider's algorithms", async () => {
        for (const [inputs, alg] of [
            [{ algorithm: "RSA", rsaBits: 2048 }, "sha256WithRSAEncryption"],
            [{ algorithm: "ECDSA", ecdsaCurve: "P384" }, "ecdsa-with-SHA384"],
            [{ algorithm: "ED25519" }, "ED25519"],
        ] as const) {
            const k = await create(TLS_TYPES.privateKey, inputs);
            const state = await create(TLS_TYPES.selfSignedCert, {
                privateKeyPem: k.privateKeyPem,
                subject: { commonName: "issuer@test" },
                validityPeriodHours: 1,
                allowedUses: ["digital_signature"],
            });
            const cert = new crypto.X509Certificate(state.certPem);
            assert.ok(cert.verify(crypto.createPublicKey(k.privateKeyPem)));
            assert.match(certText(scratch, state.certPem), new RegExp(`Signature Algorithm: ${alg}`));
            assert.equal(extension(certText(scratch, state.certPem), "X509v3 Subject Key Identifier"), undefined);
        }
    });

    it("refuses what it does not cover, naming the input and its value, never a key", async () => {
        const pem = chain.rootKey.privateKeyPem;
        const leafArgs = { privateKeyPem: pem, validityPeriodHours: 1, allowedUses: ["digital_signature"], subject: { commonName: "x" } };
        const cases: [string, State, string][] = [
            [TLS_TYPES.privateKey, { algorithm: "ECDSA" }, "PrivateKey ecdsaCurve = undefined"],
            [TLS_TYPES.privateKey, { algorithm: "ECDSA", ecdsaCurve: "P224" }, 'PrivateKey ecdsaCurve = "P224"'],
            [TLS_TYPES.privateKey, { algorithm: "RSA", rsaBits: 1024 }, "PrivateKey rsaBits = 1024"],
            [TLS_TYPES.selfSignedCert, { ...leafArgs, maxPathLength: 2 }, "SelfSignedCert maxPathLength = 2"],
            [TLS_TYPES.selfSignedCert, { ...leafArgs, allowedUses: ["code_signing"] }, 'SelfSignedCert allowedUses[0] = "code_signing"'],
            [TLS_TYPES.selfSignedCert, { ...leafArgs, subject: { commonName: "x", postalCode: "1" } }, 'subject.postalCode = "1"'],
            [TLS_TYPES.selfSignedCert, { ...leafArgs, setAuthorityKeyId: true }, "setAuthorityKeyId = true"],
            [TLS_TYPES.certRequest, { privateKeyPem: pem, subject: { commonName: "x" }, ipAddresses: ["10.0.0.1"] }, "ipAddresses"],
            [TLS_TYPES.certRequest, { privateKeyPem: `${pem}\n`, subject: { commonName: "x" } }, "privateKeyPem = (a PEM)"],
            ["tls:index/getCertificate:getCertificate", {}, "getCertificate type"],
        ];
        for (const [type, inputs, expected] of cases) {
            await assert.rejects(tlsMock(type, inputs)!, (e: Error) => {
                assert.ok(e instanceof UnsupportedInput, e.message);
                assert.ok(e.message.includes(expected), `${e.message} should name ${expected}`);
                assert.ok(!e.message.includes("BEGIN"), "no PEM in the message");
                return true;
            });
        }
        assert.equal(tlsMock("kubernetes:core/v1:Secret", {}), undefined);
    });

    it("random: RandomUuid results are distinct UUIDs; other random types are refused", () => {
        const a = randomMock("random:index/randomUuid:RandomUuid", {})!;
        const b = randomMock("random:index/randomUuid:RandomUuid", {})!;
        assert.match(a.state.result, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(a.id, a.state.result);
        assert.notEqual(a.state.result, b.state.result);
        assert.throws(() => randomMock("random:index/randomPassword:RandomPassword", { length: 8 }), /RandomPassword is not covered/);
        assert.equal(randomMock(TLS_TYPES.privateKey, {}), undefined);
    });
});
