/**
 * Tests of the @pulumi/tls double against /work/shared/reference/pulumi-tls-semantics.md.
 * Expectations are computed independently of the double: with the openssl CLI, ssh-keygen, Node's
 * crypto.X509Certificate, and hand-written byte checks.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
    TLS_TYPES,
    TlsProviderError,
    goTrimSpace,
    hashForState,
    isReadyForRenewal,
    isSecretValue,
    parseGoIP,
    tlsMock,
    unwrapSecrets,
} from "../../commands/offline/tls";

const OPENSSL = fs.existsSync("/usr/bin/openssl") ? "/usr/bin/openssl" : "openssl";
const SSH_KEYGEN = ["/usr/bin/ssh-keygen"].find((p) => fs.existsSync(p));

type State = Record<string, any>;
const mk = (type: string, inputs: State): State => tlsMock(type, inputs, { wrapSecrets: false })!.state;
const key = (inputs: State) => mk(TLS_TYPES.privateKey, inputs);
const selfSigned = (inputs: State) => mk(TLS_TYPES.selfSignedCert, inputs);
const csr = (inputs: State) => mk(TLS_TYPES.certRequest, inputs);
const signed = (inputs: State) => mk(TLS_TYPES.locallySignedCert, inputs);

let tmp: string;
let counter = 0;
function file(content: string, mode = 0o600): string {
    const p = path.join(tmp, `f${counter++}.pem`);
    fs.writeFileSync(p, content, { mode });
    return p;
}
function openssl(...args: string[]): string {
    return execFileSync(OPENSSL, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
function x509Text(pem: string): string {
    return openssl("x509", "-noout", "-text", "-in", file(pem));
}
function verify(purpose: string, root: string, leaf: string, intermediate?: string): { ok: boolean; out: string } {
    const args = ["verify", "-purpose", purpose, "-CAfile", file(root)];
    if (intermediate) {
        args.push("-untrusted", file(intermediate));
    }
    args.push(file(leaf));
    const r = spawnSync(OPENSSL, args, { encoding: "utf8" });
    return { ok: r.status === 0, out: r.stdout + r.stderr };
}
function derOf(pem: string): Buffer {
    return Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
}
/** Text of one extension block in `openssl x509 -text` (header line + value lines). */
function extBlock(text: string, name: string): string | undefined {
    const lines = text.split("\n");
    const i = lines.findIndex((l) => l.trim().startsWith(`${name}:`));
    if (i < 0) {
        return undefined;
    }
    const out = [lines[i].trim()];
    for (let j = i + 1; j < lines.length && /^ {16}/.test(lines[j]); j++) {
        out.push(lines[j].trim());
    }
    return out.join("\n");
}
function asn1Parse(pem: string): string {
    return openssl("asn1parse", "-in", file(pem));
}
function expectProviderError(fn: () => unknown, re: RegExp) {
    assert.throws(fn, (e: unknown) => e instanceof TlsProviderError && re.test(e.message));
}
/** Go strings.TrimSpace at the end of a DER (which starts with 0x30, so only trailing bytes matter):
 *  ASCII whitespace and the UTF-8 encodings of Unicode White_Space characters. */
function trimGoSpaceEnd(b: Buffer): Buffer {
    const seqs = [
        "09",
        "0a",
        "0b",
        "0c",
        "0d",
        "20",
        "c285",
        "c2a0",
        "e19a80",
        "e28080",
        "e28081",
        "e28082",
        "e28083",
        "e28084",
        "e28085",
        "e28086",
        "e28087",
        "e28088",
        "e28089",
        "e2808a",
        "e280a8",
        "e280a9",
        "e280af",
        "e2819f",
        "e38080",
    ].map((h) => Buffer.from(h, "hex"));
    let e = b.length;
    for (let again = true; again;) {
        again = false;
        for (const q of seqs) {
            if (e >= q.length && b.subarray(e - q.length, e).equals(q)) {
                e -= q.length;
                again = true;
                break;
            }
        }
    }
    return b.subarray(0, e);
}
const sha1 = (b: Buffer) => crypto.createHash("sha1").update(b).digest();
const colonHex = (b: Buffer) => b.toString("hex").toUpperCase().match(/../g)!.join(":");

describe("tls double (commands/offline/tls.ts)", function () {
    this.timeout(60_000);

    // A chain like the program's: root (ECDSA P-256) → intermediate (RSA 2048, via CSR) → server (P-256) / client (Ed25519)
    let rootKey: State, root: State, intKey: State, intCsr: State, inter: State;
    let serverKey: State, serverCsr: State, server: State, clientKey: State, client: State;

    before(function () {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tls-double-"));
        rootKey = key({ algorithm: "ECDSA", ecdsaCurve: "P256" });
        root = selfSigned({
            privateKeyPem: rootKey.privateKeyPem,
            subject: { commonName: "example.com root", organization: "example Inc." },
            validityPeriodHours: 87600,
            allowedUses: ["cert_signing", "crl_signing"],
            isCaCertificate: true,
        });
        intKey = key({ algorithm: "RSA" });
        intCsr = csr({
            privateKeyPem: intKey.privateKeyPem,
            subject: { commonName: "example.com intermediate", organization: "example Inc." },
        });
        inter = signed({
            certRequestPem: intCsr.certRequestPem,
            caPrivateKeyPem: rootKey.privateKeyPem,
            caCertPem: root.certPem,
            validityPeriodHours: 8760,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            isCaCertificate: true,
        });
        serverKey = key({ algorithm: "ECDSA", ecdsaCurve: "P256" });
        serverCsr = csr({
            privateKeyPem: serverKey.privateKeyPem,
            subject: { commonName: "httpbin.example.com", organization: "httpbin organization" },
            dnsNames: ["httpbin.example.com"],
        });
        server = signed({
            certRequestPem: serverCsr.certRequestPem,
            caPrivateKeyPem: intKey.privateKeyPem,
            caCertPem: inter.certPem,
            validityPeriodHours: 720,
            allowedUses: ["key_encipherment", "digital_signature", "server_auth"],
        });
        clientKey = key({ algorithm: "ED25519" });
        client = signed({
            certRequestPem: csr({ privateKeyPem: clientKey.privateKeyPem, subject: { commonName: "client.example.com" } }).certRequestPem,
            caPrivateKeyPem: intKey.privateKeyPem,
            caCertPem: inter.certPem,
            validityPeriodHours: 720,
            allowedUses: ["digital_signature", "client_auth"],
        });
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("returns undefined for types it does not handle", () => {
        assert.equal(tlsMock("random:index/randomId:RandomId", {}), undefined);
        assert.equal(tlsMock("tls:index/getCertificate:getCertificate", {}), undefined);
    });

    describe("Go helpers", () => {
        it("hashForState trims Go whitespace (ASCII and Unicode) around binary DER before SHA-1", () => {
            const b = (h: string) => Buffer.from(h, "hex");
            assert.equal(goTrimSpace(b("3001200a")).toString("hex"), "3001");
            assert.equal(goTrimSpace(b("0a3001")).toString("hex"), "3001");
            assert.equal(goTrimSpace(b("3001c2a0")).toString("hex"), "3001");
            assert.equal(goTrimSpace(b("3001e28080")).toString("hex"), "3001");
            assert.equal(goTrimSpace(b("300185")).toString("hex"), "300185", "a lone 0x85 is invalid UTF-8, not NEL");
            assert.equal(goTrimSpace(b("3001a0")).toString("hex"), "3001a0");
            assert.equal(hashForState(b("30020d0a")), sha1(b("3002")).toString("hex"));
        });
        it("IP parsing follows net.ParseIP + To4", () => {
            assert.equal(parseGoIP("10.0.0.1")!.toString("hex"), "0a000001");
            assert.equal(parseGoIP("::ffff:10.0.0.1")!.toString("hex"), "0a000001");
            assert.equal(parseGoIP("::")!.toString("hex"), "0".repeat(32));
            assert.equal(parseGoIP("2001:db8::8:1")!.toString("hex"), "20010db8000000000000000000080001");
            for (const bad of ["01.2.3.4", "1.2.3", "256.1.1.1", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3", "example.com", ""]) {
                assert.equal(parseGoIP(bad), undefined, bad);
            }
        });
        it("KeyUsage DER matches Go's marshalKeyUsage bytes", () => {
            const kuDer = (uses: string[]) => {
                const c = selfSigned({ privateKeyPem: clientKey.privateKeyPem, validityPeriodHours: 1, allowedUses: uses });
                const der = derOf(c.certPem);
                // Extension: 06 03 55 1d 0f | 01 01 ff | 04 len <BIT STRING>
                const i = der.indexOf(Buffer.from("0603551d0f0101ff04", "hex"));
                assert.ok(i > 0);
                const len = der[i + 9];
                return der.subarray(i + 10, i + 10 + len).toString("hex");
            };
            assert.equal(kuDer(["digital_signature", "key_encipherment"]), "030205a0");
            assert.equal(kuDer(["cert_signing", "crl_signing"]), "03020106");
            assert.equal(kuDer(["digital_signature"]), "03020780");
            assert.equal(kuDer(["decipher_only"]), "0303070080");
            assert.equal(kuDer(["digital_signature", "decipher_only", "server_auth"]), "0303078080");
        });
    });

    describe("PrivateKey", () => {
        it("RSA: default 2048 bits, PKCS#1 PEM, PKCS#8 PEM, SPKI public key, id = SHA-1 of the SPKI DER", () => {
            assert.equal(intKey.rsaBits, 2048);
            assert.equal(intKey.ecdsaCurve, "P224", "schema default present in state even for RSA");
            assert.match(intKey.privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
            assert.match(intKey.privateKeyPemPkcs8, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
            assert.match(intKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
            const text = openssl("pkey", "-in", file(intKey.privateKeyPem), "-noout", "-text");
            assert.match(text, /Private-Key: \(2048 bit, 2 primes\)/);
            // same key in both encodings, and publicKeyPem is its public half
            const pub1 = openssl("pkey", "-in", file(intKey.privateKeyPem), "-pubout");
            assert.equal(openssl("pkey", "-in", file(intKey.privateKeyPemPkcs8), "-pubout"), pub1);
            assert.equal(intKey.publicKeyPem, pub1);
            const spki = execFileSync(OPENSSL, ["pkey", "-in", file(intKey.privateKeyPem), "-pubout", "-outform", "DER"]);
            assert.equal(intKey.id, sha1(trimGoSpaceEnd(spki)).toString("hex"));
            for (const l of intKey.privateKeyPem.trim().split("\n").slice(1, -1)) {
                assert.ok(l.length <= 64);
            }
        });

        it("ECDSA defaults to P-224 (SEC1 PEM) and has empty OpenSSH outputs", () => {
            const k = key({ algorithm: "ECDSA" });
            assert.equal(k.ecdsaCurve, "P224");
            assert.equal(k.rsaBits, 2048);
            assert.match(k.privateKeyPem, /^-----BEGIN EC PRIVATE KEY-----\n/);
            assert.match(openssl("pkey", "-in", file(k.privateKeyPem), "-noout", "-text"), /NIST CURVE: P-224/);
            assert.match(k.privateKeyPemPkcs8, /^-----BEGIN PRIVATE KEY-----\n/);
            for (const f of ["privateKeyOpenssh", "publicKeyOpenssh", "publicKeyFingerprintMd5", "publicKeyFingerprintSha256"]) {
                assert.equal(k[f], "", f);
            }
        });

        it("ED25519 uses a PKCS#8 'PRIVATE KEY' block for privateKeyPem", () => {
            assert.match(clientKey.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
            assert.equal(clientKey.privateKeyPem, clientKey.privateKeyPemPkcs8);
            assert.match(openssl("pkey", "-in", file(clientKey.privateKeyPem), "-noout", "-text"), /ED25519 Private-Key/);
        });

        it("OpenSSH outputs (P-256, Ed25519, RSA) match ssh-keygen", function () {
            if (!SSH_KEYGEN) {
                this.skip();
            }
            for (const k of [rootKey, clientKey, intKey]) {
                assert.match(k.privateKeyOpenssh, /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+-----END OPENSSH PRIVATE KEY-----\n$/);
                assert.ok(k.publicKeyOpenssh.endsWith("\n"));
                const derived: string = execFileSync(SSH_KEYGEN!, ["-y", "-f", file(k.privateKeyOpenssh)], { encoding: "utf8" });
                assert.equal(derived.trim(), k.publicKeyOpenssh.trim());
                const pubFile = file(k.publicKeyOpenssh);
                const sha: string = execFileSync(SSH_KEYGEN!, ["-l", "-E", "sha256", "-f", pubFile], { encoding: "utf8" });
                const md5: string = execFileSync(SSH_KEYGEN!, ["-l", "-E", "md5", "-f", pubFile], { encoding: "utf8" });
                assert.equal(sha.split(" ")[1], k.publicKeyFingerprintSha256);
                assert.equal(md5.split(" ")[1], `MD5:${k.publicKeyFingerprintMd5}`);
            }
            assert.match(rootKey.publicKeyOpenssh, /^ecdsa-sha2-nistp256 /);
            assert.match(clientKey.publicKeyOpenssh, /^ssh-ed25519 /);
            assert.match(intKey.publicKeyOpenssh, /^ssh-rsa /);
        });

        it("rejects unknown algorithms and curves", () => {
            expectProviderError(() => key({ algorithm: "DSA" }), /algorithm value must be one of/);
            expectProviderError(() => key({ algorithm: "ECDSA", ecdsaCurve: "P192" }), /ecdsa_curve value must be one of/);
            expectProviderError(() => key({ algorithm: "RSA", rsaBits: 512 }), /512-bit keys are insecure/);
        });
    });

    describe("certificate chain (openssl verify)", () => {
        it("root → intermediate → server verifies for sslserver, client for sslclient", () => {
            const s = verify("sslserver", root.certPem, server.certPem, inter.certPem);
            assert.ok(s.ok, s.out);
            const c = verify("sslclient", root.certPem, client.certPem, inter.certPem);
            assert.ok(c.ok, c.out);
            // EKUs matter: the server certificate (server_auth only) is not a TLS client certificate
            assert.equal(verify("sslclient", root.certPem, server.certPem, inter.certPem).ok, false);
            assert.equal(verify("sslserver", root.certPem, client.certPem, inter.certPem).ok, false);
            // and Node agrees on the issuer links
            const [r, i, l] = [root, inter, server].map((x) => new crypto.X509Certificate(x.certPem));
            assert.ok(l.checkIssued(i) && l.verify(i.publicKey));
            assert.ok(i.checkIssued(r) && i.verify(r.publicKey));
        });

        it("an intermediate WITHOUT cert_signing (but with a KeyUsage extension) fails verification", () => {
            const badInter = signed({
                certRequestPem: intCsr.certRequestPem,
                caPrivateKeyPem: rootKey.privateKeyPem,
                caCertPem: root.certPem,
                validityPeriodHours: 100,
                allowedUses: ["digital_signature", "crl_signing"],
                isCaCertificate: true, // isCaCertificate does not add keyCertSign
            });
            assert.doesNotMatch(extBlock(x509Text(badInter.certPem), "X509v3 Key Usage")!, /Certificate Sign/);
            const leaf = signed({
                certRequestPem: serverCsr.certRequestPem,
                caPrivateKeyPem: intKey.privateKeyPem,
                caCertPem: badInter.certPem,
                validityPeriodHours: 100,
                allowedUses: ["digital_signature", "server_auth"],
            });
            const r = verify("sslserver", root.certPem, leaf.certPem, badInter.certPem);
            assert.equal(r.ok, false, r.out);
            assert.match(r.out, /key usage does not include certificate signing/);
        });
    });

    describe("extensions", () => {
        it("KeyUsage is critical; EKU keeps input order and duplicates; no KU when only EKUs", () => {
            const text = x509Text(server.certPem);
            assert.equal(extBlock(text, "X509v3 Key Usage"), "X509v3 Key Usage: critical\nDigital Signature, Key Encipherment");
            const leaf = signed({
                certRequestPem: serverCsr.certRequestPem,
                caPrivateKeyPem: intKey.privateKeyPem,
                caCertPem: inter.certPem,
                validityPeriodHours: 1,
                allowedUses: ["client_auth", "server_auth", "client_auth", "code_signing"],
            });
            const t2 = x509Text(leaf.certPem);
            assert.equal(extBlock(t2, "X509v3 Key Usage"), undefined);
            assert.equal(
                extBlock(t2, "X509v3 Extended Key Usage"),
                "X509v3 Extended Key Usage:\nTLS Web Client Authentication, TLS Web Server Authentication, TLS Web Client Authentication, Code Signing",
            );
            // empty allowedUses: neither KU nor EKU
            const none = x509Text(signed({ ...leafArgs(), allowedUses: [] }).certPem);
            assert.equal(extBlock(none, "X509v3 Key Usage"), undefined);
            assert.equal(extBlock(none, "X509v3 Extended Key Usage"), undefined);
        });

        it("every certificate carries a critical BasicConstraints (CA:FALSE on leaves)", () => {
            assert.equal(extBlock(x509Text(server.certPem), "X509v3 Basic Constraints"), "X509v3 Basic Constraints: critical\nCA:FALSE");
            assert.equal(extBlock(x509Text(client.certPem), "X509v3 Basic Constraints"), "X509v3 Basic Constraints: critical\nCA:FALSE");
            assert.equal(extBlock(x509Text(root.certPem), "X509v3 Basic Constraints"), "X509v3 Basic Constraints: critical\nCA:TRUE");
            const ss = selfSigned({ privateKeyPem: serverKey.privateKeyPem, validityPeriodHours: 1, allowedUses: [], dnsNames: ["a"] });
            assert.equal(extBlock(x509Text(ss.certPem), "X509v3 Basic Constraints"), "X509v3 Basic Constraints: critical\nCA:FALSE");
            assert.equal(new crypto.X509Certificate(ss.certPem).ca, false);
        });

        it("maxPathLength: >0 gives pathlen, 0 behaves like -1, non-CA with a path length errors", () => {
            const base = {
                privateKeyPem: rootKey.privateKeyPem,
                subject: { commonName: "ca" },
                validityPeriodHours: 1,
                allowedUses: ["cert_signing"],
                isCaCertificate: true,
            };
            const bc = (extra: State) => extBlock(x509Text(selfSigned({ ...base, ...extra }).certPem), "X509v3 Basic Constraints");
            assert.equal(bc({ maxPathLength: 2 }), "X509v3 Basic Constraints: critical\nCA:TRUE, pathlen:2");
            assert.equal(bc({ maxPathLength: 0 }), "X509v3 Basic Constraints: critical\nCA:TRUE");
            assert.equal(bc({}), "X509v3 Basic Constraints: critical\nCA:TRUE");
            assert.equal(selfSigned(base).maxPathLength, -1);
            expectProviderError(() => signed({ ...leafArgs(), maxPathLength: 1 }), /only CAs are allowed to specify MaxPathLen/);
            assert.equal(
                extBlock(x509Text(signed({ ...leafArgs(), maxPathLength: 0 }).certPem), "X509v3 Basic Constraints"),
                "X509v3 Basic Constraints: critical\nCA:FALSE",
            );
            expectProviderError(() => selfSigned({ ...base, maxPathLength: -2 }), /max_path_length value must be at least -1/);
        });

        it("SKID on CAs (SHA-1 of the key bits; Ed25519 quirk) and with setSubjectKeyId; none on plain leaves", () => {
            const spkiBits = (pem: string) => {
                const der = new crypto.X509Certificate(pem).publicKey.export({ format: "der", type: "spki" });
                return der; // bit string content is the tail after the header; computed per type below
            };
            // root is ECDSA P-256: uncompressed point = last 65 bytes of the SPKI
            const rootSkid = sha1(spkiBits(root.certPem).subarray(-65));
            assert.equal(
                extBlock(x509Text(root.certPem), "X509v3 Subject Key Identifier"),
                `X509v3 Subject Key Identifier:\n${colonHex(rootSkid)}`,
            );
            // intermediate is RSA: PKCS#1 RSAPublicKey
            const rsaPkcs1 = new crypto.X509Certificate(inter.certPem).publicKey.export({ format: "der", type: "pkcs1" });
            assert.equal(
                extBlock(x509Text(inter.certPem), "X509v3 Subject Key Identifier"),
                `X509v3 Subject Key Identifier:\n${colonHex(sha1(rsaPkcs1))}`,
            );
            // Ed25519: SHA-1 of 04 20 || key (not of the raw 32 bytes)
            const ed = selfSigned({
                privateKeyPem: clientKey.privateKeyPem,
                subject: { commonName: "ed" },
                validityPeriodHours: 1,
                allowedUses: [],
                setSubjectKeyId: true,
            });
            const raw = spkiBits(ed.certPem).subarray(-32);
            const skid = extBlock(x509Text(ed.certPem), "X509v3 Subject Key Identifier")!;
            assert.equal(skid, `X509v3 Subject Key Identifier:\n${colonHex(sha1(Buffer.concat([Buffer.from([0x04, 0x20]), raw])))}`);
            assert.notEqual(skid.split("\n")[1], colonHex(sha1(raw)));
            assert.equal(extBlock(x509Text(server.certPem), "X509v3 Subject Key Identifier"), undefined);
            const withSkid = signed({ ...leafArgs(), setSubjectKeyId: true });
            assert.ok(extBlock(x509Text(withSkid.certPem), "X509v3 Subject Key Identifier"));
        });

        it("AKID: self-signed only with setAuthorityKeyId (= own SKID); locally-signed = CA SKID unless the DNs are equal", () => {
            assert.equal(extBlock(x509Text(root.certPem), "X509v3 Authority Key Identifier"), undefined);
            const withAkid = x509Text(
                selfSigned({
                    privateKeyPem: rootKey.privateKeyPem,
                    subject: { commonName: "r" },
                    validityPeriodHours: 1,
                    allowedUses: ["cert_signing"],
                    isCaCertificate: true,
                    setAuthorityKeyId: true,
                }).certPem,
            );
            const skid = extBlock(withAkid, "X509v3 Subject Key Identifier")!.split("\n")[1];
            assert.equal(
                extBlock(withAkid, "X509v3 Authority Key Identifier")!
                    .split("\n")[1]
                    .replace(/^keyid:/, ""),
                skid,
            );
            expectProviderError(
                () =>
                    selfSigned({
                        privateKeyPem: rootKey.privateKeyPem,
                        subject: { commonName: "r" },
                        validityPeriodHours: 1,
                        allowedUses: [],
                        setAuthorityKeyId: true,
                    }),
                /Invalid Certificate Authority: Could not determine Authority Key Identifier/,
            );
            const interSkid = extBlock(x509Text(inter.certPem), "X509v3 Subject Key Identifier")!.split("\n")[1];
            assert.equal(
                extBlock(x509Text(server.certPem), "X509v3 Authority Key Identifier")!
                    .split("\n")[1]
                    .replace(/^keyid:/, ""),
                interSkid,
            );
            // same subject as the CA → no AKID
            const same = signed({
                certRequestPem: csr({
                    privateKeyPem: serverKey.privateKeyPem,
                    subject: { commonName: "example.com intermediate", organization: "example Inc." },
                }).certRequestPem,
                caPrivateKeyPem: intKey.privateKeyPem,
                caCertPem: inter.certPem,
                validityPeriodHours: 1,
                allowedUses: [],
            });
            assert.equal(extBlock(x509Text(same.certPem), "X509v3 Authority Key Identifier"), undefined);
            // CA without SKID (self-signed non-CA used as issuer) → no AKID; isCA false is only a warning
            const plainIssuer = selfSigned({
                privateKeyPem: rootKey.privateKeyPem,
                subject: { commonName: "plain" },
                validityPeriodHours: 1,
                allowedUses: [],
            });
            const l = signed({ ...leafArgs(), caPrivateKeyPem: rootKey.privateKeyPem, caCertPem: plainIssuer.certPem });
            assert.equal(extBlock(x509Text(l.certPem), "X509v3 Authority Key Identifier"), undefined);
        });

        it("SAN present only with names, critical only when the subject is empty; IPv4 in 4 bytes", () => {
            const t = x509Text(server.certPem);
            assert.equal(extBlock(t, "X509v3 Subject Alternative Name"), "X509v3 Subject Alternative Name:\nDNS:httpbin.example.com");
            assert.equal(extBlock(x509Text(root.certPem), "X509v3 Subject Alternative Name"), undefined);
            const ss = selfSigned({
                privateKeyPem: serverKey.privateKeyPem,
                validityPeriodHours: 1,
                allowedUses: [],
                dnsNames: ["a.example"],
                ipAddresses: ["10.1.2.3", "::ffff:192.0.2.1", "2001:db8::1"],
                uris: ["spiffe://cluster.local/ns/x"],
            });
            assert.equal(
                extBlock(x509Text(ss.certPem), "X509v3 Subject Alternative Name"),
                "X509v3 Subject Alternative Name: critical\nDNS:a.example, IP Address:10.1.2.3, IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1, URI:spiffe://cluster.local/ns/x",
            );
            assert.ok(derOf(ss.certPem).includes(Buffer.from([0x87, 0x04, 10, 1, 2, 3])));
            assert.ok(derOf(ss.certPem).includes(Buffer.from([0x87, 0x04, 192, 0, 2, 1])));
        });
    });

    describe("names, issuer, validity, serial, signature", () => {
        it("subject is encoded in Go's order with PrintableString/UTF8String, emailAddress last (IA5String)", () => {
            const k = key({ algorithm: "ED25519" });
            const c = selfSigned({
                privateKeyPem: k.privateKeyPem,
                validityPeriodHours: 1,
                allowedUses: [],
                subject: {
                    serialNumber: "42",
                    commonName: "Zürich CN",
                    organizationalUnit: "ou",
                    organization: "A & B",
                    postalCode: "8000",
                    streetAddresses: ["st 2", "st 1"],
                    locality: "L",
                    province: "ZH",
                    country: "CH",
                    emailAddress: "x@example.com",
                },
            });
            const subj = openssl("x509", "-noout", "-subject", "-nameopt", "RFC2253,utf8,-esc_msb", "-in", file(c.certPem));
            // RFC 2253 prints the RDNs in reverse (last first): DER order is C, ST, L, STREET, postalCode, O, OU, CN,
            // SERIALNUMBER, emailAddress; the two street addresses form one multi-valued RDN
            assert.equal(
                subj.trim(),
                "subject=emailAddress=x@example.com,serialNumber=42,CN=Zürich CN,OU=ou,O=A & B,postalCode=8000,street=st 2+street=st 1,L=L,ST=ZH,C=CH",
            );
            const a = asn1Parse(c.certPem);
            // inside the multi-valued RDN the SET OF is DER-sorted ("st 1" before "st 2" although given in reverse)
            assert.ok(a.indexOf(":st 1") < a.indexOf(":st 2"));
            assert.match(a, /cons: SET\s*\n.*cons: SEQUENCE\s*\n.*streetAddress\s*\n.*:st 1\s*\n.*cons: SEQUENCE\s*\n.*streetAddress/);
            assert.match(a, /UTF8STRING\s+:Z/); // non-printable ü
            assert.match(a, /UTF8STRING\s+:A & B/); // '&' is not in PrintableString
            assert.match(a, /PRINTABLESTRING\s+:CH/);
            assert.match(a, /IA5STRING\s+:x@example.com/);
        });

        it("locally-signed: subject and SANs from the CSR, emailAddress dropped; issuer = CA subject bytes", () => {
            const req = csr({
                privateKeyPem: serverKey.privateKeyPem,
                subject: { commonName: "svc", emailAddress: "svc@example.com", country: "US" },
                dnsNames: ["svc.example"],
                ipAddresses: ["127.0.0.1"],
            });
            const reqText = openssl("req", "-in", file(req.certRequestPem), "-verify", "-noout", "-text");
            assert.match(reqText, /emailAddress = svc@example.com/);
            const c = signed({
                certRequestPem: req.certRequestPem,
                caPrivateKeyPem: intKey.privateKeyPem,
                caCertPem: inter.certPem,
                validityPeriodHours: 1,
                allowedUses: [],
            });
            const x = new crypto.X509Certificate(c.certPem);
            assert.equal(x.subject, "C=US\nCN=svc");
            assert.equal(x.subjectAltName, "DNS:svc.example, IP Address:127.0.0.1");
            assert.equal(x.issuer, new crypto.X509Certificate(inter.certPem).subject);
            const nameHash = (pem: string, which: string) => openssl("x509", "-noout", which, "-in", file(pem)).trim();
            assert.equal(nameHash(c.certPem, "-issuer_hash"), nameHash(inter.certPem, "-subject_hash"));
            assert.ok(x.checkIssued(new crypto.X509Certificate(inter.certPem)));
        });

        it("issuer is the CA's exact subject bytes, also for a CA made by openssl (UTF8String names, PKCS#8 key)", () => {
            const caKeyFile = path.join(tmp, "ext-ca.key");
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKeyFile);
            const caFile = path.join(tmp, "ext-ca.pem");
            openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                caKeyFile,
                "-subj",
                "/O=Ext Org/CN=Ext CA",
                "-days",
                "1",
                "-out",
                caFile,
                "-addext",
                "keyUsage=critical,keyCertSign",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
            );
            const caPem = fs.readFileSync(caFile, "utf8");
            const leaf = signed({ ...leafArgs(), caPrivateKeyPem: fs.readFileSync(caKeyFile, "utf8"), caCertPem: caPem });
            assert.equal(leaf.caKeyAlgorithm, "ECDSA");
            // tbsCertificate fields: [0]version, serial, sigAlg, issuer, validity, subject
            const tbsFields = (pem: string) => {
                const der = derOf(pem);
                const tlvs = (buf: Buffer) => {
                    const out: Buffer[] = [];
                    for (let o = 0; o < buf.length;) {
                        let len = buf[o + 1];
                        let hdr = 2;
                        if (len & 0x80) {
                            const n = len & 0x7f;
                            len = buf.subarray(o + 2, o + 2 + n).reduce((a, x) => a * 256 + x, 0);
                            hdr += n;
                        }
                        out.push(buf.subarray(o, o + hdr + len));
                        o += hdr + len;
                    }
                    return out;
                };
                const body = (t: Buffer) => tlvs(t).length && t.subarray(t[1] & 0x80 ? 2 + (t[1] & 0x7f) : 2);
                const tbs = tlvs(body(tlvs(der)[0]) as Buffer)[0];
                return tlvs(body(tbs) as Buffer);
            };
            const caSubject = tbsFields(caPem)[5];
            assert.match(asn1Parse(caPem), /UTF8STRING\s+:Ext CA/, "openssl encodes names as UTF8String");
            assert.ok(tbsFields(leaf.certPem)[3].equals(caSubject), "issuer bytes = CA subject bytes");
            const v = verify("sslserver", caPem, leaf.certPem);
            assert.ok(v.ok, v.out);
            // OpenSSL 3 gives the CA a SKID by default → the leaf's AKID is that SKID
            const caSkid = extBlock(x509Text(caPem), "X509v3 Subject Key Identifier")!.split("\n")[1];
            assert.equal(
                extBlock(x509Text(leaf.certPem), "X509v3 Authority Key Identifier")!
                    .split("\n")[1]
                    .replace(/^keyid:/, ""),
                caSkid,
            );
        });

        it("a CSR whose subject is only emailAddress gives an empty subject (no CA error: the parsed Name is not zero)", () => {
            const req = csr({
                privateKeyPem: serverKey.privateKeyPem,
                subject: { emailAddress: "only@example.com" },
                dnsNames: ["only.example"],
            });
            const c = signed({ ...leafArgs(), certRequestPem: req.certRequestPem, isCaCertificate: true, allowedUses: ["cert_signing"] });
            const t = x509Text(c.certPem);
            assert.match(t, /Subject:\s*\n/);
            assert.equal(extBlock(t, "X509v3 Subject Alternative Name"), "X509v3 Subject Alternative Name: critical\nDNS:only.example");
        });

        it("write-only key inputs (privateKeyPemWo + version) work and are not kept in state", () => {
            const c = selfSigned({
                privateKeyPemWo: serverKey.privateKeyPem,
                privateKeyPemWoVersion: 1,
                subject: { commonName: "wo" },
                validityPeriodHours: 1,
                allowedUses: [],
            });
            assert.equal(c.privateKeyPemWo, undefined);
            assert.equal(c.privateKeyPemWoVersion, 1);
            assert.ok(new crypto.X509Certificate(c.certPem).verify(crypto.createPublicKey(serverKey.publicKeyPem)));
            expectProviderError(
                () => selfSigned({ privateKeyPemWo: serverKey.privateKeyPem, validityPeriodHours: 1, allowedUses: [] }),
                /private_key_pem_wo_version/,
            );
            expectProviderError(() => selfSigned({ validityPeriodHours: 1, allowedUses: [] }), /Exactly one of/);
        });

        it("validity: NotBefore = now (seconds), NotAfter = +validityPeriodHours; RFC 3339 times with nanoseconds", () => {
            const before = Date.now();
            const c = selfSigned({
                privateKeyPem: serverKey.privateKeyPem,
                subject: { commonName: "v" },
                validityPeriodHours: 5,
                allowedUses: [],
            });
            const after = Date.now();
            const x = new crypto.X509Certificate(c.certPem);
            const nb = Date.parse(x.validFrom);
            const na = Date.parse(x.validTo);
            assert.ok(nb <= after && nb >= Math.floor(before / 1000) * 1000, `${x.validFrom}`);
            assert.equal(na - nb, 5 * 3600 * 1000);
            const re = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
            assert.match(c.validityStartTime, re);
            assert.match(c.validityEndTime, re);
            assert.equal(Math.floor(Date.parse(c.validityStartTime) / 1000) * 1000, nb);
            assert.equal(Date.parse(c.validityEndTime) - Date.parse(c.validityStartTime), 5 * 3600 * 1000);
            assert.equal(c.validityStartTime.replace(/^[^.]*/, ""), c.validityEndTime.replace(/^[^.]*/, ""), "same fractional part");
            assert.equal(c.readyForRenewal, false);
            assert.equal(c.earlyRenewalHours, 0);
            assert.equal(isReadyForRenewal(c), false);
            assert.equal(isReadyForRenewal({ ...c, earlyRenewalHours: 5 }), true);
            // validityPeriodHours 0 is allowed (and immediately due for renewal on the next refresh)
            const zero = selfSigned({ privateKeyPem: serverKey.privateKeyPem, validityPeriodHours: 0, allowedUses: [] });
            const z = new crypto.X509Certificate(zero.certPem);
            assert.equal(z.validFrom, z.validTo);
            assert.equal(isReadyForRenewal(zero), true);
            // far future → GeneralizedTime (after 2049)
            const long = selfSigned({ privateKeyPem: serverKey.privateKeyPem, validityPeriodHours: 24 * 366 * 40, allowedUses: [] });
            assert.match(asn1Parse(long.certPem), /GENERALIZEDTIME\s+:20\d\d\d{10}Z/);
        });

        it("serial is random 128-bit, id is its decimal form", () => {
            for (const c of [root, inter, server]) {
                const hex = openssl("x509", "-noout", "-serial", "-in", file(c.certPem)).trim().replace("serial=", "");
                assert.equal(BigInt("0x" + hex).toString(10), c.id);
                assert.ok(BigInt(c.id) < 2n ** 128n);
            }
            assert.notEqual(root.id, inter.id);
        });

        it("signature algorithm follows the signer key; keyAlgorithm/caKeyAlgorithm outputs", () => {
            const sigAlg = (pem: string) => /Signature Algorithm: (\S+)/.exec(x509Text(pem))![1];
            assert.equal(sigAlg(root.certPem), "ecdsa-with-SHA256");
            assert.equal(sigAlg(inter.certPem), "ecdsa-with-SHA256");
            assert.equal(sigAlg(server.certPem), "sha256WithRSAEncryption");
            assert.equal(root.keyAlgorithm, "ECDSA");
            assert.equal(inter.caKeyAlgorithm, "ECDSA");
            assert.equal(server.caKeyAlgorithm, "RSA");
            const ss = (k: State) =>
                selfSigned({ privateKeyPem: k.privateKeyPem, subject: { commonName: "s" }, validityPeriodHours: 1, allowedUses: [] });
            const cases: [State, string, string][] = [
                [key({ algorithm: "ECDSA", ecdsaCurve: "P224" }), "ecdsa-with-SHA256", "ECDSA"],
                [key({ algorithm: "ECDSA", ecdsaCurve: "P384" }), "ecdsa-with-SHA384", "ECDSA"],
                [key({ algorithm: "ECDSA", ecdsaCurve: "P521" }), "ecdsa-with-SHA512", "ECDSA"],
                [clientKey, "ED25519", "ED25519"],
            ];
            for (const [k, alg, ka] of cases) {
                const c = ss(k);
                assert.equal(sigAlg(c.certPem), alg);
                assert.equal(c.keyAlgorithm, ka);
                assert.ok(new crypto.X509Certificate(c.certPem).verify(crypto.createPublicKey(k.publicKeyPem)));
            }
            const r = csr({ privateKeyPem: key({ algorithm: "ECDSA", ecdsaCurve: "P384" }).privateKeyPem, subject: { commonName: "c" } });
            assert.match(
                openssl("req", "-in", file(r.certRequestPem), "-verify", "-noout", "-text"),
                /Signature Algorithm: ecdsa-with-SHA384/,
            );
        });
    });

    describe("CertRequest", () => {
        it("is a verifiable CSR with the requested subject/SANs; id = SHA-1 of its DER; accepts PKCS#8 keys", () => {
            const text = openssl("req", "-in", file(serverCsr.certRequestPem), "-verify", "-noout", "-text");
            assert.match(text, /Subject: O = httpbin organization, CN = httpbin.example.com/);
            assert.match(text, /DNS:httpbin.example.com/);
            assert.match(serverCsr.certRequestPem, /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/);
            assert.equal(serverCsr.id, sha1(trimGoSpaceEnd(derOf(serverCsr.certRequestPem))).toString("hex"));
            assert.equal(serverCsr.keyAlgorithm, "ECDSA");
            const viaPkcs8 = csr({ privateKeyPem: intKey.privateKeyPemPkcs8, subject: { commonName: "p8" } });
            assert.equal(viaPkcs8.keyAlgorithm, "RSA");
            // no SANs → an empty attribute set
            assert.match(
                openssl("req", "-in", file(viaPkcs8.certRequestPem), "-noout", "-text"),
                /Attributes:\s*\n\s*\(none\)|Attributes:\s*\n\s*a0:00/,
            );
        });
    });

    describe("errors where the provider errors", () => {
        it("CA with an empty subject", () => {
            expectProviderError(
                () =>
                    selfSigned({
                        privateKeyPem: rootKey.privateKeyPem,
                        validityPeriodHours: 1,
                        allowedUses: ["cert_signing"],
                        isCaCertificate: true,
                    }),
                /Invalid Certificate Subject: Must contain at least one Distinguished Name/,
            );
            expectProviderError(
                () =>
                    signed({
                        ...leafArgs(),
                        certRequestPem: csr({ privateKeyPem: serverKey.privateKeyPem, dnsNames: ["x"] }).certRequestPem,
                        isCaCertificate: true,
                    }),
                /Must contain at least one Distinguished Name/,
            );
        });
        it("unknown allowedUses value (camelCase from the SDK docs is not accepted)", () => {
            expectProviderError(
                () => signed({ ...leafArgs(), allowedUses: ["certSigning"] }),
                /allowed_uses.*must be one of.*got: "certSigning"/,
            );
            expectProviderError(
                () =>
                    selfSigned({
                        privateKeyPem: rootKey.privateKeyPem,
                        validityPeriodHours: 1,
                        allowedUses: ["server_auth", "serverAuth"],
                    }),
                /got: "serverAuth"/,
            );
        });
        it("invalid IP, key/cert mismatch, bad PEM, negative validity", () => {
            expectProviderError(() => csr({ privateKeyPem: serverKey.privateKeyPem, ipAddresses: ["10.0.0.256"] }), /Invalid IP address/);
            expectProviderError(
                () =>
                    selfSigned({
                        privateKeyPem: serverKey.privateKeyPem,
                        validityPeriodHours: 1,
                        allowedUses: [],
                        ipAddresses: ["not-an-ip"],
                    }),
                /Invalid IP address/,
            );
            expectProviderError(
                () => signed({ ...leafArgs(), caPrivateKeyPem: serverKey.privateKeyPem }),
                /provided PrivateKey doesn't match parent's PublicKey/,
            );
            expectProviderError(() => csr({ privateKeyPem: "not a pem" }), /failed to decode PEM block/);
            expectProviderError(() => csr({ privateKeyPem: serverKey.publicKeyPem }), /unsupported private key PEM preamble "PUBLIC KEY"/);
            expectProviderError(() => signed({ ...leafArgs(), caCertPem: serverCsr.certRequestPem }), /containing certificate/);
            expectProviderError(() => signed({ ...leafArgs(), certRequestPem: inter.certPem }), /certificate request/);
            expectProviderError(() => signed({ ...leafArgs(), validityPeriodHours: -1 }), /validity_period_hours value must be at least 0/);
        });
    });

    describe("through pulumi.runtime.setMocks with @pulumi/tls resources", () => {
        let tls: typeof import("@pulumi/tls");
        const get = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
        const secret = (o: pulumi.Output<unknown>) => (o as unknown as { isSecret: Promise<boolean> }).isSecret;

        before(async () => {
            await pulumi.runtime.setMocks(
                {
                    newResource: (args) => tlsMock(args.type, args.inputs) ?? { id: `${args.name}_id`, state: args.inputs },
                    call: (args) => args.inputs,
                },
                "project",
                "stack",
                false,
            );
            tls = await import("@pulumi/tls");
        });

        it("registers a PrivateKey → SelfSignedCert → CertRequest → LocallySignedCert chain with real outputs and secrets", async () => {
            const caKey = new tls.PrivateKey("ca-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
            const ca = new tls.SelfSignedCert("ca", {
                privateKeyPem: caKey.privateKeyPem,
                subject: { commonName: "mock root", organization: "mock" },
                validityPeriodHours: 24,
                allowedUses: ["cert_signing", "crl_signing"],
                isCaCertificate: true,
            });
            const leafKey = new tls.PrivateKey("leaf-key", { algorithm: "RSA" });
            const req = new tls.CertRequest("leaf-csr", {
                privateKeyPem: leafKey.privateKeyPem,
                subject: { commonName: "mock.example.com" },
                dnsNames: ["mock.example.com"],
            });
            const leaf = new tls.LocallySignedCert("leaf", {
                certRequestPem: req.certRequestPem,
                caPrivateKeyPem: caKey.privateKeyPem,
                caCertPem: ca.certPem,
                validityPeriodHours: 12,
                allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
            });
            const [caPem, leafPem, leafKeyPem, ecdsaCurve, rsaBits, keyAlg, caKeyAlg, id, start] = await Promise.all([
                get(ca.certPem),
                get(leaf.certPem),
                get(leafKey.privateKeyPem),
                get(caKey.ecdsaCurve),
                get(leafKey.rsaBits),
                get(req.keyAlgorithm),
                get(leaf.caKeyAlgorithm),
                get(leaf.id),
                get(leaf.validityStartTime),
            ]);
            assert.equal(ecdsaCurve, "P256");
            assert.equal(rsaBits, 2048);
            assert.equal(keyAlg, "RSA");
            assert.equal(caKeyAlg, "ECDSA");
            assert.match(start, /^\d{4}-/);
            assert.match(leafKeyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
            const v = verify("sslserver", caPem, leafPem);
            assert.ok(v.ok, v.out);
            const x = new crypto.X509Certificate(leafPem);
            assert.equal(BigInt("0x" + x.serialNumber).toString(10), id);
            assert.equal(x.subjectAltName, "DNS:mock.example.com");
            // the leaf's public key is the leaf key's
            assert.equal(x.publicKey.export({ format: "pem", type: "spki" }), await get(leafKey.publicKeyPem));
            // secrets: private key outputs and the secret-wrapped key inputs
            assert.equal(await secret(leafKey.privateKeyPem), true);
            assert.equal(await secret(leafKey.privateKeyPemPkcs8), true);
            assert.equal(await secret(leafKey.privateKeyOpenssh), true);
            assert.equal(await secret(leafKey.publicKeyPem), false);
            assert.equal(await secret(ca.privateKeyPem), true);
            assert.equal(await secret(leaf.caPrivateKeyPem), true);
            assert.equal(await secret(leaf.certPem), false);
        });

        it("surfaces provider errors as failed registrations", async () => {
            const k = new tls.PrivateKey("k2", { algorithm: "ED25519" });
            const bad = new tls.SelfSignedCert("bad", {
                privateKeyPem: k.privateKeyPem,
                validityPeriodHours: 1,
                allowedUses: ["certSigning"],
            });
            await assert.rejects(
                new Promise((resolve, reject) => {
                    bad.certPem.apply(resolve);
                    (bad.urn as unknown as { promise(): Promise<unknown> }).promise().catch(reject);
                }),
                /allowed_uses/,
            );
        });

        it("direct calls can unwrap the secret-wrapped state", () => {
            const r = tlsMock(TLS_TYPES.privateKey, { algorithm: "ED25519" })!;
            assert.ok(isSecretValue(r.state.privateKeyPem));
            assert.equal(typeof unwrapSecrets(r.state).privateKeyPem, "string");
        });
    });

    function leafArgs(): State {
        return {
            certRequestPem: serverCsr.certRequestPem,
            caPrivateKeyPem: intKey.privateKeyPem,
            caCertPem: inter.certPem,
            validityPeriodHours: 1,
            allowedUses: ["digital_signature", "server_auth"],
        };
    }
});
