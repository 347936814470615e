// An offline stand-in for the four @pulumi/tls resources the program registers, for Pulumi mocks. It makes real
// keys, CSRs and certificates (@peculiar/x509 over WebCrypto) with the provider's extensions for exactly the
// inputs the program passes, and refuses any other input by name instead of guessing what the provider would do.
import "reflect-metadata";
import * as crypto from "node:crypto";
import * as x509 from "@peculiar/x509";
import { secretValue } from "./secrets";

const { subtle } = crypto.webcrypto;
x509.cryptoProvider.set(crypto.webcrypto);
type KeyPair = crypto.webcrypto.CryptoKeyPair;
type Algorithm = crypto.webcrypto.Algorithm;

export const TLS_TYPES = {
    privateKey: "tls:index/privateKey:PrivateKey",
    selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
    certRequest: "tls:index/certRequest:CertRequest",
    locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

type Inputs = Record<string, any>;
export interface MockResult {
    id: string;
    state: Inputs;
}

/** An input the double does not cover: names the resource type, the input path and the value as written. */
export class UnsupportedInput extends Error {
    constructor(type: string, path: string, value: unknown, covered: string) {
        const shown = /PrivateKeyPem$|^privateKeyPem$/i.test(path) ? "(a PEM)" : JSON.stringify(value);
        super(`offline tls double: ${type.split(":").pop()} ${path} = ${shown} is not covered; it covers ${covered}`);
        this.name = "UnsupportedInput";
    }
}

// The inputs each resource may carry; subjects carry only the fields the PKI settings have.
const ACCEPTED: Record<string, string[]> = {
    [TLS_TYPES.privateKey]: ["algorithm", "rsaBits", "ecdsaCurve"],
    [TLS_TYPES.selfSignedCert]: [
        ...["privateKeyPem", "subject", "validityPeriodHours", "allowedUses"],
        ...["isCaCertificate", "setSubjectKeyId", "setAuthorityKeyId"],
    ],
    [TLS_TYPES.certRequest]: ["privateKeyPem", "subject", "dnsNames"],
    [TLS_TYPES.locallySignedCert]: [
        ...["certRequestPem", "caCertPem", "caPrivateKeyPem", "validityPeriodHours", "allowedUses"],
        ...["isCaCertificate", "setSubjectKeyId", "earlyRenewalHours"],
    ],
};
// Go's pkix.Name order, PrintableString where it fits and UTF8String otherwise, as crypto/x509 writes names.
const SUBJECT_OIDS: [string, string][] = [
    ["country", "2.5.4.6"],
    ["province", "2.5.4.8"],
    ["locality", "2.5.4.7"],
    ["organization", "2.5.4.10"],
    ["organizationalUnit", "2.5.4.11"],
    ["commonName", "2.5.4.3"],
];
const KEY_USAGES: Record<string, x509.KeyUsageFlags> = {
    digital_signature: x509.KeyUsageFlags.digitalSignature,
    key_encipherment: x509.KeyUsageFlags.keyEncipherment,
    cert_signing: x509.KeyUsageFlags.keyCertSign,
    crl_signing: x509.KeyUsageFlags.cRLSign,
};
const EXT_KEY_USAGES: Record<string, string> = {
    server_auth: x509.ExtendedKeyUsage.serverAuth,
    client_auth: x509.ExtendedKeyUsage.clientAuth,
};

function check(type: string, inputs: Inputs): void {
    for (const [k, v] of Object.entries(inputs)) {
        if (v !== undefined && !ACCEPTED[type].includes(k)) {
            throw new UnsupportedInput(type, k, v, `only ${ACCEPTED[type].join(", ")}`);
        }
    }
    const fields = SUBJECT_OIDS.map(([f]) => f);
    for (const [k, v] of Object.entries(inputs.subject ?? {})) {
        if (v !== undefined && !fields.includes(k)) {
            throw new UnsupportedInput(type, `subject.${k}`, v, `only subject ${fields.join(", ")}`);
        }
    }
    if (type !== TLS_TYPES.privateKey && type !== TLS_TYPES.locallySignedCert && !inputs.subject?.commonName) {
        throw new UnsupportedInput(type, "subject.commonName", inputs.subject?.commonName, "only subjects with a commonName");
    }
    for (const [i, use] of (inputs.allowedUses ?? []).entries()) {
        if (!(use in KEY_USAGES || use in EXT_KEY_USAGES)) {
            const all = [...Object.keys(KEY_USAGES), ...Object.keys(EXT_KEY_USAGES)];
            throw new UnsupportedInput(type, `allowedUses[${i}]`, use, `only ${all.join(", ")}`);
        }
    }
}

interface Signer {
    keys: KeyPair;
    /** What signs with this key: the provider's (Go's) default algorithm for it. */
    signing: Algorithm & { hash?: string };
}

// Each key the double made, by its PEM: what signs with it. The program passes these PEMs back verbatim.
const signers = new Map<string, Signer>();

const KEY_KINDS: Record<string, { gen: Algorithm & Record<string, unknown>; hash?: string; pem: "pkcs1" | "sec1" | "pkcs8" }> = {
    "ECDSA P256": { gen: { name: "ECDSA", namedCurve: "P-256" }, hash: "SHA-256", pem: "sec1" },
    "ECDSA P384": { gen: { name: "ECDSA", namedCurve: "P-384" }, hash: "SHA-384", pem: "sec1" },
    ED25519: { gen: { name: "Ed25519" }, pem: "pkcs8" },
};

async function privateKey(inputs: Inputs): Promise<MockResult> {
    const type = TLS_TYPES.privateKey;
    const { algorithm, rsaBits, ecdsaCurve } = inputs;
    let kind = KEY_KINDS[algorithm === "ECDSA" ? `ECDSA ${ecdsaCurve}` : algorithm];
    if (algorithm === "RSA") {
        if (!Number.isInteger(rsaBits) || rsaBits < 2048) {
            throw new UnsupportedInput(type, "rsaBits", rsaBits, "only RSA keys with rsaBits of at least 2048");
        }
        const gen = { name: "RSASSA-PKCS1-v1_5", modulusLength: rsaBits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
        kind = { gen, pem: "pkcs1" };
    } else if (!kind) {
        const [path, value] = algorithm === "ECDSA" ? ["ecdsaCurve", ecdsaCurve] : ["algorithm", algorithm];
        throw new UnsupportedInput(type, path, value, "only RSA (with rsaBits), ECDSA with ecdsaCurve P256 or P384, and ED25519");
    }
    const keys = (await subtle.generateKey(kind.gen, true, ["sign", "verify"])) as KeyPair;
    const der = Buffer.from(await subtle.exportKey("pkcs8", keys.privateKey));
    const key = crypto.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    // The provider's PEM forms: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for Ed25519.
    const privateKeyPem = key.export({ format: "pem", type: kind.pem }) as string;
    const publicKeyPem = crypto.createPublicKey(key).export({ format: "pem", type: "spki" }) as string;
    signers.set(privateKeyPem, { keys, signing: kind.hash ? { name: kind.gen.name, hash: kind.hash } : { name: kind.gen.name } });
    const id = crypto
        .createHash("sha1")
        .update(crypto.createPublicKey(key).export({ format: "der", type: "spki" }))
        .digest("hex");
    return { id, state: { ...inputs, privateKeyPem: secretValue(privateKeyPem), publicKeyPem } };
}

function signerOf(type: string, path: string, pem: string): Signer {
    const signer = signers.get(pem);
    if (!signer) {
        throw new UnsupportedInput(type, path, pem, "only keys its PrivateKey made in this process");
    }
    return signer;
}

function subjectName(subject: Inputs): x509.Name {
    const rdn = (oid: string, v: string) => ({
        [oid]: [/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(v) ? { printableString: v } : { utf8String: v }],
    });
    return new x509.Name(SUBJECT_OIDS.filter(([f]) => subject[f]).map(([f, oid]) => rdn(oid, String(subject[f]))));
}

interface Issued {
    subject: x509.Name;
    publicKey: crypto.webcrypto.CryptoKey | x509.PublicKey;
    issuer: x509.Name;
    signer: Signer;
    /** The issuing CA's subject key id, for the authority key id (none when self-signed). */
    issuerKeyId?: string;
    san?: x509.Extension;
}

// The provider's certificate: critical BasicConstraints on every certificate, KeyUsage (critical) and EKU from
// allowedUses, subject key id on CAs and on request, authority key id, SANs; random 128-bit serial, valid from now.
async function certificate(inputs: Inputs, c: Issued): Promise<MockResult> {
    const uses: string[] = inputs.allowedUses;
    const ku = uses.reduce((bits, u) => bits | (KEY_USAGES[u] ?? 0), 0);
    const eku = uses.filter((u) => u in EXT_KEY_USAGES).map((u) => EXT_KEY_USAGES[u]);
    const isCa = Boolean(inputs.isCaCertificate);
    const skid = isCa || inputs.setSubjectKeyId ? await x509.SubjectKeyIdentifierExtension.create(c.publicKey) : undefined;
    const sameName = Buffer.from(c.subject.toArrayBuffer()).equals(Buffer.from(c.issuer.toArrayBuffer()));
    const akid = inputs.setAuthorityKeyId ? skid?.keyId : sameName ? undefined : c.issuerKeyId;
    if (inputs.setAuthorityKeyId && !akid) {
        const why = "setAuthorityKeyId only with a subject key id (isCaCertificate or setSubjectKeyId)";
        throw new UnsupportedInput(TLS_TYPES.selfSignedCert, "setAuthorityKeyId", true, why);
    }
    const extensions: x509.Extension[] = [
        ...(ku ? [new x509.KeyUsagesExtension(ku, true)] : []),
        ...(eku.length ? [new x509.ExtendedKeyUsageExtension(eku, false)] : []),
        new x509.BasicConstraintsExtension(isCa, undefined, true),
        ...(skid ? [skid] : []),
        ...(akid ? [new x509.AuthorityKeyIdentifierExtension(akid, false)] : []),
        ...(c.san ? [c.san] : []),
    ];
    const serial = crypto.randomBytes(16).toString("hex");
    const start = new Date();
    const end = new Date(start.getTime() + Number(inputs.validityPeriodHours) * 3_600_000);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial,
        subject: c.subject,
        issuer: c.issuer,
        notBefore: start,
        notAfter: end,
        publicKey: c.publicKey,
        signingKey: c.signer.keys.privateKey,
        signingAlgorithm: c.signer.signing,
        extensions,
    });
    const state = { ...inputs, certPem: cert.toString("pem") + "\n" };
    return {
        id: BigInt(`0x${serial}`).toString(10),
        state: { ...state, validityStartTime: start.toISOString(), validityEndTime: end.toISOString() },
    };
}

async function selfSignedCert(inputs: Inputs): Promise<MockResult> {
    const signer = signerOf(TLS_TYPES.selfSignedCert, "privateKeyPem", inputs.privateKeyPem);
    const name = subjectName(inputs.subject);
    const result = await certificate(inputs, { subject: name, issuer: name, publicKey: signer.keys.publicKey, signer });
    return { id: result.id, state: { ...result.state, privateKeyPem: secretValue(inputs.privateKeyPem) } };
}

async function certRequest(inputs: Inputs): Promise<MockResult> {
    const signer = signerOf(TLS_TYPES.certRequest, "privateKeyPem", inputs.privateKeyPem);
    const dns: string[] = inputs.dnsNames ?? [];
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: subjectName(inputs.subject),
        keys: signer.keys,
        signingAlgorithm: signer.signing,
        extensions: dns.length ? [new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: "dns", value })))] : [],
    });
    const id = crypto.createHash("sha1").update(Buffer.from(csr.rawData)).digest("hex");
    const certRequestPem = csr.toString("pem") + "\n";
    return { id, state: { ...inputs, privateKeyPem: secretValue(inputs.privateKeyPem), certRequestPem } };
}

// Every leaf a CA signs passes the CA's certificate again: read each one once.
const cas = new Map<string, { name: x509.Name; keyId?: string }>();

async function locallySignedCert(inputs: Inputs): Promise<MockResult> {
    const signer = signerOf(TLS_TYPES.locallySignedCert, "caPrivateKeyPem", inputs.caPrivateKeyPem);
    let ca = cas.get(inputs.caCertPem);
    if (!ca) {
        const cert = new x509.X509Certificate(inputs.caCertPem);
        ca = { name: cert.subjectName, keyId: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId };
        cas.set(inputs.caCertPem, ca);
    }
    // As the provider does: subject, key and SANs from the request; its other extensions are not carried over.
    const csr = new x509.Pkcs10CertificateRequest(inputs.certRequestPem);
    const result = await certificate(inputs, {
        subject: csr.subjectName,
        publicKey: csr.publicKey,
        issuer: ca.name,
        issuerKeyId: ca.keyId,
        signer,
        san: csr.getExtension("2.5.29.17") ?? undefined,
    });
    return { id: result.id, state: { ...result.state, caPrivateKeyPem: secretValue(inputs.caPrivateKeyPem) } };
}

const CREATE: Record<string, (inputs: Inputs) => Promise<MockResult>> = {
    [TLS_TYPES.privateKey]: privateKey,
    [TLS_TYPES.selfSignedCert]: selfSignedCert,
    [TLS_TYPES.certRequest]: certRequest,
    [TLS_TYPES.locallySignedCert]: locallySignedCert,
};

/** `{id, state}` of a tls resource (inputs with secrets unwrapped); undefined for other providers' types. */
export function tlsMock(type: string, inputs: Inputs): Promise<MockResult> | undefined {
    if (!type.startsWith("tls:")) {
        return undefined;
    }
    if (!CREATE[type]) {
        return Promise.reject(new UnsupportedInput(type, "type", type, `only ${Object.keys(CREATE).join(", ")}`));
    }
    return Promise.resolve().then(() => {
        check(type, inputs);
        return CREATE[type](inputs);
    });
}
