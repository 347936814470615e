// Plays cert-manager's CA issuer with the openssl command line: from a Certificate and the key-pair Secret its
// Issuer names, the Secret cert-manager would write (tls.crt leaf then the issuer's tls.crt, tls.key, ca.crt the
// issuer's ca.crt), so tests serve a certificate signed the way the real controller signs it.
import { k8sObjects, StackRun } from "./harness";
import { opensslOk, Scratch } from "./openssl";
import { secretValue } from "./gatewayObjects";

type Obj = Record<string, any>;

const subjectFields: [string, string][] = [
    ["countries", "C"],
    ["provinces", "ST"],
    ["localities", "L"],
    ["organizations", "O"],
    ["organizationalUnits", "OU"],
];

/** A key as the Certificate's privateKey asks for it (cert-manager's defaults: RSA 2048, ECDSA P-256). */
function newKey(scratch: Scratch, privateKey: Obj | undefined): string {
    const algorithm = privateKey?.algorithm ?? "RSA";
    const out = scratch.file("", "issued-key.pem");
    if (algorithm === "ECDSA") {
        const curve = { 256: "P-256", 384: "P-384", 521: "P-521" }[Number(privateKey?.size ?? 256)];
        opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${curve}`, "-out", out]);
    } else {
        opensslOk(["genpkey", "-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${privateKey?.size ?? 2048}`, "-out", out]);
    }
    return out;
}

function hoursOf(duration: string | undefined): number {
    if (!duration) {
        return 90 * 24;
    }
    const m = /^(\d+)h$/.exec(duration);
    if (!m) {
        throw new Error(`this stand-in reads durations in whole hours only, not ${duration}`);
    }
    return Number(m[1]);
}

/** The Secret cert-manager's CA issuer writes for `cert`, signed by the key pair in `issuerSecret`. */
export function issueAsCertManager(scratch: Scratch, cert: Obj, issuerSecret: Obj): Obj {
    const s = cert.spec;
    const caCert = secretValue(issuerSecret, "tls.crt");
    const caKey = secretValue(issuerSecret, "tls.key");
    if (!caCert || !caKey) {
        throw new Error(`issuer Secret ${issuerSecret.metadata.name} has no tls.crt/tls.key`);
    }
    const key = newKey(scratch, s.privateKey);
    const subject = [
        ...subjectFields.flatMap(([field, rdn]) => (s.subject?.[field] ?? []).map((v: string) => `/${rdn}=${v}`)),
        ...(s.commonName ? [`/CN=${s.commonName}`] : []),
    ].join("");
    const csr = scratch.file("", "issued.csr");
    opensslOk(["req", "-new", "-key", key, "-subj", subject || "/", "-out", csr]);
    const usages = s.usages ?? ["digital signature", "key encipherment"];
    const keyUsage = [
        usages.includes("digital signature") ? "digitalSignature" : undefined,
        usages.includes("key encipherment") ? "keyEncipherment" : undefined,
    ].filter(Boolean);
    const ext = [
        "basicConstraints=critical,CA:FALSE",
        `subjectAltName=${(s.dnsNames ?? []).map((d: string) => `DNS:${d}`).join(",")}`,
        ...(keyUsage.length ? [`keyUsage=critical,${keyUsage.join(",")}`] : []),
        ...(usages.includes("server auth") ? ["extendedKeyUsage=serverAuth"] : []),
        "authorityKeyIdentifier=keyid",
        "subjectKeyIdentifier=hash",
    ].join("\n");
    const leaf = opensslOk([
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        scratch.file(caCert, "issuer.crt"),
        "-CAkey",
        scratch.file(caKey, "issuer.key"),
        "-set_serial",
        `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`,
        "-days",
        String(Math.max(1, Math.floor(hoursOf(s.duration) / 24))),
        "-extfile",
        scratch.file(ext, "issued.ext"),
    ]);
    const stringData: Record<string, string> = {
        "tls.crt": leaf + (caCert.endsWith("\n") ? caCert : `${caCert}\n`),
        "tls.key": opensslOk(["pkey", "-in", key]),
    };
    const ca = secretValue(issuerSecret, "ca.crt");
    if (ca) {
        stringData["ca.crt"] = ca;
    }
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/tls",
        metadata: { name: s.secretName, namespace: cert.metadata.namespace },
        stringData,
    };
}

/**
 * Adds to the run the Secret each of its Certificates would get from the stack's own CA Issuer, as the controller
 * would write it once the objects are applied; returns host name -> that Secret.
 */
export function issueStackCertificates(scratch: Scratch, stack: StackRun): Map<string, Obj> {
    const objects = k8sObjects(stack).map((r) => r.inputs);
    const issued = new Map<string, Obj>();
    for (const cert of objects.filter((o) => o.kind === "Certificate")) {
        const ns = cert.metadata.namespace;
        const issuer = objects.find(
            (o) => o.kind === "Issuer" && o.metadata.name === cert.spec.issuerRef.name && o.metadata.namespace === ns,
        );
        const secretName = issuer?.spec?.ca?.secretName;
        const keyPair = objects.find((o) => o.kind === "Secret" && o.metadata.name === secretName && o.metadata.namespace === ns);
        if (!keyPair) {
            throw new Error(
                `Certificate ${ns}/${cert.metadata.name}: no CA Issuer ${cert.spec.issuerRef.name} with a key-pair Secret in the stack`,
            );
        }
        const secret = issueAsCertManager(scratch, cert, keyPair);
        stack.resources.push({
            type: "kubernetes:core/v1:Secret",
            name: `issued-${secret.metadata.name}`,
            urn: `urn:pulumi:test::secure-ingress::kubernetes:core/v1:Secret::issued-${secret.metadata.name}`,
            inputs: secret,
            state: secret,
        });
        for (const host of cert.spec.dnsNames) {
            issued.set(host, secret);
        }
    }
    return issued;
}
