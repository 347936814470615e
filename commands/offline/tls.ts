/**
 * A faithful test double for the `@pulumi/tls` provider (5.x, terraform-provider-tls + Go 1.24 crypto/x509),
 * for use under `pulumi.runtime.setMocks`.
 *
 * It produces REAL keys, CSRs and X.509 certificates from exactly the inputs the program passes, following
 * /work/shared/reference/pulumi-tls-semantics.md. Keys and serials are random (as in the provider); everything
 * else is derived deterministically from the inputs.
 *
 * DER is assembled the way Go's `crypto/x509` does it: structured pieces (names, validity, extensions,
 * algorithm identifiers) are built with the `@peculiar/asn1-x509` schema classes and `@peculiar/asn1-schema`,
 * the TBSCertificate / CertificationRequestInfo envelopes are assembled here so that the issuer is the CA's
 * exact subject bytes, and signatures come from `node:crypto` `sign()` (which, unlike WebCrypto, supports P-224).
 *
 * Usage:
 *   pulumi.runtime.setMocks({
 *     newResource: (a) => tlsMock(a.type, a.inputs) ?? { id: `${a.name}_id`, state: a.inputs },
 *     call: (a) => a.inputs,
 *   });
 */
import * as crypto from "node:crypto";
import { AsnConvert, BitString, OctetString } from "@peculiar/asn1-schema";
import {
    AlgorithmIdentifier,
    AttributeTypeAndValue,
    AttributeValue,
    AuthorityKeyIdentifier,
    BasicConstraints,
    ExtendedKeyUsage,
    Extension,
    Extensions,
    KeyIdentifier,
    SubjectKeyIdentifier,
    SubjectPublicKeyInfo,
    Time,
    Validity,
} from "@peculiar/asn1-x509";

export const TLS_TYPES = {
    privateKey: "tls:index/privateKey:PrivateKey",
    selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
    certRequest: "tls:index/certRequest:CertRequest",
    locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

export type KeyAlgorithm = "RSA" | "ECDSA" | "ED25519";

/** Thrown where the provider would return an error diagnostic (summary + detail, like Terraform's). */
export class TlsProviderError extends Error {
    constructor(
        public readonly summary: string,
        public readonly detail: string,
    ) {
        super(`${summary}: ${detail}`);
        this.name = "TlsProviderError";
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Small DER writer / reader (only envelopes; structured content comes from @peculiar/asn1-x509)
// ---------------------------------------------------------------------------------------------------------------

function derLength(n: number): Buffer {
    if (n < 0x80) {
        return Buffer.from([n]);
    }
    const bytes: number[] = [];
    while (n > 0) {
        bytes.unshift(n & 0xff);
        n = Math.floor(n / 256);
    }
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
    const body = Buffer.concat(content);
    return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);

function derInteger(v: bigint): Buffer {
    if (v < 0n) {
        throw new Error("negative integers are not used here");
    }
    let hex = v.toString(16);
    if (hex.length % 2) {
        hex = "0" + hex;
    }
    let b = Buffer.from(hex, "hex");
    if (b[0] & 0x80) {
        b = Buffer.concat([Buffer.from([0]), b]);
    }
    return tlv(0x02, b);
}

function ser(obj: unknown): Buffer {
    return Buffer.from(AsnConvert.serialize(obj));
}

interface Tlv {
    tag: number;
    /** full encoding (header + value) */
    raw: Buffer;
    /** value bytes */
    value: Buffer;
}

function readTlv(buf: Buffer, off = 0): Tlv & { end: number } {
    if (off + 2 > buf.length) {
        throw new Error("asn1: truncated data");
    }
    const tag = buf[off];
    let len = buf[off + 1];
    let hdr = 2;
    if (len & 0x80) {
        const n = len & 0x7f;
        if (n === 0 || n > 4 || off + 2 + n > buf.length) {
            throw new Error("asn1: invalid length");
        }
        len = 0;
        for (let i = 0; i < n; i++) {
            len = len * 256 + buf[off + 2 + i];
        }
        hdr += n;
    }
    const end = off + hdr + len;
    if (end > buf.length) {
        throw new Error("asn1: truncated data");
    }
    return { tag, raw: buf.subarray(off, end), value: buf.subarray(off + hdr, end), end };
}

function children(value: Buffer): Tlv[] {
    const out: Tlv[] = [];
    let off = 0;
    while (off < value.length) {
        const t = readTlv(value, off);
        out.push(t);
        off = t.end;
    }
    return out;
}

function decodeOid(b: Buffer): string {
    const parts: number[] = [];
    let v = 0;
    for (let i = 0; i < b.length; i++) {
        v = v * 128 + (b[i] & 0x7f);
        if (!(b[i] & 0x80)) {
            if (parts.length === 0) {
                const first = v < 40 ? 0 : v < 80 ? 1 : 2;
                parts.push(first, v - first * 40);
            } else {
                parts.push(v);
            }
            v = 0;
        }
    }
    return parts.join(".");
}

// ---------------------------------------------------------------------------------------------------------------
// PEM (Go encoding/pem semantics: 64-column base64, trailing "\n"; Decode returns the FIRST block)
// ---------------------------------------------------------------------------------------------------------------

export function pemEncode(type: string, der: Buffer): string {
    const b64 = der.toString("base64");
    const lines = b64.match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${type}-----\n${lines.join("\n")}${lines.length ? "\n" : ""}-----END ${type}-----\n`;
}

export interface PemBlock {
    type: string;
    headers: Record<string, string>;
    bytes: Buffer;
}

/** Go `pem.Decode`: first well-formed block in the text, or undefined. */
export function pemDecodeFirst(text: string): PemBlock | undefined {
    const re = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
        const type = m[1];
        let body = m[2];
        const headers: Record<string, string> = {};
        const headerMatch = /^((?:[^\n:]+:[^\n]*\r?\n)+)\r?\n/.exec(body);
        if (headerMatch) {
            for (const line of headerMatch[1].split(/\r?\n/).filter(Boolean)) {
                const i = line.indexOf(":");
                headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
            }
            body = body.slice(headerMatch[0].length);
        }
        const compact = body.replace(/[ \t\r\n]/g, "");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
            continue;
        }
        return { type, headers, bytes: Buffer.from(compact, "base64") };
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Go helpers
// ---------------------------------------------------------------------------------------------------------------

const UNICODE_SPACES = new Set([0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
const isGoSpace = (cp: number) => cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || UNICODE_SPACES.has(cp) || (cp >= 0x2000 && cp <= 0x200a);

/** Go `strings.TrimSpace` applied to a byte string (as `hashForState` does to binary DER). */
export function goTrimSpace(b: Buffer): Buffer {
    // utf8.DecodeRune on b[i:end]; invalid → [RuneError, 1]
    const decodeAt = (i: number, end: number): [number, number] => {
        const c = b[i];
        if (c < 0x80) {
            return [c, 1];
        }
        const n = c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
        if (n === 0 || i + n > end) {
            return [0xfffd, 1];
        }
        let cp = c & (0xff >> (n + 1));
        for (let k = 1; k < n; k++) {
            if ((b[i + k] & 0xc0) !== 0x80) {
                return [0xfffd, 1];
            }
            cp = (cp << 6) | (b[i + k] & 0x3f);
        }
        return [cp, n];
    };
    let start = 0;
    while (start < b.length) {
        const [cp, w] = decodeAt(start, b.length);
        if (!isGoSpace(cp)) {
            break;
        }
        start += w;
    }
    let stop = b.length;
    while (stop > start) {
        // utf8.DecodeLastRune on b[start:stop]
        let cp: number;
        let w: number;
        if (b[stop - 1] < 0x80) {
            cp = b[stop - 1];
            w = 1;
        } else {
            const lim = Math.max(start, stop - 4);
            let s = stop - 2;
            while (s >= lim && (b[s] & 0xc0) === 0x80) {
                s--;
            }
            if (s < lim) {
                s = lim;
            }
            [cp, w] = decodeAt(s, stop);
            if (s + w !== stop) {
                [cp, w] = [0xfffd, 1];
            }
        }
        if (!isGoSpace(cp)) {
            break;
        }
        stop -= w;
    }
    return b.subarray(start, stop);
}

/** terraform-provider-tls `hashForState`: hex SHA-1 of strings.TrimSpace(value). */
export function hashForState(value: Buffer): string {
    if (value.length === 0) {
        return "";
    }
    return crypto.createHash("sha1").update(goTrimSpace(value)).digest("hex");
}

/** Go `time.Time.MarshalText` (RFC 3339 with nanoseconds, trailing zeros trimmed) in the process's local zone. */
export function goMarshalTime(epochNs: bigint): string {
    const ms = Number(epochNs / 1_000_000n);
    const offsetMin = -new Date(ms).getTimezoneOffset();
    const local = new Date(ms + offsetMin * 60_000);
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    const nanos = ((epochNs % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
    const frac = nanos === 0n ? "" : "." + nanos.toString().padStart(9, "0").replace(/0+$/, "");
    const zone =
        offsetMin === 0 ? "Z" : `${offsetMin > 0 ? "+" : "-"}${p(Math.floor(Math.abs(offsetMin) / 60))}:${p(Math.abs(offsetMin) % 60)}`;
    return (
        `${p(local.getUTCFullYear(), 4)}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}` +
        `T${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}${frac}${zone}`
    );
}

/** Parses an RFC 3339 timestamp (as produced by goMarshalTime) to epoch nanoseconds. */
export function parseRfc3339Ns(s: string): bigint {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
    if (!m) {
        throw new Error(`cannot parse ${JSON.stringify(s)} as RFC 3339`);
    }
    const secMs = Date.parse(`${m[1]}${m[3]}`);
    return BigInt(secMs) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0") || "0");
}

let lastNs = 0n;
/** Wall clock with sub-millisecond precision (Go's time.Now has nanoseconds). Overridable for tests. */
export let nowNs: () => bigint = () => {
    const t = performance.timeOrigin + performance.now();
    const ms = Math.floor(t);
    let ns = BigInt(ms) * 1_000_000n + BigInt(Math.floor((t - ms) * 1e6));
    if (ns <= lastNs) {
        ns = lastNs + 1n;
    }
    lastNs = ns;
    return ns;
};
/** Replace the clock (e.g. to test readyForRenewal); returns a function restoring the previous clock. */
export function setClock(fn: () => bigint): () => void {
    const prev = nowNs;
    nowNs = fn;
    return () => {
        nowNs = prev;
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------------------------

const CURVES: Record<string, { node: string; go: string; ssh?: string; hash: string; sigOid: string; size: number }> = {
    P224: { node: "secp224r1", go: "P-224", hash: "sha256", sigOid: "1.2.840.10045.4.3.2", size: 28 },
    P256: { node: "prime256v1", go: "P-256", ssh: "nistp256", hash: "sha256", sigOid: "1.2.840.10045.4.3.2", size: 32 },
    P384: { node: "secp384r1", go: "P-384", ssh: "nistp384", hash: "sha384", sigOid: "1.2.840.10045.4.3.3", size: 48 },
    P521: { node: "secp521r1", go: "P-521", ssh: "nistp521", hash: "sha512", sigOid: "1.2.840.10045.4.3.4", size: 66 },
};
const CURVE_BY_NODE = Object.fromEntries(Object.entries(CURVES).map(([k, v]) => [v.node, k]));

export interface LoadedKey {
    algorithm: KeyAlgorithm;
    /** "P224" | "P256" | "P384" | "P521" for ECDSA */
    curve?: string;
    publicKey: crypto.KeyObject;
    privateKey?: crypto.KeyObject;
}

function describePublicKey(pub: crypto.KeyObject): LoadedKey {
    switch (pub.asymmetricKeyType) {
        case "rsa":
            return { algorithm: "RSA", publicKey: pub };
        case "ed25519":
            return { algorithm: "ED25519", publicKey: pub };
        case "ec": {
            const curve = CURVE_BY_NODE[pub.asymmetricKeyDetails?.namedCurve ?? ""];
            if (!curve) {
                throw new Error(`x509: unsupported elliptic curve ${pub.asymmetricKeyDetails?.namedCurve}`);
            }
            return { algorithm: "ECDSA", curve, publicKey: pub };
        }
        default:
            throw new Error(`unsupported public key type ${pub.asymmetricKeyType}`);
    }
}

// Every leaf a CA signs passes the CA's key PEM again; parsing it once per PEM keeps a 500-host stack's run
// from re-reading the same key a thousand times. KeyObjects are immutable, so sharing one is safe.
const parsedKeys = new Map<string, LoadedKey>();

/** terraform-provider-tls `parsePrivateKeyPEM`: first PEM block; PKCS#1 / SEC1 / PKCS#8; unencrypted only. */
export function parsePrivateKeyPem(pem: string): LoadedKey {
    const cached = parsedKeys.get(pem);
    if (cached) {
        return cached;
    }
    const loaded = readPrivateKeyPem(pem);
    parsedKeys.set(pem, loaded);
    return loaded;
}

function readPrivateKeyPem(pem: string): LoadedKey {
    const block = pemDecodeFirst(pem ?? "");
    if (!block) {
        throw new TlsProviderError("Failed to parse private key PEM", "failed to decode PEM block containing private key");
    }
    if (block.headers["Proc-Type"]?.includes("ENCRYPTED")) {
        throw new TlsProviderError("Failed to parse private key PEM", "encrypted private key PEM is not supported");
    }
    const type = ({ "RSA PRIVATE KEY": "pkcs1", "EC PRIVATE KEY": "sec1", "PRIVATE KEY": "pkcs8" } as const)[
        block.type as "RSA PRIVATE KEY"
    ];
    if (!type) {
        throw new TlsProviderError(
            "Failed to parse private key PEM",
            `failed to decode PEM block: unsupported private key PEM preamble "${block.type}"`,
        );
    }
    let priv: crypto.KeyObject;
    try {
        priv = crypto.createPrivateKey({ key: block.bytes, format: "der", type });
    } catch (e) {
        throw new TlsProviderError("Failed to parse private key PEM", `x509: failed to parse private key: ${(e as Error).message}`);
    }
    let desc: LoadedKey;
    try {
        desc = describePublicKey(crypto.createPublicKey(priv));
    } catch (e) {
        throw new TlsProviderError("Failed to parse private key PEM", (e as Error).message);
    }
    return { ...desc, privateKey: priv };
}

// A key's SPKI is read for its PEM, its subject key id, its SSH form and every signature check: export it once.
const spkiCache = new WeakMap<crypto.KeyObject, Buffer>();

function spkiDer(pub: crypto.KeyObject): Buffer {
    let der = spkiCache.get(pub);
    if (!der) {
        der = pub.export({ format: "der", type: "spki" });
        spkiCache.set(pub, der);
    }
    return der;
}

/** Content of the SPKI BIT STRING (PKCS#1 RSAPublicKey, EC point, or raw Ed25519 key). */
function publicKeyBits(pub: crypto.KeyObject): Buffer {
    const spki = AsnConvert.parse(spkiDer(pub), SubjectPublicKeyInfo);
    return Buffer.from(spki.subjectPublicKey);
}

/** terraform-provider-tls `generateSubjectKeyID` (SHA-1; Ed25519 hashes the DER OCTET STRING `04 20 ‖ key`). */
export function subjectKeyId(pub: crypto.KeyObject): Buffer {
    const bits = publicKeyBits(pub);
    const hashed = pub.asymmetricKeyType === "ed25519" ? tlv(0x04, bits) : bits;
    return crypto.createHash("sha1").update(hashed).digest();
}

// --- OpenSSH (golang.org/x/crypto/ssh MarshalAuthorizedKey / MarshalPrivateKey / fingerprints) ---

function sshString(b: Buffer | string): Buffer {
    const buf = typeof b === "string" ? Buffer.from(b) : b;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    return Buffer.concat([len, buf]);
}

function sshMpint(b64url: string | Buffer): Buffer {
    let b = typeof b64url === "string" ? Buffer.from(b64url, "base64url") : b64url;
    let i = 0;
    while (i < b.length && b[i] === 0) {
        i++;
    }
    b = b.subarray(i);
    if (b.length && b[0] & 0x80) {
        b = Buffer.concat([Buffer.from([0]), b]);
    }
    return sshString(b);
}

function sshUint32(n: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
}

interface SshMaterial {
    keyType: string;
    pubWire: Buffer;
    privRest: Buffer; // key-specific private fields (before comment)
}

function sshMaterial(key: LoadedKey): SshMaterial | undefined {
    if (!key.privateKey) {
        return undefined;
    }
    if (key.algorithm === "ECDSA" && !CURVES[key.curve!].ssh) {
        return undefined;
    } // P-224: "ssh: unhandled elliptic curve"
    const jwk = key.privateKey.export({ format: "jwk" }) as Record<string, string>;
    switch (key.algorithm) {
        case "RSA": {
            const pubWire = Buffer.concat([sshString("ssh-rsa"), sshMpint(jwk.e), sshMpint(jwk.n)]);
            const privRest = Buffer.concat([jwk.n, jwk.e, jwk.d, jwk.qi, jwk.p, jwk.q].map((v) => sshMpint(v)));
            return { keyType: "ssh-rsa", pubWire, privRest };
        }
        case "ED25519": {
            const pub = Buffer.from(jwk.x, "base64url");
            const seed = Buffer.from(jwk.d, "base64url");
            const pubWire = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
            const privRest = Buffer.concat([sshString(pub), sshString(Buffer.concat([seed, pub]))]);
            return { keyType: "ssh-ed25519", pubWire, privRest };
        }
        case "ECDSA": {
            const c = CURVES[key.curve!];
            if (!c.ssh) {
                return undefined;
            } // P-224: "ssh: unhandled elliptic curve" → empty outputs
            const point = publicKeyBits(key.publicKey);
            const keyType = `ecdsa-sha2-${c.ssh}`;
            const pubWire = Buffer.concat([sshString(keyType), sshString(c.ssh), sshString(point)]);
            const privRest = Buffer.concat([sshString(c.ssh), sshString(point), sshMpint(jwk.d)]);
            return { keyType, pubWire, privRest };
        }
    }
}

function opensshPrivateKey(m: SshMaterial, comment = ""): string {
    const check = crypto.randomBytes(4).readUInt32BE();
    let block = Buffer.concat([sshUint32(check), sshUint32(check), sshString(m.keyType), m.privRest, sshString(comment)]);
    const pad: number[] = [];
    for (let i = 0; (block.length + pad.length) % 8 !== 0; i++) {
        pad.push(i + 1);
    }
    block = Buffer.concat([block, Buffer.from(pad)]);
    const body = Buffer.concat([
        Buffer.from("openssh-key-v1\0", "latin1"),
        sshString("none"),
        sshString("none"),
        sshString(""),
        sshUint32(1),
        sshString(m.pubWire),
        sshString(block),
    ]);
    return pemEncode("OPENSSH PRIVATE KEY", body);
}

export interface PrivateKeyOutputs {
    privateKeyPem: string;
    privateKeyPemPkcs8: string;
    privateKeyOpenssh: string;
    publicKeyPem: string;
    publicKeyOpenssh: string;
    publicKeyFingerprintMd5: string;
    publicKeyFingerprintSha256: string;
}

/** All PrivateKey outputs for a loaded key (also used for keys not generated here). */
export function privateKeyOutputs(key: LoadedKey): PrivateKeyOutputs {
    const priv = key.privateKey!;
    const privateKeyPem =
        key.algorithm === "RSA"
            ? (priv.export({ format: "pem", type: "pkcs1" }) as string)
            : key.algorithm === "ECDSA"
              ? (priv.export({ format: "pem", type: "sec1" }) as string)
              : (priv.export({ format: "pem", type: "pkcs8" }) as string);
    // Node's PEM writer is OpenSSL's (64 columns, trailing "\n"), identical to Go's pem.EncodeToMemory; re-encode
    // anyway so the framing is ours.
    const reencode = (pem: string, type: string) => pemEncode(type, pemDecodeFirst(pem)!.bytes);
    const m = sshMaterial(key);
    const md5 = m ? crypto.createHash("md5").update(m.pubWire).digest("hex").match(/../g)!.join(":") : "";
    const sha = m ? "SHA256:" + crypto.createHash("sha256").update(m.pubWire).digest("base64").replace(/=+$/, "") : "";
    return {
        privateKeyPem: reencode(
            privateKeyPem,
            key.algorithm === "RSA" ? "RSA PRIVATE KEY" : key.algorithm === "ECDSA" ? "EC PRIVATE KEY" : "PRIVATE KEY",
        ),
        privateKeyPemPkcs8: pemEncode("PRIVATE KEY", priv.export({ format: "der", type: "pkcs8" })),
        privateKeyOpenssh: m ? opensshPrivateKey(m) : "",
        publicKeyPem: pemEncode("PUBLIC KEY", spkiDer(key.publicKey)),
        publicKeyOpenssh: m ? `${m.keyType} ${m.pubWire.toString("base64")}\n` : "",
        publicKeyFingerprintMd5: md5,
        publicKeyFingerprintSha256: sha,
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Names (Go pkix.Name)
// ---------------------------------------------------------------------------------------------------------------

/** The subset of Go's pkix.Name the provider uses. `undefined` = nil slice / unset. */
export interface GoName {
    country?: string[];
    province?: string[];
    locality?: string[];
    streetAddress?: string[];
    postalCode?: string[];
    organization?: string[];
    organizationalUnit?: string[];
    commonName: string;
    serialNumber: string;
    extraNames: { oid: string; value: string }[];
    /** number of attributes seen when parsed (pkix.Name.Names) */
    names: number;
}

const OID = {
    C: "2.5.4.6",
    ST: "2.5.4.8",
    L: "2.5.4.7",
    STREET: "2.5.4.9",
    postalCode: "2.5.4.17",
    O: "2.5.4.10",
    OU: "2.5.4.11",
    CN: "2.5.4.3",
    SERIALNUMBER: "2.5.4.5",
    emailAddress: "1.2.840.113549.1.9.1",
};

/** terraform-provider-tls `createSubjectDistinguishedNames` (+ emailAddress via ExtraNames, IA5String). */
export function subjectToGoName(subject: Record<string, any> | undefined): GoName {
    const n: GoName = { commonName: "", serialNumber: "", extraNames: [], names: 0 };
    if (!subject) {
        return n;
    }
    const one = (v: unknown) => (v === undefined || v === null ? undefined : [String(v)]);
    if (subject.commonName != null) {
        n.commonName = String(subject.commonName);
    }
    n.organization = one(subject.organization);
    n.organizationalUnit = one(subject.organizationalUnit);
    if (subject.streetAddresses != null) {
        n.streetAddress = (subject.streetAddresses as unknown[]).map(String);
    }
    n.locality = one(subject.locality);
    n.province = one(subject.province);
    n.country = one(subject.country);
    n.postalCode = one(subject.postalCode);
    if (subject.serialNumber != null) {
        n.serialNumber = String(subject.serialNumber);
    }
    if (subject.emailAddress != null) {
        n.extraNames.push({ oid: OID.emailAddress, value: String(subject.emailAddress) });
    }
    return n;
}

/** `cmp.Equal(name, pkix.Name{})` */
function isZeroName(n: GoName): boolean {
    return (
        n.commonName === "" &&
        n.serialNumber === "" &&
        n.extraNames.length === 0 &&
        n.names === 0 &&
        [n.country, n.province, n.locality, n.streetAddress, n.postalCode, n.organization, n.organizationalUnit].every(
            (v) => v === undefined,
        )
    );
}

/** Go encoding/asn1: PrintableString when every char is in the PrintableString set, else UTF8String. */
function isPrintable(s: string): boolean {
    return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
}

function encodeAtv(oid: string, value: string, ia5 = false): Buffer {
    const v = ia5
        ? new AttributeValue({ ia5String: value })
        : isPrintable(value)
          ? new AttributeValue({ printableString: value })
          : new AttributeValue({ utf8String: value });
    return ser(new AttributeTypeAndValue({ type: oid, value: v }));
}

/** Go `pkix.Name.ToRDNSequence()` + `asn1.Marshal` (multi-valued RDNs are DER-sorted SETs). */
export function encodeGoName(n: GoName): Buffer {
    const rdns: Buffer[] = [];
    const extraOids = new Set(n.extraNames.map((e) => e.oid));
    const add = (values: string[] | undefined, oid: string) => {
        if (!values || values.length === 0 || extraOids.has(oid)) {
            return;
        }
        const atvs = values.map((v) => encodeAtv(oid, v)).sort(Buffer.compare);
        rdns.push(tlv(0x31, ...atvs));
    };
    add(n.country, OID.C);
    add(n.province, OID.ST);
    add(n.locality, OID.L);
    add(n.streetAddress, OID.STREET);
    add(n.postalCode, OID.postalCode);
    add(n.organization, OID.O);
    add(n.organizationalUnit, OID.OU);
    if (n.commonName.length > 0) {
        add([n.commonName], OID.CN);
    }
    if (n.serialNumber.length > 0) {
        add([n.serialNumber], OID.SERIALNUMBER);
    }
    for (const e of n.extraNames) {
        rdns.push(tlv(0x31, encodeAtv(e.oid, e.value, e.oid === OID.emailAddress)));
    }
    return seq(...rdns);
}

function decodeDirectoryString(t: Tlv): string | undefined {
    switch (t.tag) {
        case 0x13: // PrintableString
        case 0x16: // IA5String
        case 0x12: // NumericString
        case 0x14: // T61String
            return t.value.toString("latin1");
        case 0x0c: // UTF8String
            return t.value.toString("utf8");
        case 0x1e: // BMPString
            if (t.value.length % 2) {
                throw new Error("x509: invalid BMPString");
            }
            return Buffer.from(t.value).swap16().toString("utf16le");
        default:
            throw new Error("x509: unsupported string type");
    }
}

/** Go `pkix.Name.FillFromRDNSequence` (non-standard attributes like emailAddress are NOT kept). */
export function decodeGoName(raw: Buffer): GoName {
    const n: GoName = { commonName: "", serialNumber: "", extraNames: [], names: 0 };
    const top = readTlv(raw);
    for (const rdn of children(top.value)) {
        for (const atv of children(rdn.value)) {
            n.names++;
            const [typ, val] = children(atv.value);
            const oid = decodeOid(typ.value);
            const value = decodeDirectoryString(val);
            if (value === undefined) {
                continue;
            }
            type ListKey = "country" | "locality" | "province" | "streetAddress" | "organization" | "organizationalUnit" | "postalCode";
            const push = (k: ListKey) => {
                (n[k] ??= []).push(value);
            };
            switch (oid) {
                case OID.CN:
                    n.commonName = value;
                    break;
                case OID.SERIALNUMBER:
                    n.serialNumber = value;
                    break;
                case OID.C:
                    push("country");
                    break;
                case OID.L:
                    push("locality");
                    break;
                case OID.ST:
                    push("province");
                    break;
                case OID.STREET:
                    push("streetAddress");
                    break;
                case OID.O:
                    push("organization");
                    break;
                case OID.OU:
                    push("organizationalUnit");
                    break;
                case OID.postalCode:
                    push("postalCode");
                    break;
            }
        }
    }
    return n;
}

// ---------------------------------------------------------------------------------------------------------------
// SANs
// ---------------------------------------------------------------------------------------------------------------

/** Go `net.ParseIP(s)` followed by the `To4()` preference of marshalSANs. undefined = invalid. */
export function parseGoIP(s: string): Buffer | undefined {
    const v4 = (x: string): number[] | undefined => {
        const parts = x.split(".");
        if (parts.length !== 4) {
            return undefined;
        }
        const out: number[] = [];
        for (const p of parts) {
            if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) {
                return undefined;
            }
            const n = Number(p);
            if (n > 255) {
                return undefined;
            }
            out.push(n);
        }
        return out;
    };
    const four = v4(s);
    if (four) {
        return Buffer.from(four);
    }
    if (!s.includes(":")) {
        return undefined;
    }
    // IPv6 (no zones), optional trailing dotted IPv4
    let str = s;
    const lastColon = s.lastIndexOf(":");
    if (s.slice(lastColon + 1).includes(".")) {
        const t = v4(s.slice(lastColon + 1));
        if (!t) {
            return undefined;
        }
        const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
        str = `${s.slice(0, lastColon + 1)}${hex(t[0], t[1])}:${hex(t[2], t[3])}`;
    }
    const halves = str.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const parse = (h: string) => (h === "" ? [] : h.split(":"));
    const groups = halves.map(parse);
    for (const g of groups) {
        for (const x of g) {
            if (!/^[0-9a-fA-F]{1,4}$/.test(x)) {
                return undefined;
            }
        }
    }
    let words: number[];
    if (halves.length === 2) {
        const fill = 8 - groups[0].length - groups[1].length;
        if (fill < 1) {
            return undefined;
        }
        words = [...groups[0], ...Array(fill).fill("0"), ...groups[1]].map((x) => parseInt(x, 16));
    } else {
        if (groups[0].length !== 8) {
            return undefined;
        }
        words = groups[0].map((x) => parseInt(x, 16));
    }
    const b = Buffer.alloc(16);
    words.forEach((w, i) => b.writeUInt16BE(w, i * 2));
    // To4(): IPv4-mapped ::ffff:a.b.c.d → 4 bytes
    if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
        return b.subarray(12);
    }
    return b;
}

/** Loose Go `url.Parse` check: rejects control characters and malformed %-escapes. */
function checkGoUrl(u: string): void {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(u)) {
        throw new Error(`parse ${JSON.stringify(u)}: net/url: invalid control character in URL`);
    }
    if (/%(?![0-9a-fA-F]{2})/.test(u)) {
        throw new Error(`parse ${JSON.stringify(u)}: invalid URL escape`);
    }
}

function isIA5(s: string): boolean {
    // eslint-disable-next-line no-control-regex
    return /^[\x00-\x7f]*$/.test(s);
}

interface Sans {
    dns: string[];
    ips: Buffer[];
    uris: string[];
}

/** Go `marshalSANs`: DNS, (emails), IPs, URIs, in that order. */
function encodeSans(s: Sans): Buffer {
    const parts: Buffer[] = [];
    for (const d of s.dns) {
        if (!isIA5(d)) {
            throw new Error(`x509: "${d}" cannot be encoded as an IA5String`);
        }
        parts.push(tlv(0x82, Buffer.from(d, "latin1")));
    }
    for (const ip of s.ips) {
        parts.push(tlv(0x87, ip));
    }
    for (const u of s.uris) {
        if (!isIA5(u)) {
            throw new Error(`x509: "${u}" cannot be encoded as an IA5String`);
        }
        parts.push(tlv(0x86, Buffer.from(u, "latin1")));
    }
    return seq(...parts);
}

function sansFromInputs(inputs: Record<string, any>): Sans {
    const dns = ((inputs.dnsNames as string[] | undefined) ?? []).map(String);
    const ips = ((inputs.ipAddresses as string[] | undefined) ?? []).map((s) => {
        const ip = parseGoIP(String(s));
        if (!ip) {
            throw new TlsProviderError("Invalid IP address", `Failed to parse ${JSON.stringify(s)}`);
        }
        return ip;
    });
    const uris = ((inputs.uris as string[] | undefined) ?? []).map((u) => {
        try {
            checkGoUrl(String(u));
        } catch (e) {
            throw new TlsProviderError("Invalid URI", (e as Error).message);
        }
        return String(u);
    });
    return { dns, ips, uris };
}

function decodeSans(extValue: Buffer): Sans {
    const out: Sans = { dns: [], ips: [], uris: [] };
    for (const gn of children(readTlv(extValue).value)) {
        switch (gn.tag) {
            case 0x82:
                out.dns.push(gn.value.toString("latin1"));
                break;
            case 0x87:
                if (gn.value.length !== 4 && gn.value.length !== 16) {
                    throw new Error(`x509: cannot parse IP address of length ${gn.value.length}`);
                }
                {
                    const v = Buffer.from(gn.value);
                    const mapped = v.length === 16 && v.subarray(0, 10).every((x) => x === 0) && v[10] === 0xff && v[11] === 0xff;
                    out.ips.push(mapped ? v.subarray(12) : v);
                }
                break;
            case 0x86:
                out.uris.push(gn.value.toString("latin1"));
                break;
            // rfc822Name (emails) and others: the provider drops them
        }
    }
    return out;
}

function hasSans(s: Sans) {
    return s.dns.length + s.ips.length + s.uris.length > 0;
}

// ---------------------------------------------------------------------------------------------------------------
// allowedUses
// ---------------------------------------------------------------------------------------------------------------

export const KEY_USAGES: Record<string, number> = {
    digital_signature: 1 << 0,
    content_commitment: 1 << 1,
    key_encipherment: 1 << 2,
    data_encipherment: 1 << 3,
    key_agreement: 1 << 4,
    cert_signing: 1 << 5,
    crl_signing: 1 << 6,
    encipher_only: 1 << 7,
    decipher_only: 1 << 8,
};

export const EXT_KEY_USAGES: Record<string, string> = {
    any_extended: "2.5.29.37.0",
    server_auth: "1.3.6.1.5.5.7.3.1",
    client_auth: "1.3.6.1.5.5.7.3.2",
    code_signing: "1.3.6.1.5.5.7.3.3",
    email_protection: "1.3.6.1.5.5.7.3.4",
    ipsec_end_system: "1.3.6.1.5.5.7.3.5",
    ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
    ipsec_user: "1.3.6.1.5.5.7.3.7",
    timestamping: "1.3.6.1.5.5.7.3.8",
    ocsp_signing: "1.3.6.1.5.5.7.3.9",
    microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
    netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
    microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
    microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

const SUPPORTED_USES = [...Object.keys(KEY_USAGES), ...Object.keys(EXT_KEY_USAGES)].sort();

function validateAllowedUses(uses: unknown): string[] {
    if (!Array.isArray(uses)) {
        throw new TlsProviderError("Missing required argument", 'The argument "allowed_uses" is required, but no definition was found.');
    }
    for (const u of uses) {
        if (!SUPPORTED_USES.includes(u)) {
            throw new TlsProviderError(
                "Invalid Attribute Value Match",
                `Attribute allowed_uses[Value(${JSON.stringify(u)})] value must be one of: [${SUPPORTED_USES.map((s) =>
                    JSON.stringify(s),
                ).join(" ")}], got: ${JSON.stringify(u)}`,
            );
        }
    }
    return uses as string[];
}

function atLeast(name: string, v: unknown, min: number, dflt?: number): number {
    if (v === undefined || v === null) {
        if (dflt === undefined) {
            throw new TlsProviderError("Missing required argument", `The argument "${name}" is required, but no definition was found.`);
        }
        return dflt;
    }
    const n = Number(v);
    if (!Number.isInteger(n)) {
        throw new TlsProviderError("Incorrect attribute value type", `Attribute ${name} must be a whole number, got: ${v}`);
    }
    if (n < min) {
        throw new TlsProviderError("Invalid Attribute Value", `Attribute ${name} value must be at least ${min}, got: ${n}`);
    }
    return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------------------------

/** Go's default signature algorithm for a signer key (no override in the provider). */
function signatureParams(key: LoadedKey): { algId: Buffer; hash: string | null; name: string } {
    switch (key.algorithm) {
        case "RSA":
            return {
                algId: ser(new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.11", parameters: null })),
                hash: "sha256",
                name: "sha256WithRSAEncryption",
            };
        case "ECDSA": {
            const c = CURVES[key.curve!];
            return {
                algId: ser(new AlgorithmIdentifier({ algorithm: c.sigOid })),
                hash: c.hash,
                name: `ecdsa-with-${c.hash.toUpperCase()}`,
            };
        }
        case "ED25519":
            return { algId: ser(new AlgorithmIdentifier({ algorithm: "1.3.101.112" })), hash: null, name: "ED25519" };
    }
}

function signEnvelope(tbs: Buffer, signer: LoadedKey): Buffer {
    const p = signatureParams(signer);
    const sig = crypto.sign(p.hash, tbs, signer.privateKey!);
    return seq(tbs, p.algId, tlv(0x03, Buffer.from([0]), sig));
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing CSRs and certificates (Go x509.ParseCertificateRequest / ParseCertificate, the parts the provider uses)
// ---------------------------------------------------------------------------------------------------------------

const OID_EXT = {
    keyUsage: "2.5.29.15",
    extKeyUsage: "2.5.29.37",
    basicConstraints: "2.5.29.19",
    subjectKeyId: "2.5.29.14",
    authorityKeyId: "2.5.29.35",
    subjectAltName: "2.5.29.17",
};

interface ParsedExtension {
    oid: string;
    critical: boolean;
    value: Buffer;
}

function parseExtensions(seqValue: Buffer): ParsedExtension[] {
    return children(seqValue).map((ext) => {
        const parts = children(ext.value);
        const critical = parts.length === 3 && parts[1].tag === 0x01 && parts[1].value[0] !== 0;
        return { oid: decodeOid(parts[0].value), critical, value: parts[parts.length - 1].value };
    });
}

export interface ParsedCsr {
    rawSubject: Buffer;
    subject: GoName;
    spki: Buffer;
    publicKey: LoadedKey;
    sans: Sans;
}

export function parseCsrPem(pem: string): ParsedCsr {
    const block = pemDecodeFirst(pem ?? "");
    if (!block || block.type !== "CERTIFICATE REQUEST") {
        throw new TlsProviderError(
            "Failed to decode certificate request",
            `failed to decode PEM block containing certificate request${block ? ` (got "${block.type}")` : ""}`,
        );
    }
    try {
        const [info] = children(readTlv(block.bytes).value);
        const [, subject, spki, attrs] = children(info.value);
        let sans: Sans = { dns: [], ips: [], uris: [] };
        if (attrs && attrs.tag === 0xa0) {
            for (const attr of children(attrs.value)) {
                const [typ, values] = children(attr.value);
                if (decodeOid(typ.value) !== "1.2.840.113549.1.9.14") {
                    continue;
                }
                for (const v of children(values.value)) {
                    for (const ext of parseExtensions(v.value)) {
                        if (ext.oid === OID_EXT.subjectAltName) {
                            sans = decodeSans(ext.value);
                        }
                    }
                }
            }
        }
        const pub = crypto.createPublicKey({ key: Buffer.from(spki.raw), format: "der", type: "spki" });
        return {
            rawSubject: Buffer.from(subject.raw),
            subject: decodeGoName(Buffer.from(subject.raw)),
            spki: Buffer.from(spki.raw),
            publicKey: describePublicKey(pub),
            sans,
        };
    } catch (e) {
        if (e instanceof TlsProviderError) {
            throw e;
        }
        throw new TlsProviderError("Failed to parse certificate request", `x509: ${(e as Error).message}`);
    }
}

export interface ParsedCert {
    der: Buffer;
    rawSubject: Buffer;
    spki: Buffer;
    publicKey: LoadedKey;
    isCA: boolean;
    subjectKeyId?: Buffer;
}

// Each leaf passes its CA's certificate again; parse each PEM once (the result is only read).
const parsedCerts = new Map<string, ParsedCert>();

export function parseCertPem(pem: string): ParsedCert {
    const cached = parsedCerts.get(pem);
    if (cached) {
        return cached;
    }
    const parsed = readCertPem(pem);
    parsedCerts.set(pem, parsed);
    return parsed;
}

function readCertPem(pem: string): ParsedCert {
    const block = pemDecodeFirst(pem ?? "");
    if (!block || block.type !== "CERTIFICATE") {
        throw new TlsProviderError(
            "Failed to decode CA certificate",
            `failed to decode PEM block containing certificate${block ? ` (got "${block.type}")` : ""}`,
        );
    }
    try {
        const top = readTlv(block.bytes);
        if (top.end !== block.bytes.length) {
            throw new TlsProviderError("Invalid CA certificate", "the PEM block must contain exactly one certificate");
        }
        const [tbs] = children(top.value);
        let fields = children(tbs.value);
        if (fields[0].tag === 0xa0) {
            fields = fields.slice(1);
        }
        const [, , , , subject, spki, ...rest] = fields;
        let isCA = false;
        let subjectKeyId: Buffer | undefined;
        const extWrapper = rest.find((f) => f.tag === 0xa3);
        if (extWrapper) {
            for (const ext of parseExtensions(readTlv(extWrapper.value).value)) {
                if (ext.oid === OID_EXT.basicConstraints) {
                    const bc = children(readTlv(ext.value).value);
                    isCA = bc.length > 0 && bc[0].tag === 0x01 && bc[0].value[0] !== 0;
                } else if (ext.oid === OID_EXT.subjectKeyId) {
                    subjectKeyId = Buffer.from(readTlv(ext.value).value);
                }
            }
        }
        const pub = crypto.createPublicKey({ key: Buffer.from(spki.raw), format: "der", type: "spki" });
        return {
            der: block.bytes,
            rawSubject: Buffer.from(subject.raw),
            spki: Buffer.from(spki.raw),
            publicKey: describePublicKey(pub),
            isCA,
            subjectKeyId,
        };
    } catch (e) {
        if (e instanceof TlsProviderError) {
            throw e;
        }
        throw new TlsProviderError("Failed to parse CA certificate", `x509: ${(e as Error).message}`);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Certificate creation (terraform-provider-tls createCertificate + Go x509.CreateCertificate)
// ---------------------------------------------------------------------------------------------------------------

function goTime(d: Date): Time {
    const y = d.getUTCFullYear();
    return y >= 1950 && y < 2050 ? new Time({ utcTime: d }) : new Time({ generalTime: d });
}

function extension(oid: string, critical: boolean, value: Buffer): Extension {
    return new Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}

/** Go `marshalKeyUsage`: bits reversed per byte, trailing zero bits trimmed. */
function keyUsageExtension(ku: number): Extension {
    const rev = (b: number) => {
        let r = 0;
        for (let i = 0; i < 8; i++) {
            if (b & (1 << i)) {
                r |= 1 << (7 - i);
            }
        }
        return r;
    };
    const bytes = [rev(ku & 0xff), rev((ku >> 8) & 0xff)];
    const data = Buffer.from(bytes[1] !== 0 ? bytes : bytes.slice(0, 1));
    const last = data[data.length - 1];
    let unused = 0;
    while (unused < 8 && !(last & (1 << unused))) {
        unused++;
    }
    return extension(OID_EXT.keyUsage, true, ser(new BitString(data, unused)));
}

interface CertTemplate {
    subjectRaw: Buffer;
    sans: Sans;
    subjectSpki: Buffer;
    subjectPub: crypto.KeyObject;
    issuerRaw: Buffer;
    issuerSkid?: Buffer;
    issuerSpki: Buffer;
    signer: LoadedKey;
    selfSigned: boolean;
    subjectIsZero: boolean;
    allowedUses: string[];
    isCa: boolean;
    maxPathLength: number;
    setSubjectKeyId: boolean;
    setAuthorityKeyId: boolean;
    validityPeriodHours: number;
}

interface CommonCertificate {
    id: string;
    certPem: string;
    validityStartTime: string;
    validityEndTime: string;
}

function createCertificate(t: CertTemplate): CommonCertificate {
    const startNs = nowNs();
    // time.Duration(validityPeriodHours) * time.Hour is int64 arithmetic in Go (it wraps past ~292 years)
    const endNs = startNs + BigInt.asIntN(64, BigInt(t.validityPeriodHours) * 3_600_000_000_000n);
    const serial = BigInt("0x" + crypto.randomBytes(16).toString("hex"));

    let ku = 0;
    const eku: string[] = [];
    for (const u of t.allowedUses) {
        if (u in KEY_USAGES) {
            ku |= KEY_USAGES[u];
        }
        if (u in EXT_KEY_USAGES) {
            eku.push(EXT_KEY_USAGES[u]);
        }
    }

    let skid: Buffer | undefined;
    if (t.isCa) {
        if (t.subjectIsZero) {
            throw new TlsProviderError(
                "Invalid Certificate Subject",
                "Must contain at least one Distinguished Name when creating Certificate Authority (CA)",
            );
        }
        skid = subjectKeyId(t.subjectPub);
    }
    if (t.setSubjectKeyId) {
        skid = subjectKeyId(t.subjectPub);
    }

    let akid: Buffer | undefined;
    if (t.setAuthorityKeyId) {
        const parentSkid = t.selfSigned ? skid : t.issuerSkid;
        if (!parentSkid) {
            throw new TlsProviderError("Invalid Certificate Authority", "Could not determine Authority Key Identifier");
        }
        akid = parentSkid;
    }

    // --- Go x509.CreateCertificate ---
    const fail = (msg: string) => new TlsProviderError("Failed to create certificate", msg);
    const maxPathLen = t.maxPathLength >= 0 ? t.maxPathLength : -1;
    if (!t.isCa && maxPathLen !== -1 && maxPathLen !== 0) {
        throw fail("x509: only CAs are allowed to specify MaxPathLen");
    }
    // The signer's public key is derived from its private key when it is loaded (parsePrivateKeyPem).
    if (!t.issuerSpki.equals(spkiDer(t.signer.publicKey))) {
        throw fail("x509: provided PrivateKey doesn't match parent's PublicKey");
    }
    if (!t.subjectRaw.equals(t.issuerRaw) && t.issuerSkid && t.issuerSkid.length > 0) {
        akid = t.issuerSkid;
    }

    const exts: Extension[] = [];
    if (ku !== 0) {
        exts.push(keyUsageExtension(ku));
    }
    if (eku.length > 0) {
        exts.push(extension(OID_EXT.extKeyUsage, false, ser(new ExtendedKeyUsage(eku))));
    }
    const bc = new BasicConstraints({ cA: t.isCa });
    if (maxPathLen > 0) {
        bc.pathLenConstraint = maxPathLen;
    } // MaxPathLen 0 without MaxPathLenZero = unlimited
    exts.push(extension(OID_EXT.basicConstraints, true, ser(bc)));
    if (skid && skid.length) {
        exts.push(extension(OID_EXT.subjectKeyId, false, ser(new SubjectKeyIdentifier(skid))));
    }
    if (akid && akid.length) {
        exts.push(extension(OID_EXT.authorityKeyId, false, ser(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(akid) }))));
    }
    if (hasSans(t.sans)) {
        let san: Buffer;
        try {
            san = encodeSans(t.sans);
        } catch (e) {
            throw fail((e as Error).message);
        }
        exts.push(extension(OID_EXT.subjectAltName, t.subjectRaw.length === 2, san));
    }

    const notBefore = new Date(Number(startNs / 1_000_000_000n) * 1000);
    const notAfter = new Date(Number(endNs / 1_000_000_000n) * 1000);
    const validity = new Validity();
    validity.notBefore = goTime(notBefore);
    validity.notAfter = goTime(notAfter);

    const tbs = seq(
        tlv(0xa0, derInteger(2n)),
        derInteger(serial),
        signatureParams(t.signer).algId,
        t.issuerRaw,
        ser(validity),
        t.subjectRaw,
        t.subjectSpki,
        tlv(0xa3, ser(new Extensions(exts))),
    );
    const der = signEnvelope(tbs, t.signer);
    return {
        id: serial.toString(10),
        certPem: pemEncode("CERTIFICATE", der),
        validityStartTime: goMarshalTime(startNs),
        validityEndTime: goMarshalTime(endNs),
    };
}

/**
 * What a refresh (Read) would set `readyForRenewal` to:
 * `now >= validityEndTime - earlyRenewalHours` (terraform-provider-tls modifyStateIfCertificateReadyForRenewal).
 */
export function isReadyForRenewal(state: Record<string, any>, atNs = nowNs()): boolean {
    const end = parseRfc3339Ns(String(state.validityEndTime));
    // time.Parse(time.RFC3339) keeps fractional seconds
    return end - BigInt(state.earlyRenewalHours ?? 0) * 3_600_000_000_000n - atNs <= 0n;
}

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

export interface MockResult {
    id: string;
    state: Record<string, any>;
}

function resolvePrivateKeyInput(inputs: Record<string, any>, attr: string): { pem: string; wo: boolean } {
    const pem = inputs[attr];
    const wo = inputs[`${attr}Wo`];
    const tfName = attr.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if ((pem == null) === (wo == null)) {
        throw new TlsProviderError(
            "Invalid Attribute Combination",
            `Exactly one of these attributes must be configured: [${tfName},${tfName}_wo]`,
        );
    }
    if (wo != null && inputs[`${attr}WoVersion`] == null) {
        throw new TlsProviderError(
            "Invalid Attribute Combination",
            `Attribute "${tfName}_wo_version" must be specified when "${tfName}_wo" is specified`,
        );
    }
    return { pem: String(pem ?? wo), wo: wo != null };
}

/** Removes write-only inputs from state (the provider never persists them). */
function withoutWriteOnly(state: Record<string, any>, attr: string): Record<string, any> {
    const s = { ...state };
    delete s[`${attr}Wo`];
    return s;
}

function createPrivateKey(inputs: Record<string, any>): MockResult {
    const algorithm = inputs.algorithm;
    if (algorithm == null) {
        throw new TlsProviderError("Missing required argument", 'The argument "algorithm" is required, but no definition was found.');
    }
    if (!["RSA", "ECDSA", "ED25519"].includes(algorithm)) {
        throw new TlsProviderError(
            "Invalid Attribute Value Match",
            `Attribute algorithm value must be one of: ["RSA" "ECDSA" "ED25519"], got: ${JSON.stringify(algorithm)}`,
        );
    }
    const rsaBits = atLeast("rsa_bits", inputs.rsaBits, Number.MIN_SAFE_INTEGER, 2048);
    const ecdsaCurve = inputs.ecdsaCurve ?? "P224";
    if (!(ecdsaCurve in CURVES)) {
        throw new TlsProviderError(
            "Invalid Attribute Value Match",
            `Attribute ecdsa_curve value must be one of: ["P224" "P256" "P384" "P521"], got: ${JSON.stringify(ecdsaCurve)}`,
        );
    }
    let pair: crypto.KeyPairKeyObjectResult;
    if (algorithm === "RSA") {
        if (rsaBits < 1024) {
            throw new TlsProviderError(
                "Unable to generate Key from configuration",
                `crypto/rsa: ${rsaBits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`,
            );
        }
        pair = crypto.generateKeyPairSync("rsa", { modulusLength: rsaBits, publicExponent: 65537 });
    } else if (algorithm === "ECDSA") {
        pair = crypto.generateKeyPairSync("ec", { namedCurve: CURVES[ecdsaCurve].node });
    } else {
        pair = crypto.generateKeyPairSync("ed25519");
    }
    const key: LoadedKey = {
        algorithm,
        curve: algorithm === "ECDSA" ? ecdsaCurve : undefined,
        publicKey: pair.publicKey,
        privateKey: pair.privateKey,
    };
    const out = privateKeyOutputs(key);
    const id = hashForState(spkiDer(pair.publicKey));
    return { id, state: { ...inputs, algorithm, rsaBits, ecdsaCurve, ...out, id } };
}

function certCommonInputs(inputs: Record<string, any>) {
    return {
        allowedUses: validateAllowedUses(inputs.allowedUses),
        validityPeriodHours: atLeast("validity_period_hours", inputs.validityPeriodHours, 0),
        earlyRenewalHours: atLeast("early_renewal_hours", inputs.earlyRenewalHours, 0, 0),
        isCaCertificate: Boolean(inputs.isCaCertificate ?? false),
        setSubjectKeyId: Boolean(inputs.setSubjectKeyId ?? false),
        maxPathLength: atLeast("max_path_length", inputs.maxPathLength, -1, -1),
    };
}

function createSelfSignedCert(inputs: Record<string, any>): MockResult {
    const common = certCommonInputs(inputs);
    const setAuthorityKeyId = Boolean(inputs.setAuthorityKeyId ?? false);
    const { pem } = resolvePrivateKeyInput(inputs, "privateKeyPem");
    const sans = sansFromInputs(inputs);
    const key = parsePrivateKeyPem(pem);
    const name = subjectToGoName(inputs.subject);
    const subjectRaw = encodeGoName(name);
    const spki = spkiDer(key.publicKey);
    const cert = createCertificate({
        subjectRaw,
        sans,
        subjectSpki: spki,
        subjectPub: key.publicKey,
        issuerRaw: subjectRaw,
        issuerSpki: spki,
        signer: key,
        selfSigned: true,
        subjectIsZero: isZeroName(name),
        allowedUses: common.allowedUses,
        isCa: common.isCaCertificate,
        maxPathLength: common.maxPathLength,
        setSubjectKeyId: common.setSubjectKeyId,
        setAuthorityKeyId,
        validityPeriodHours: common.validityPeriodHours,
    });
    const state = withoutWriteOnly(
        {
            ...inputs,
            ...common,
            setAuthorityKeyId,
            keyAlgorithm: key.algorithm,
            readyForRenewal: false,
            ...cert,
        },
        "privateKeyPem",
    );
    return { id: cert.id, state };
}

function createCertRequest(inputs: Record<string, any>): MockResult {
    const { pem } = resolvePrivateKeyInput(inputs, "privateKeyPem");
    const sans = sansFromInputs(inputs);
    const key = parsePrivateKeyPem(pem);
    const subjectRaw = encodeGoName(subjectToGoName(inputs.subject));
    let attributes: Buffer;
    if (hasSans(sans)) {
        let san: Buffer;
        try {
            san = encodeSans(sans);
        } catch (e) {
            throw new TlsProviderError("Failed to create certificate request", (e as Error).message);
        }
        const exts = ser(new Extensions([extension(OID_EXT.subjectAltName, false, san)]));
        attributes = tlv(0xa0, seq(oidDer("1.2.840.113549.1.9.14"), tlv(0x31, exts)));
    } else {
        attributes = tlv(0xa0);
    }
    const info = seq(derInteger(0n), subjectRaw, spkiDer(key.publicKey), attributes);
    const der = signEnvelope(info, key);
    const id = hashForState(der);
    const state = withoutWriteOnly(
        { ...inputs, keyAlgorithm: key.algorithm, certRequestPem: pemEncode("CERTIFICATE REQUEST", der), id },
        "privateKeyPem",
    );
    return { id, state };
}

function oidDer(oid: string): Buffer {
    // AlgorithmIdentifier without parameters = SEQUENCE { OID } → take the OID TLV out of it.
    const algId = ser(new AlgorithmIdentifier({ algorithm: oid }));
    return Buffer.from(children(readTlv(algId).value)[0].raw);
}

function createLocallySignedCert(inputs: Record<string, any>): MockResult {
    const common = certCommonInputs(inputs);
    const { pem: caKeyPem } = resolvePrivateKeyInput(inputs, "caPrivateKeyPem");
    if (inputs.certRequestPem == null) {
        throw new TlsProviderError(
            "Missing required argument",
            'The argument "cert_request_pem" is required, but no definition was found.',
        );
    }
    if (inputs.caCertPem == null) {
        throw new TlsProviderError("Missing required argument", 'The argument "ca_cert_pem" is required, but no definition was found.');
    }
    const csr = parseCsrPem(inputs.certRequestPem);
    const caKey = parsePrivateKeyPem(caKeyPem);
    const ca = parseCertPem(inputs.caCertPem);
    // (!ca.isCA only produces the warning "Potentially Invalid Certificate Authority" in the provider.)
    let subjectRaw: Buffer;
    try {
        subjectRaw = encodeGoName(csr.subject); // re-encoded: Go order, non-standard attributes dropped
    } catch (e) {
        throw new TlsProviderError("Failed to create certificate", (e as Error).message);
    }
    const cert = createCertificate({
        subjectRaw,
        sans: csr.sans,
        subjectSpki: spkiDer(csr.publicKey.publicKey),
        subjectPub: csr.publicKey.publicKey,
        issuerRaw: ca.rawSubject,
        issuerSkid: ca.subjectKeyId,
        issuerSpki: ca.spki,
        signer: caKey,
        selfSigned: false,
        subjectIsZero: isZeroName(csr.subject),
        allowedUses: common.allowedUses,
        isCa: common.isCaCertificate,
        maxPathLength: common.maxPathLength,
        setSubjectKeyId: common.setSubjectKeyId,
        setAuthorityKeyId: false,
        validityPeriodHours: common.validityPeriodHours,
    });
    const state = withoutWriteOnly(
        { ...inputs, ...common, caKeyAlgorithm: caKey.algorithm, readyForRenewal: false, ...cert },
        "caPrivateKeyPem",
    );
    return { id: cert.id, state };
}

/** Pulumi's secret signature, as secret inputs arrive in `MockResourceArgs.inputs`. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Recursively replaces Pulumi secret wrappers (`{[sig]: secretSig, value}`) by their plain values. */
export function unwrapSecrets<T = any>(v: T): T {
    if (Array.isArray(v)) {
        return v.map(unwrapSecrets) as T;
    }
    if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
        const o = v as Record<string, any>;
        if (o[SECRET_SIG_KEY] === SECRET_SIG) {
            return unwrapSecrets(o.value);
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)])) as T;
    }
    return v;
}

/** Wraps a value as a Pulumi secret, the way secret values travel through the mock monitor. */
export function secretValue<T>(value: T): { [SECRET_SIG_KEY]: string; value: T } {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value } as { [SECRET_SIG_KEY]: string; value: T };
}

/** True if `v` is a Pulumi secret wrapper. */
export function isSecretValue(v: unknown): boolean {
    return !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Outputs the SDK lists in `additionalSecretOutputs` (PSDK 5.x), per resource type. */
export const SECRET_OUTPUTS: Record<string, string[]> = {
    [TLS_TYPES.privateKey]: ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"],
    [TLS_TYPES.selfSignedCert]: ["privateKeyPem", "privateKeyPemWo"],
    [TLS_TYPES.certRequest]: ["privateKeyPem", "privateKeyPemWo"],
    [TLS_TYPES.locallySignedCert]: ["caPrivateKeyPem", "caPrivateKeyPemWo"],
};

export interface TlsMockOptions {
    /**
     * Wrap secret outputs (and inputs that arrived as secrets) as Pulumi secrets in `state`, as the engine would
     * (the mock monitor does not apply `additionalSecretOutputs`). Default true. Pass false to get plain strings,
     * e.g. when calling the double directly; {@link unwrapSecrets} does the same afterwards.
     */
    wrapSecrets?: boolean;
}

/**
 * The mock entry point: returns `{id, state}` for the four `@pulumi/tls` resource types, `undefined` for any other
 * type. Throws {@link TlsProviderError} where the provider would fail the create.
 *
 * Inputs may contain Pulumi secret wrappers (the SDK wraps `privateKeyPem`/`caPrivateKeyPem` in `pulumi.secret`);
 * they are unwrapped for the computation. By default, the returned state marks the provider's secret outputs as
 * secrets (see {@link TlsMockOptions.wrapSecrets}), so `pulumi.isSecret(key.privateKeyPem)` is true under mocks.
 */
export function tlsMock(type: string, inputs: Record<string, any>, options: TlsMockOptions = {}): MockResult | undefined {
    const raw = inputs ?? {};
    const plain = unwrapSecrets(raw);
    let result: MockResult;
    switch (type) {
        case TLS_TYPES.privateKey:
            result = createPrivateKey(plain);
            break;
        case TLS_TYPES.selfSignedCert:
            result = createSelfSignedCert(plain);
            break;
        case TLS_TYPES.certRequest:
            result = createCertRequest(plain);
            break;
        case TLS_TYPES.locallySignedCert:
            result = createLocallySignedCert(plain);
            break;
        default:
            return undefined;
    }
    return options.wrapSecrets === false ? result : wrapSecretState(result, raw, SECRET_OUTPUTS[type]);
}

/**
 * Marks a mocked create's secret fields the way the engine would: the provider's secret outputs, and every field
 * whose input arrived as a secret (the mock monitor applies neither on its own).
 */
export function wrapSecretState(result: MockResult, rawInputs: Record<string, any>, secretOutputs: string[]): MockResult {
    const state = { ...result.state };
    for (const k of Object.keys(state)) {
        if ((secretOutputs.includes(k) || isSecretValue(rawInputs[k])) && state[k] !== undefined) {
            state[k] = secretValue(state[k]);
        }
    }
    return { id: result.id, state };
}
