// The OpenSSL command line (/usr/bin/openssl) and PEM helpers, for checks that do not trust our own code.
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const opensslBin = fs.existsSync("/usr/bin/openssl") ? "/usr/bin/openssl" : "openssl";

export interface RunResult {
    status: number;
    stdout: string;
    stderr: string;
}

/** Runs `openssl <args>`; never throws on a non-zero exit (the caller asserts on it). */
export function openssl(args: string[], input?: string): RunResult {
    const r = spawnSync(opensslBin, args, { input, encoding: "utf8" });
    if (r.error) {
        throw r.error;
    }
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `openssl <args>` for a step that must work (fixtures, not assertions); throws with its stderr otherwise. */
export function opensslOk(args: string[], input?: string): string {
    const r = openssl(args, input);
    if (r.status !== 0) {
        throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
    }
    return r.stdout;
}

/** A scratch folder for PEM files handed to openssl; remove it with `dispose()`. */
export class Scratch {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-ingress-"));
    private n = 0;

    /** Writes `content` to a fresh file and returns its path. */
    file(content: string, hint = "pem"): string {
        const p = path.join(this.dir, `${this.n++}-${hint.replace(/[^A-Za-z0-9_.-]/g, "_")}`);
        fs.writeFileSync(p, content, { mode: 0o600 });
        return p;
    }

    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Every PEM block of a type in a bundle, in order (each ends with a newline). */
export function pemBlocks(bundle: string, type = "CERTIFICATE"): string[] {
    const re = new RegExp(`-----BEGIN ${type}-----\\r?\\n[\\s\\S]*?-----END ${type}-----`, "g");
    return (bundle.match(re) ?? []).map((b) => `${b}\n`);
}

/** The certificates of a PEM bundle, parsed by Node's X509Certificate (OpenSSL underneath). */
export function certificates(bundle: string): crypto.X509Certificate[] {
    return pemBlocks(bundle).map((b) => new crypto.X509Certificate(b));
}

/** `openssl verify -purpose <purpose> -CAfile <root> -untrusted <intermediates> [-verify_hostname host] <leaf>`. */
export function verify(
    scratch: Scratch,
    opts: { leaf: string; root: string; untrusted?: string; purpose?: "sslserver" | "sslclient"; hostname?: string },
): RunResult {
    const args = ["verify", "-CAfile", scratch.file(opts.root, "root.pem")];
    if (opts.untrusted) {
        args.push("-untrusted", scratch.file(opts.untrusted, "untrusted.pem"));
    }
    if (opts.purpose) {
        args.push("-purpose", opts.purpose);
    }
    if (opts.hostname) {
        args.push("-verify_hostname", opts.hostname);
    }
    args.push(scratch.file(opts.leaf, "leaf.pem"));
    return openssl(args);
}

/** The SubjectPublicKeyInfo PEM of a private key, as `openssl pkey -pubout` derives it. */
export function publicKeyOfKey(scratch: Scratch, keyPem: string): string {
    const r = openssl(["pkey", "-in", scratch.file(keyPem, "key.pem"), "-pubout"]);
    if (r.status !== 0) {
        throw new Error(`openssl pkey failed: ${r.stderr}`);
    }
    return r.stdout;
}

/** The SubjectPublicKeyInfo PEM of a certificate, as `openssl x509 -pubkey -noout` prints it. */
export function publicKeyOfCert(scratch: Scratch, certPem: string): string {
    const r = openssl(["x509", "-in", scratch.file(certPem, "cert.pem"), "-pubkey", "-noout"]);
    if (r.status !== 0) {
        throw new Error(`openssl x509 -pubkey failed: ${r.stderr}`);
    }
    return r.stdout;
}

/** `openssl x509 -text -noout` of a certificate. */
export function certText(scratch: Scratch, certPem: string): string {
    const r = openssl(["x509", "-in", scratch.file(certPem, "cert.pem"), "-text", "-noout"]);
    if (r.status !== 0) {
        throw new Error(`openssl x509 -text failed: ${r.stderr}`);
    }
    return r.stdout;
}

/** `openssl x509 -noout -startdate -enddate` as epoch seconds. */
export function validityOf(scratch: Scratch, certPem: string): { notBefore: number; notAfter: number } {
    const r = openssl(["x509", "-in", scratch.file(certPem, "cert.pem"), "-noout", "-startdate", "-enddate"]);
    if (r.status !== 0) {
        throw new Error(`openssl x509 -dates failed: ${r.stderr}`);
    }
    const field = (name: string) => {
        const m = new RegExp(`^${name}=(.+)$`, "m").exec(r.stdout);
        if (!m) {
            throw new Error(`no ${name} in ${r.stdout}`);
        }
        return Date.parse(m[1]) / 1000;
    };
    return { notBefore: field("notBefore"), notAfter: field("notAfter") };
}

/** A throwaway CA (root, self-signed) and a client certificate it signs, made by the openssl CLI alone. */
export function foreignCa(scratch: Scratch, cn: string): { caCert: string; clientCert: string; clientKey: string; dir: string } {
    const dir = fs.mkdtempSync(path.join(scratch.dir, "foreign-"));
    const p = (f: string) => path.join(dir, f);
    opensslOk([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        p("ca.key"),
        "-out",
        p("ca.crt"),
        "-days",
        "2",
        "-subj",
        `/O=Elsewhere/CN=${cn} Root CA`,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    opensslOk([
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        p("client.key"),
        "-out",
        p("client.csr"),
        "-subj",
        `/O=Elsewhere/CN=${cn}`,
    ]);
    fs.writeFileSync(p("client.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
    opensslOk([
        "x509",
        "-req",
        "-in",
        p("client.csr"),
        "-CA",
        p("ca.crt"),
        "-CAkey",
        p("ca.key"),
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        p("client.ext"),
        "-out",
        p("client.crt"),
    ]);
    return { caCert: p("ca.crt"), clientCert: p("client.crt"), clientKey: p("client.key"), dir };
}

/** OpenSSL's `YYYYMMDDHHMMSSZ` for a date. */
function asn1Time(d: Date): string {
    return d
        .toISOString()
        .replace(/[-:T]/g, "")
        .replace(/\.\d+Z$/, "Z");
}

/**
 * A self-signed certificate valid from `notBefore` to `notAfter` (either may be in the past), made by `openssl ca`
 * (`openssl req -x509` cannot backdate), with a random serial.
 */
export function datedCertificate(scratch: Scratch, cn: string, notBefore: Date, notAfter: Date): string {
    const dir = fs.mkdtempSync(path.join(scratch.dir, "dated-"));
    const p = (f: string) => path.join(dir, f);
    fs.writeFileSync(p("index.txt"), "");
    fs.writeFileSync(
        p("ca.cnf"),
        [
            "[ca]",
            "default_ca = d",
            "[d]",
            `database = ${p("index.txt")}`,
            `new_certs_dir = ${dir}`,
            `serial = ${p("serial")}`,
            "default_md = sha256",
            "policy = p",
            "unique_subject = no",
            "[p]",
            "commonName = supplied",
            "",
        ].join("\n"),
    );
    opensslOk([
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        p("key.pem"),
        "-out",
        p("req.csr"),
        "-subj",
        `/CN=${cn}`,
    ]);
    opensslOk([
        "ca",
        "-batch",
        "-config",
        p("ca.cnf"),
        "-selfsign",
        "-keyfile",
        p("key.pem"),
        "-in",
        p("req.csr"),
        "-rand_serial",
        "-notext",
        "-startdate",
        asn1Time(notBefore),
        "-enddate",
        asn1Time(notAfter),
        "-out",
        p("cert.pem"),
    ]);
    return fs.readFileSync(p("cert.pem"), "utf8");
}

/** OpenSSL's reading of a certificate: serial (hex, upper case), notAfter (ISO), SHA-256 fingerprint, subject CN. */
export function opensslIdentity(scratch: Scratch, certPem: string): { serial: string; notAfter: string; fingerprint: string; cn: string } {
    const r = openssl([
        "x509",
        "-in",
        scratch.file(certPem, "cert.pem"),
        "-noout",
        "-serial",
        "-enddate",
        "-fingerprint",
        "-sha256",
        "-subject",
        "-nameopt",
        "multiline",
    ]);
    if (r.status !== 0) {
        throw new Error(`openssl x509 failed: ${r.stderr}`);
    }
    const field = (re: RegExp) => {
        const m = re.exec(r.stdout);
        if (!m) {
            throw new Error(`${re} not in ${r.stdout}`);
        }
        return m[1].trim();
    };
    return {
        serial: field(/^serial=(.+)$/m).toUpperCase(),
        notAfter: new Date(field(/^notAfter=(.+)$/m)).toISOString(),
        fingerprint: field(/Fingerprint=(.+)$/m),
        cn: field(/^\s*commonName\s*=\s*(.+)$/m),
    };
}
