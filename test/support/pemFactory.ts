// Certificates made by the openssl CLI alone (`openssl ca`, for exact start and end dates), so the PEM checks are
// judged on material our code did not produce.
import * as fs from "fs";
import * as path from "path";
import { opensslOk, Scratch } from "./openssl";

export interface Issued {
    cert: string;
    key: string;
    certPath: string;
    keyPath: string;
}

export interface IssueOptions {
    subject: string;
    /** Signs with this; absent means self-signed. */
    issuer?: Issued;
    /** openssl extension lines, e.g. `basicConstraints=critical,CA:TRUE`. */
    ext: string[];
    /** YYYYMMDDHHMMSSZ */
    start?: string;
    end?: string;
    /** Sign this key's CSR instead of a fresh key's. */
    key?: Issued;
}

export const caExt = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"];
export const serverExt = (...dns: string[]) => [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=serverAuth",
    ...(dns.length ? [`subjectAltName=${dns.map((d) => `DNS:${d}`).join(",")}`] : []),
];
export const clientExt = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=clientAuth"];

export class PemFactory {
    private n = 0;
    private readonly dir: string;

    constructor(scratch: Scratch) {
        this.dir = fs.mkdtempSync(path.join(scratch.dir, "pki-"));
        fs.writeFileSync(path.join(this.dir, "index.txt"), "");
        fs.writeFileSync(path.join(this.dir, "serial"), "1000\n");
        fs.writeFileSync(
            path.join(this.dir, "ca.cnf"),
            [
                "[ca]",
                "default_ca = d",
                "[d]",
                `database = ${this.dir}/index.txt`,
                `new_certs_dir = ${this.dir}`,
                `serial = ${this.dir}/serial`,
                "default_md = sha256",
                "policy = p",
                "unique_subject = no",
                "email_in_dn = no",
                "[p]",
                "commonName = optional",
                "organizationName = optional",
                "",
            ].join("\n"),
        );
    }

    /** A fresh P-256 key (PKCS#8 PEM). */
    newKey(): { key: string; keyPath: string } {
        const keyPath = path.join(this.dir, `k${this.n++}.pem`);
        opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPath]);
        return { key: fs.readFileSync(keyPath, "utf8"), keyPath };
    }

    issue(o: IssueOptions): Issued {
        const id = this.n++;
        const { key, keyPath } = o.key ?? this.newKey();
        const csr = path.join(this.dir, `c${id}.csr`);
        const ext = path.join(this.dir, `e${id}.cnf`);
        const out = path.join(this.dir, `x${id}.pem`);
        fs.writeFileSync(ext, `${o.ext.join("\n")}\n`);
        opensslOk(["req", "-new", "-key", keyPath, "-subj", o.subject, "-out", csr]);
        const signer = o.issuer ? ["-cert", o.issuer.certPath, "-keyfile", o.issuer.keyPath] : ["-selfsign", "-keyfile", keyPath];
        opensslOk([
            "ca",
            "-batch",
            "-notext",
            "-config",
            path.join(this.dir, "ca.cnf"),
            ...signer,
            "-in",
            csr,
            "-out",
            out,
            "-extfile",
            ext,
            "-startdate",
            o.start ?? "20200101000000Z",
            "-enddate",
            o.end ?? "20900101000000Z",
        ]);
        return { cert: fs.readFileSync(out, "utf8"), key, certPath: out, keyPath };
    }
}
