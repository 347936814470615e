// Provided PEMs, made with the openssl CLI, judged as a TLS peer would judge them: each refusal names the field,
// never quotes the PEM, and says what to fix; legal material is accepted.
import * as assert from "assert";
import { ConfigProblem } from "../../components/config/parse";
import { Scratch, openssl } from "../support/openssl";
import { caExt, clientExt, Issued, PemFactory, serverExt } from "../support/pemFactory";
import { accepted, host, problemsOf } from "../support/configCases";

interface Pems {
    certPem: string;
    keyPem: string;
    caPem?: string;
    clientCertPem?: string;
    clientKeyPem?: string;
}

describe("config: provided certificates", function () {
    this.timeout(20000);
    const scratch = new Scratch();
    let f: PemFactory;
    let root: Issued, intermediate: Issued, leaf: Issued, client: Issued;
    let good: Pems;
    before(() => {
        f = new PemFactory(scratch);
        root = f.issue({ subject: "/CN=Test Root", ext: caExt, end: "20900101000000Z" });
        intermediate = f.issue({ subject: "/CN=Test Intermediate", issuer: root, ext: caExt, end: "20850101000000Z" });
        leaf = f.issue({ subject: "/CN=a.example.com", issuer: intermediate, ext: serverExt("a.example.com"), end: "20800101000000Z" });
        client = f.issue({ subject: "/CN=client", issuer: intermediate, ext: clientExt, end: "20800101000000Z" });
        good = {
            certPem: leaf.cert + intermediate.cert,
            keyPem: leaf.key,
            caPem: intermediate.cert + root.cert,
            clientCertPem: client.cert,
            clientKeyPem: client.key,
        };
    });
    after(() => scratch.dispose());

    const config = (pems: Partial<Pems>, h = "a.example.com", tls = "MUTUAL") => ({
        hosts: [host("a", h, { certificate: "provided", tls })],
        certificates: { a: { ...good, ...pems } },
    });
    const at = (field: string, message: string): ConfigProblem => ({ path: `certificates.a.${field}`, value: "(secret)", message });
    /** The refusal, and that no PEM body of the config appears in it. */
    const refused = (pems: Partial<Pems>, h?: string, tls?: string) => {
        const c = config(pems, h, tls);
        const problems = problemsOf(c);
        const printed = JSON.stringify(problems);
        for (const v of Object.values(c.certificates.a)) {
            for (const line of String(v)
                .split("\n")
                .filter((l) => l.length > 20 && !l.startsWith("-----"))) {
                assert.ok(!printed.includes(line), "a PEM line was quoted");
            }
        }
        assert.ok(!printed.includes("KEY-----"), printed);
        return problems;
    };
    const notCover = (h: string, names: string) =>
        `does not cover ${h}: its DNS names are ${names} (clients match the subjectAltName only, RFC 6125 6.4.4); issue it for ${h}`;

    it("accepts a leaf with its intermediate, the CA chain and a client pair (the material openssl verify accepts)", () => {
        const r = openssl([
            "verify",
            "-CAfile",
            scratch.file(root.cert),
            "-untrusted",
            scratch.file(intermediate.cert),
            scratch.file(leaf.cert),
        ]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.ok(accepted(config({})));
    });
    it("accepts a SIMPLE host with the leaf alone and no CA", () => {
        assert.ok(
            accepted(
                config(
                    { certPem: leaf.cert, caPem: undefined, clientCertPem: undefined, clientKeyPem: undefined },
                    "a.example.com",
                    "SIMPLE",
                ),
            ),
        );
    });
    it("accepts a leaf without extendedKeyUsage, and a leaf with several names", () => {
        const plain = f.issue({
            subject: "/CN=x",
            issuer: intermediate,
            ext: ["basicConstraints=CA:FALSE", "subjectAltName=DNS:b.example.com,DNS:a.example.com"],
            end: "20800101000000Z",
        });
        assert.ok(accepted(config({ certPem: plain.cert, keyPem: plain.key })));
    });
    it("accepts a wildcard host served by the same wildcard, and a concrete host under a wildcard certificate", () => {
        const wild = f.issue({
            subject: "/CN=*.example.com",
            issuer: intermediate,
            ext: serverExt("*.example.com"),
            end: "20800101000000Z",
        });
        assert.ok(accepted(config({ certPem: wild.cert, keyPem: wild.key }, "*.example.com")));
        assert.ok(accepted(config({ certPem: wild.cert, keyPem: wild.key }, "b.example.com")));
    });

    it("refuses text that holds no PEM block", () => {
        assert.deepStrictEqual(refused({ certPem: "not a certificate at all" }), [
            at("certPem", "is not a PEM certificate: it holds no PEM block (-----BEGIN CERTIFICATE----- ...)"),
        ]);
    });
    it("refuses a private key pasted as the certificate, naming only its type", () => {
        assert.deepStrictEqual(refused({ certPem: leaf.key }), [
            at("certPem", "its PEM block is a PRIVATE KEY, not a CERTIFICATE; give certificates only (keys go in keyPem / clientKeyPem)"),
        ]);
    });
    it("refuses a corrupt second certificate block", () => {
        const broken = intermediate.cert.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!!!!!!!!!!!!!!!!!");
        const problems = refused({ certPem: leaf.cert + broken });
        assert.deepStrictEqual(
            problems.map((p) => p.path),
            ["certificates.a.certPem"],
        );
        assert.match(problems[0].message, /^block 2 of 2 is not an X\.509 certificate \(.+\)$/);
    });
    it("refuses a caPem that is not PEM", () => {
        assert.deepStrictEqual(refused({ caPem: "-" }), [
            at("caPem", "is not a PEM certificate: it holds no PEM block (-----BEGIN CERTIFICATE----- ...)"),
        ]);
    });

    it("refuses an expired leaf", () => {
        const old = f.issue({
            subject: "/CN=a.example.com",
            issuer: intermediate,
            ext: serverExt("a.example.com"),
            start: "20200101000000Z",
            end: "20210101000000Z",
        });
        assert.deepStrictEqual(refused({ certPem: old.cert + intermediate.cert, keyPem: old.key }), [
            at("certPem", "expired on 2021-01-01T00:00:00.000Z (CN=a.example.com); renew it"),
        ]);
    });
    it("refuses a leaf that is not valid yet", () => {
        const future = f.issue({
            subject: "/CN=a.example.com",
            issuer: intermediate,
            ext: serverExt("a.example.com"),
            start: "20700101000000Z",
            end: "20800101000000Z",
        });
        assert.deepStrictEqual(refused({ certPem: future.cert, keyPem: future.key }), [
            at("certPem", "is not valid before 2070-01-01T00:00:00.000Z (CN=a.example.com); issue it with a start time in the past"),
        ]);
    });
    it("refuses an expired CA in caPem", () => {
        const oldRoot = f.issue({ subject: "/CN=Old Root", ext: caExt, start: "20190101000000Z", end: "20220101000000Z" });
        assert.deepStrictEqual(
            refused({ caPem: intermediate.cert + root.cert + oldRoot.cert }).filter((p) => p.path.endsWith("caPem")),
            [at("caPem", "expired on 2022-01-01T00:00:00.000Z (CN=Old Root); renew it")],
        );
    });

    const hostCases: [string, string[], string, string][] = [
        ["another name", ["b.example.com"], "a.example.com", "b.example.com"],
        ["no subjectAltName (the CN alone)", [], "a.example.com", "(none)"],
        ["a wildcard one label too shallow", ["*.example.com"], "a.b.example.com", "*.example.com"],
        ["a wildcard for the apex", ["*.example.com"], "example.com", "*.example.com"],
        ["a partial wildcard", ["a*.example.com"], "ab.example.com", "a*.example.com"],
        ["a concrete name for a wildcard host", ["a.example.com"], "*.example.com", "a.example.com"],
    ];
    for (const [title, sans, h, names] of hostCases) {
        it(`refuses a leaf with ${title}`, () => {
            const cert = f.issue({
                subject: `/CN=${h.replace("*", "star")}`,
                issuer: intermediate,
                ext: serverExt(...sans),
                end: "20800101000000Z",
            });
            assert.deepStrictEqual(refused({ certPem: cert.cert, keyPem: cert.key }, h), [at("certPem", notCover(h, names))]);
        });
    }
    it("refuses a leaf for client authentication only", () => {
        const c = f.issue({
            subject: "/CN=a.example.com",
            issuer: intermediate,
            ext: [...clientExt, "subjectAltName=DNS:a.example.com"],
            end: "20800101000000Z",
        });
        assert.deepStrictEqual(refused({ certPem: c.cert, keyPem: c.key }), [
            at(
                "certPem",
                "has an extendedKeyUsage without serverAuth (1.3.6.1.5.5.7.3.2), so TLS peers refuse it; issue it with serverAuth",
            ),
        ]);
    });

    it("refuses a key of another certificate", () => {
        assert.deepStrictEqual(refused({ keyPem: client.key }), [
            at("keyPem", "does not match certPem's public key; give the key the certificate was issued for"),
        ]);
    });
    it("refuses an encrypted key", () => {
        const enc = openssl(["pkey", "-in", leaf.keyPath, "-aes256", "-passout", "pass:hunter22"]);
        assert.strictEqual(enc.status, 0, enc.stderr);
        assert.deepStrictEqual(refused({ keyPem: enc.stdout }), [at("keyPem", "is not an unencrypted PEM private key")]);
    });

    it("refuses a chain that does not reach caPem's root", () => {
        const other = f.issue({ subject: "/CN=Other Root", ext: caExt });
        assert.deepStrictEqual(refused({ caPem: other.cert, clientCertPem: undefined, clientKeyPem: undefined }), [
            at(
                "certPem",
                "does not verify against caPem: no certificate there issued CN=Test Intermediate; put its issuing CA chain up to the root in caPem",
            ),
        ]);
    });
    it("refuses certificates listed out of order", () => {
        assert.deepStrictEqual(refused({ certPem: leaf.cert + root.cert + intermediate.cert }), [
            at("certPem", "certificate 2 did not issue certificate 1 (CN=a.example.com); list the leaf first, then each issuer in turn"),
            at("certPem", "certificate 3 did not issue certificate 2 (CN=Test Root); list the leaf first, then each issuer in turn"),
        ]);
    });
    it("refuses a leaf issued by a certificate that is no CA", () => {
        const fake = f.issue({ subject: "/CN=Fake Intermediate", issuer: root, ext: ["basicConstraints=critical,CA:FALSE"] });
        const signed = f.issue({ subject: "/CN=a.example.com", issuer: fake, ext: serverExt("a.example.com"), end: "20800101000000Z" });
        assert.deepStrictEqual(
            refused({
                certPem: signed.cert,
                keyPem: signed.key,
                caPem: fake.cert + root.cert,
                clientCertPem: undefined,
                clientKeyPem: undefined,
            }),
            [
                at("caPem", "certificate 1 (CN=Fake Intermediate) is not a CA (basicConstraints CA:FALSE); caPem holds the CA chain only"),
                at(
                    "certPem",
                    "is issued by CN=Fake Intermediate, which is not a CA (basicConstraints CA:FALSE), so no verifier accepts the chain",
                ),
            ],
        );
    });
    it("refuses a leaf that outlives its intermediate", () => {
        const long = f.issue({
            subject: "/CN=a.example.com",
            issuer: intermediate,
            ext: serverExt("a.example.com"),
            end: "20880101000000Z",
        });
        assert.deepStrictEqual(refused({ certPem: long.cert + intermediate.cert, keyPem: long.key }), [
            at(
                "certPem",
                "holds CN=a.example.com, valid until 2088-01-01T00:00:00.000Z, which outlives its issuer CN=Test Intermediate (until 2085-01-01T00:00:00.000Z); issue it to expire no later than its issuer",
            ),
        ]);
    });
    it("refuses an intermediate CA that outlives its root", () => {
        const shortRoot = f.issue({ subject: "/CN=Short Root", ext: caExt, end: "20600101000000Z" });
        const longInt = f.issue({ subject: "/CN=Long Intermediate", issuer: shortRoot, ext: caExt, end: "20700101000000Z" });
        const l = f.issue({ subject: "/CN=a.example.com", issuer: longInt, ext: serverExt("a.example.com"), end: "20500101000000Z" });
        assert.deepStrictEqual(
            refused({
                certPem: l.cert + longInt.cert,
                keyPem: l.key,
                caPem: longInt.cert + shortRoot.cert,
                clientCertPem: undefined,
                clientKeyPem: undefined,
            }),
            [
                at(
                    "certPem",
                    "holds CN=Long Intermediate, valid until 2070-01-01T00:00:00.000Z, which outlives its issuer CN=Short Root (until 2060-01-01T00:00:00.000Z); issue it to expire no later than its issuer",
                ),
            ],
        );
    });
    it("refuses a caPem that holds a leaf", () => {
        assert.deepStrictEqual(
            refused({ caPem: intermediate.cert + root.cert + leaf.cert }).filter((p) => p.path.endsWith("caPem")),
            [at("caPem", "certificate 3 (CN=a.example.com) is not a CA (basicConstraints CA:FALSE); caPem holds the CA chain only")],
        );
    });

    it("refuses a client certificate from a foreign CA", () => {
        const foreign = f.issue({ subject: "/CN=Foreign Root", ext: caExt });
        const intruder = f.issue({ subject: "/CN=intruder", issuer: foreign, ext: clientExt, end: "20800101000000Z" });
        assert.deepStrictEqual(refused({ clientCertPem: intruder.cert, clientKeyPem: intruder.key }), [
            at(
                "clientCertPem",
                "does not verify against caPem: no certificate there issued CN=intruder; put its issuing CA chain up to the root in caPem",
            ),
        ]);
    });
    it("refuses a client key of another certificate, and a client certificate for servers only", () => {
        const serverOnly = f.issue({
            subject: "/CN=client",
            issuer: intermediate,
            ext: serverExt("client.example.com"),
            end: "20800101000000Z",
        });
        assert.deepStrictEqual(refused({ clientCertPem: serverOnly.cert, clientKeyPem: leaf.key }), [
            at("clientKeyPem", "does not match clientCertPem's public key; give the key the certificate was issued for"),
            at(
                "clientCertPem",
                "has an extendedKeyUsage without clientAuth (1.3.6.1.5.5.7.3.1), so TLS peers refuse it; issue it with clientAuth",
            ),
        ]);
    });
    it("refuses an expired client certificate, and a client certificate without its key", () => {
        const old = f.issue({
            subject: "/CN=client",
            issuer: intermediate,
            ext: clientExt,
            start: "20200101000000Z",
            end: "20230601000000Z",
        });
        assert.deepStrictEqual(refused({ clientCertPem: old.cert, clientKeyPem: old.key }), [
            at("clientCertPem", "expired on 2023-06-01T00:00:00.000Z (CN=client); renew it"),
        ]);
        assert.deepStrictEqual(refused({ clientKeyPem: undefined }), [
            at("clientCertPem", "and clientKeyPem go together; give both or neither"),
        ]);
    });
});
