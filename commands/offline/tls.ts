// An offline stand-in for the four @pulumi/tls resources the program registers, for Pulumi mocks. It makes real
// keys, CSRs and certificates (@peculiar/x509's generators, signing with node:crypto) with the provider's
// extensions for exactly the inputs the program passes, and refuses any other input by name instead of guessing
// what the provider would do.
import "reflect-metadata";
import * as crypto from "node:crypto";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import { secretValue } from "./secrets";

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
        const shown = /Pem$/.test(path) ? "(a PEM)" : JSON.stringify(value);
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

/** A key the double made, shaped as @peculiar/x509 reads a signing key (its `algorithm`), with node:crypto's key. */
interface Signer {
    privateKey: { type: "private"; algorithm: Record<string, unknown>; key: crypto.KeyObject };
    spki: Buffer;
    /** The provider's (Go's) signature algorithm for the key. */
    signing: { name: string; hash?: string };
}

// Each key the double made, by its PEM: the program passes these PEMs back verbatim.
const signers = new Map<string, Signer>();

const hashName = (h: string | { name: string }) => (typeof h === "string" ? h : h.name).replace("-", "").toLowerCase();

// @peculiar/x509 asks a WebCrypto-shaped provider to sign, hash and export keys. This one does it with
// node:crypto on the keys above: much cheaper per call than WebCrypto's jobs, which matters at 500 hosts.
const nodeProvider = {
    getRandomValues: <T extends ArrayBufferView>(a: T) => crypto.getRandomValues(a),
    subtle: {
        async sign(alg: { hash: string }, k: Signer["privateKey"], data: ArrayBuffer): Promise<ArrayBuffer> {
            const hash = k.key.asymmetricKeyType === "ed25519" ? null : hashName(alg.hash);
            // ECDSA as WebCrypto returns it (r || s); the generators DER-encode it themselves.
            return new Uint8Array(crypto.sign(hash, Buffer.from(data), { key: k.key, dsaEncoding: "ieee-p1363" })).buffer;
        },
        async digest(alg: string | { name: string }, data: ArrayBuffer): Promise<ArrayBuffer> {
            return new Uint8Array(crypto.createHash(hashName(alg)).update(Buffer.from(data)).digest()).buffer;
        },
        async exportKey(_format: "spki", k: { spki: Buffer }): Promise<ArrayBuffer> {
            return new Uint8Array(k.spki).buffer;
        },
    },
} as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1];

type KeyPair = { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject };
type Generate = (type: string, options: Record<string, unknown>) => KeyPair;
const generateSync = crypto.generateKeyPairSync as unknown as Generate;
const generate = promisify(crypto.generateKeyPair) as unknown as (...args: Parameters<Generate>) => Promise<KeyPair>;

interface KeyKind {
    type: string;
    options: Record<string, unknown>;
    /** The provider's PEM form: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for Ed25519. */
    pem: "pkcs1" | "sec1" | "pkcs8";
    algorithm: Record<string, unknown>;
    hash?: string;
}
const ec = (curve: string, hash: string): KeyKind => {
    return { type: "ec", options: { namedCurve: curve }, pem: "sec1", algorithm: { name: "ECDSA", namedCurve: curve }, hash };
};
const KEY_KINDS: Record<string, KeyKind> = {
    "ECDSA P256": ec("P-256", "SHA-256"),
    "ECDSA P384": ec("P-384", "SHA-384"),
    ED25519: { type: "ed25519", options: {}, pem: "pkcs8", algorithm: { name: "Ed25519" } },
};

async function privateKey(inputs: Inputs): Promise<MockResult> {
    const type = TLS_TYPES.privateKey;
    const { algorithm, rsaBits, ecdsaCurve } = inputs;
    let kind = KEY_KINDS[algorithm === "ECDSA" ? `ECDSA ${ecdsaCurve}` : algorithm];
    if (algorithm === "RSA") {
        if (!Number.isInteger(rsaBits) || rsaBits < 2048) {
            throw new UnsupportedInput(type, "rsaBits", rsaBits, "only RSA keys with rsaBits of at least 2048");
        }
        const rsa = { name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } };
        kind = { type: "rsa", options: { modulusLength: rsaBits }, pem: "pkcs1", algorithm: rsa, hash: "SHA-256" };
    } else if (!kind) {
        const [path, value] = algorithm === "ECDSA" ? ["ecdsaCurve", ecdsaCurve] : ["algorithm", algorithm];
        throw new UnsupportedInput(type, path, value, "only RSA (with rsaBits), ECDSA with ecdsaCurve P256 or P384, and ED25519");
    }
    // RSA generation takes long enough to be worth the thread pool; the others are cheaper made here.
    const pair = kind.type === "rsa" ? await generate(kind.type, kind.options) : generateSync(kind.type, kind.options);
    const privateKeyPem = pair.privateKey.export({ format: "pem", type: kind.pem }) as string;
    const spki = pair.publicKey.export({ format: "der", type: "spki" });
    const signing = { name: String(kind.algorithm.name), ...(kind.hash ? { hash: kind.hash } : {}) };
    signers.set(privateKeyPem, { privateKey: { type: "private", algorithm: kind.algorithm, key: pair.privateKey }, spki, signing });
    const id = crypto.createHash("sha1").update(spki).digest("hex");
    const publicKeyPem = x509.PemConverter.encode(spki, "PUBLIC KEY") + "\n";
    return { id, state: { ...inputs, privateKeyPem: secretValue(privateKeyPem), publicKeyPem } };
}

function made<T>(found: Map<string, T>, type: string, path: string, pem: string, what: string): T {
    const value = found.get(pem);
    if (!value) {
        throw new UnsupportedInput(type, path, pem, `only ${what} made in this process`);
    }
    return value;
}

function subjectName(subject: Inputs): x509.Name {
    const rdn = (oid: string, v: string) => ({
        [oid]: [/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(v) ? { printableString: v } : { utf8String: v }],
    });
    return new x509.Name(SUBJECT_OIDS.filter(([f]) => subject[f]).map(([f, oid]) => rdn(oid, String(subject[f]))));
}

interface Issued {
    subject: x509.Name;
    /** The subject's SPKI (DER). */
    spki: Buffer;
    issuer: x509.Name;
    signer: Signer;
    /** The issuing CA's subject key id, for the authority key id (none when self-signed). */
    issuerKeyId?: string;
    san?: x509.Extension;
}

// What the double made, by PEM, as the program passes it back: requests to sign, and CAs to sign with.
const requests = new Map<string, { subject: x509.Name; spki: Buffer; san?: x509.Extension }>();
const authorities = new Map<string, { name: x509.Name; keyId?: string }>();
// Key usage, extended key usage and basic constraints, by allowedUses and isCaCertificate: a few kinds per stack.
const usageExtensions = new Map<string, x509.Extension[]>();

function usages(uses: string[], isCa: boolean): x509.Extension[] {
    const key = `${uses.join(",")} ${isCa}`;
    let exts = usageExtensions.get(key);
    if (!exts) {
        const ku = uses.reduce((bits, u) => bits | (KEY_USAGES[u] ?? 0), 0);
        const eku = uses.filter((u) => u in EXT_KEY_USAGES).map((u) => EXT_KEY_USAGES[u]);
        exts = [
            ...(ku ? [new x509.KeyUsagesExtension(ku, true)] : []),
            ...(eku.length ? [new x509.ExtendedKeyUsageExtension(eku, false)] : []),
            new x509.BasicConstraintsExtension(isCa, undefined, true),
        ];
        usageExtensions.set(key, exts);
    }
    return exts;
}

// The provider's certificate: critical BasicConstraints on every certificate, KeyUsage (critical) and EKU from
// allowedUses, subject key id on CAs and on request, authority key id, SANs; random 128-bit serial, valid from now.
async function certificate(inputs: Inputs, c: Issued): Promise<MockResult> {
    const isCa = Boolean(inputs.isCaCertificate);
    const skid = isCa || inputs.setSubjectKeyId ? await x509.SubjectKeyIdentifierExtension.create(c.spki, false, nodeProvider) : undefined;
    const akid = inputs.setAuthorityKeyId ? skid?.keyId : c.issuerKeyId;
    if (inputs.setAuthorityKeyId && !akid) {
        const why = "setAuthorityKeyId only with a subject key id (isCaCertificate or setSubjectKeyId)";
        throw new UnsupportedInput(TLS_TYPES.selfSignedCert, "setAuthorityKeyId", true, why);
    }
    const extensions: x509.Extension[] = [
        ...usages(inputs.allowedUses, isCa),
        ...(skid ? [skid] : []),
        ...(akid ? [new x509.AuthorityKeyIdentifierExtension(akid, false)] : []),
        ...(c.san ? [c.san] : []),
    ];
    const serial = crypto.randomBytes(16).toString("hex");
    const start = new Date();
    const end = new Date(start.getTime() + Number(inputs.validityPeriodHours) * 3_600_000);
    const cert = await x509.X509CertificateGenerator.create(
        {
            serialNumber: serial,
            subject: c.subject,
            issuer: c.issuer,
            notBefore: start,
            notAfter: end,
            publicKey: c.spki,
            signingKey: c.signer.privateKey,
            signingAlgorithm: c.signer.signing,
            extensions,
        } as x509.X509CertificateCreateParams,
        nodeProvider,
    );
    const certPem = cert.toString("pem") + "\n";
    if (isCa) {
        authorities.set(certPem, { name: c.subject, keyId: skid?.keyId });
    }
    return {
        id: BigInt(`0x${serial}`).toString(10),
        state: { ...inputs, certPem, validityStartTime: start.toISOString(), validityEndTime: end.toISOString() },
    };
}

async function selfSignedCert(inputs: Inputs): Promise<MockResult> {
    const signer = made(signers, TLS_TYPES.selfSignedCert, "privateKeyPem", inputs.privateKeyPem, "keys its PrivateKey");
    const name = subjectName(inputs.subject);
    const result = await certificate(inputs, { subject: name, issuer: name, spki: signer.spki, signer });
    return { id: result.id, state: { ...result.state, privateKeyPem: secretValue(inputs.privateKeyPem) } };
}

async function certRequest(inputs: Inputs): Promise<MockResult> {
    const signer = made(signers, TLS_TYPES.certRequest, "privateKeyPem", inputs.privateKeyPem, "keys its PrivateKey");
    const dns: string[] = inputs.dnsNames ?? [];
    const subject = subjectName(inputs.subject);
    const san = dns.length ? new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: "dns", value }))) : undefined;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create(
        {
            name: subject,
            keys: { privateKey: signer.privateKey, publicKey: signer },
            signingAlgorithm: signer.signing,
            extensions: san ? [san] : [],
        } as x509.Pkcs10CertificateRequestCreateParams,
        nodeProvider,
    );
    const id = crypto.createHash("sha1").update(Buffer.from(csr.rawData)).digest("hex");
    const certRequestPem = csr.toString("pem") + "\n";
    requests.set(certRequestPem, { subject, spki: signer.spki, san });
    return { id, state: { ...inputs, privateKeyPem: secretValue(inputs.privateKeyPem), certRequestPem } };
}

async function locallySignedCert(inputs: Inputs): Promise<MockResult> {
    const type = TLS_TYPES.locallySignedCert;
    const signer = made(signers, type, "caPrivateKeyPem", inputs.caPrivateKeyPem, "keys its PrivateKey");
    const ca = made(authorities, type, "caCertPem", inputs.caCertPem, "CA certificates it");
    // As the provider does: subject, key and SANs from the request; its other extensions are not carried over.
    const csr = made(requests, type, "certRequestPem", inputs.certRequestPem, "requests its CertRequest");
    const issued = { subject: csr.subject, spki: csr.spki, san: csr.san, issuer: ca.name, issuerKeyId: ca.keyId, signer };
    const result = await certificate(inputs, issued);
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
