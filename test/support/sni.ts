// Peeks the server name (SNI) out of a TLS ClientHello without terminating TLS (RFC 8446 §4.1.2, RFC 6066 §3).

export type HelloPeek =
    /** More bytes are needed. */
    | { kind: "incomplete" }
    /** The bytes are not a TLS handshake. */
    | { kind: "not-tls"; reason: string }
    /** A complete ClientHello; serverName is absent when the client sent no SNI (e.g. it connected to an IP). */
    | { kind: "hello"; serverName?: string };

/** Reads the ClientHello from the first TLS record(s) in `buf`. */
export function peekClientHello(buf: Buffer): HelloPeek {
    // Reassemble the handshake message from consecutive handshake records.
    const parts: Buffer[] = [];
    let off = 0;
    let have = 0;
    let need = -1;
    while (need < 0 || have < need) {
        if (buf.length < off + 5) {
            return { kind: "incomplete" };
        }
        if (buf[off] !== 0x16) {
            return { kind: "not-tls", reason: `record type ${buf[off]} is not handshake (22)` };
        }
        if (buf[off + 1] !== 0x03) {
            return { kind: "not-tls", reason: `record version ${buf[off + 1]}.${buf[off + 2]}` };
        }
        const len = buf.readUInt16BE(off + 3);
        if (buf.length < off + 5 + len) {
            return { kind: "incomplete" };
        }
        parts.push(buf.subarray(off + 5, off + 5 + len));
        have += len;
        off += 5 + len;
        if (need < 0 && have >= 4) {
            const hs = Buffer.concat(parts);
            if (hs[0] !== 0x01) {
                return { kind: "not-tls", reason: `handshake type ${hs[0]} is not ClientHello (1)` };
            }
            need = 4 + hs.readUIntBE(1, 3);
        }
    }
    const hello = Buffer.concat(parts).subarray(4, need);
    try {
        return { kind: "hello", serverName: serverNameOf(hello) };
    } catch (e) {
        return { kind: "not-tls", reason: `malformed ClientHello: ${(e as Error).message}` };
    }
}

function serverNameOf(b: Buffer): string | undefined {
    let p = 2 + 32; // legacy_version, random
    const need = (n: number) => {
        if (p + n > b.length) {
            throw new Error("truncated");
        }
    };
    need(1);
    p += 1 + b[p]; // legacy_session_id
    need(2);
    p += 2 + b.readUInt16BE(p); // cipher_suites
    need(1);
    p += 1 + b[p]; // legacy_compression_methods
    if (p === b.length) {
        return undefined;
    } // no extensions
    need(2);
    const end = p + 2 + b.readUInt16BE(p);
    p += 2;
    if (end > b.length) {
        throw new Error("extensions overrun");
    }
    while (p + 4 <= end) {
        const type = b.readUInt16BE(p);
        const len = b.readUInt16BE(p + 2);
        const data = b.subarray(p + 4, p + 4 + len);
        p += 4 + len;
        if (type !== 0) {
            continue;
        } // server_name
        let q = 2; // server_name_list length
        while (q + 3 <= data.length) {
            const nameType = data[q];
            const nameLen = data.readUInt16BE(q + 1);
            const name = data.subarray(q + 3, q + 3 + nameLen).toString("ascii");
            q += 3 + nameLen;
            if (nameType === 0) {
                return name;
            }
        }
    }
    return undefined;
}

/** A fatal TLS alert record: unrecognized_name (112), what a server with no certificate for the name may send. */
export const unrecognizedNameAlert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 112]);
