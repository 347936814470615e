// Provided PEMs checked as the TLS handshake and Envoy would check them, with real X.509 parsing: every block parses,
// every certificate is valid now, the leaf covers the host, each chain verifies up to a root in caPem, no certificate
// outlives its issuer, and each key matches its certificate. Messages name certificates by subject, never quote a PEM.
import { createPrivateKey, X509Certificate } from "crypto";
import type { ProvidedCertificate } from "./schema";
import type { SemanticProblem } from "./validate";

const serverAuth = "1.3.6.1.5.5.7.3.1";
const clientAuth = "1.3.6.1.5.5.7.3.2";
const anyUsage = "2.5.29.37.0";

interface Parsed {
    certs: X509Certificate[];
    problem?: string;
}

const subjectOf = (c: X509Certificate) => c.subject.replace(/\n/g, ", ");

/** Every PEM block of a field, each one a certificate that parses; a key or other block is refused by its type only. */
export function parseCertificates(text: string): Parsed {
    const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)];
    if (blocks.length === 0) {
        return { certs: [], problem: "is not a PEM certificate: it holds no PEM block (-----BEGIN CERTIFICATE----- ...)" };
    }
    const certs: X509Certificate[] = [];
    for (const [k, b] of blocks.entries()) {
        const where = blocks.length > 1 ? `block ${k + 1} of ${blocks.length}` : "its PEM block";
        if (b[1] !== "CERTIFICATE") {
            return {
                certs,
                problem: `${where} is a ${b[1]}, not a CERTIFICATE; give certificates only (keys go in keyPem / clientKeyPem)`,
            };
        }
        try {
            certs.push(new X509Certificate(b[0]));
        } catch (e) {
            return { certs, problem: `${where} is not an X.509 certificate (${(e as Error).message})` };
        }
    }
    return { certs };
}

function validityProblem(c: X509Certificate, now: Date): string | undefined {
    const from = new Date(c.validFrom);
    const to = new Date(c.validTo);
    if (now < from) {
        return `is not valid before ${from.toISOString()} (${subjectOf(c)}); issue it with a start time in the past`;
    }
    if (now > to) {
        return `expired on ${to.toISOString()} (${subjectOf(c)}); renew it`;
    }
    return undefined;
}

const issued = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);
const selfSigned = (c: X509Certificate) => issued(c, c);

/**
 * The path from a leaf up to a self-signed root, as a verifier builds it: `served` is what the gateway sends after the
 * leaf (in order), `trusted` the CA bundle. Returns the path, or why there is none.
 */
function chainPath(leaf: X509Certificate, served: X509Certificate[], trusted: X509Certificate[] | undefined) {
    const path = [leaf];
    const pool = [...served, ...(trusted ?? [])];
    for (let cur = leaf; !selfSigned(cur);) {
        const issuer = pool.find((p) => !path.includes(p) && issued(cur, p));
        if (!issuer) {
            return trusted === undefined
                ? { path }
                : {
                      path,
                      problem: `does not verify against caPem: no certificate there issued ${subjectOf(cur)}; put its issuing CA chain up to the root in caPem`,
                  };
        }
        if (!issuer.ca) {
            return {
                path,
                problem: `is issued by ${subjectOf(issuer)}, which is not a CA (basicConstraints CA:FALSE), so no verifier accepts the chain`,
            };
        }
        path.push(issuer);
        cur = issuer;
        if (path.length > 10) {
            return { path, problem: "has a chain longer than 10 certificates" };
        }
    }
    return { path };
}

/** A certificate that expires after its issuer stops verifying when the issuer does: it outlives it. */
function outlivesProblem(path: X509Certificate[]): string | undefined {
    for (let k = 0; k + 1 < path.length; k++) {
        const child = new Date(path[k].validTo);
        const parent = new Date(path[k + 1].validTo);
        if (child > parent) {
            return `holds ${subjectOf(path[k])}, valid until ${child.toISOString()}, which outlives its issuer ${subjectOf(path[k + 1])} (until ${parent.toISOString()}); issue it to expire no later than its issuer`;
        }
    }
    return undefined;
}

function usageProblem(c: X509Certificate, oid: string, name: string): string | undefined {
    const usages = c.keyUsage as string[] | undefined;
    return usages && !usages.includes(oid) && !usages.includes(anyUsage)
        ? `has an extendedKeyUsage without ${name} (${usages.join(", ")}), so TLS peers refuse it; issue it with ${name}`
        : undefined;
}

function keyProblem(keyPem: string, cert: X509Certificate | undefined, certField: string): string | undefined {
    try {
        const key = createPrivateKey(keyPem);
        return cert && !cert.checkPrivateKey(key)
            ? `does not match ${certField}'s public key; give the key the certificate was issued for`
            : undefined;
    } catch {
        return "is not an unencrypted PEM private key";
    }
}

/** Every problem of one host's provided PEMs. `now` is injectable so tests need no clock tricks. */
export function providedPemProblems(name: string, hostName: string, pems: ProvidedCertificate, now = new Date()): SemanticProblem[] {
    const out: SemanticProblem[] = [];
    const base = `certificates.${name}`;
    const add = (field: string, message: string | undefined) => {
        if (message) {
            out.push({ path: `${base}.${field}`, value: "(PEM)", message });
        }
    };
    const server = parseCertificates(pems.certPem);
    add("certPem", server.problem);
    const ca = pems.caPem === undefined ? undefined : parseCertificates(pems.caPem);
    add("caPem", ca?.problem);
    ca?.certs.forEach((c, k) => {
        if (!c.ca) {
            add("caPem", `certificate ${k + 1} (${subjectOf(c)}) is not a CA (basicConstraints CA:FALSE); caPem holds the CA chain only`);
        }
    });
    const trusted = ca && !ca.problem ? ca.certs : undefined;
    const leaf = server.problem ? undefined : server.certs[0];
    add("keyPem", keyProblem(pems.keyPem, leaf, "certPem"));
    if (leaf) {
        if (!coversHost(leaf, hostName)) {
            add(
                "certPem",
                `does not cover ${hostName}: its DNS names are ${dnsNames(leaf).join(", ") || "(none)"} (clients match the subjectAltName only, RFC 6125 6.4.4); issue it for ${hostName}`,
            );
        }
        add("certPem", usageProblem(leaf, serverAuth, "serverAuth"));
        server.certs.slice(0, -1).forEach((c, k) => {
            if (!issued(c, server.certs[k + 1])) {
                add(
                    "certPem",
                    `certificate ${k + 2} did not issue certificate ${k + 1} (${subjectOf(c)}); list the leaf first, then each issuer in turn`,
                );
            }
        });
        const chain = chainPath(leaf, server.certs.slice(1), trusted);
        add("certPem", chain.problem);
        add("certPem", outlivesProblem(chain.path));
    }
    for (const [field, parsed] of [
        ["certPem", server],
        ["caPem", ca],
    ] as const) {
        for (const c of parsed?.certs ?? []) {
            add(field, validityProblem(c, now));
        }
    }
    if ((pems.clientCertPem === undefined) !== (pems.clientKeyPem === undefined)) {
        add("clientCertPem", "and clientKeyPem go together; give both or neither");
    }
    if (pems.clientCertPem !== undefined) {
        const client = parseCertificates(pems.clientCertPem);
        add("clientCertPem", client.problem);
        const cert = client.problem ? undefined : client.certs[0];
        if (pems.clientKeyPem !== undefined) {
            add("clientKeyPem", keyProblem(pems.clientKeyPem, cert, "clientCertPem"));
        }
        if (cert) {
            add("clientCertPem", usageProblem(cert, clientAuth, "clientAuth"));
            add("clientCertPem", validityProblem(cert, now));
            const chain = chainPath(cert, client.certs.slice(1), trusted);
            add("clientCertPem", chain.problem);
            add("clientCertPem", outlivesProblem(chain.path));
        }
    }
    return out;
}

function dnsNames(c: X509Certificate): string[] {
    return (c.subjectAltName ?? "")
        .split(", ")
        .filter((s) => s.startsWith("DNS:"))
        .map((s) => s.slice(4));
}

/** RFC 6125: SAN only, a wildcard as the whole left-most label matching exactly one label. */
function coversHost(c: X509Certificate, host: string): boolean {
    if (host.startsWith("*.")) {
        // A wildcard host is served only by a certificate for that wildcard.
        return dnsNames(c).includes(host);
    }
    return c.checkHost(host, { subject: "never", wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
}
