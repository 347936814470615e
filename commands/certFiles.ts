// The stack's certificates and keys as the task's file layout (mtls-go-example's generate.sh), so the
// task's own curl lines work unchanged. Pure: stack outputs in, files out.
import { certFiles } from "../components/naming";

export interface CertFile {
    path: string;
    content: string;
    /** 0o600 for private keys, 0o644 for certificates. */
    mode: number;
}

export interface CertOutputs {
    certificates?: Record<
        string,
        { rootCert?: string; intermediateCert?: string; caChain?: string; serverCert?: string; clientCert?: string }
    >;
    privateKeys?: Record<string, { serverKey?: string; clientKey?: string }>;
    /** cert-manager hosts: where the Certificate writes its Secret, and whether the stack's own CA signs it. */
    issuedCertificates?: Record<string, { namespace: string; certificate: string; secretName: string; ownCa: boolean }>;
}

/** The public keys of a Secret cert-manager wrote (never tls.key: the server key stays in the cluster). */
export interface IssuedSecret {
    "tls.crt"?: string;
    "ca.crt"?: string;
}

/** The public part of a Secret as `kubectl get secret -o json` prints it (base64 data). */
export function issuedSecretFromJson(json: string): IssuedSecret {
    const data: Record<string, string> = JSON.parse(json).data ?? {};
    const get = (k: "tls.crt" | "ca.crt") => (data[k] === undefined ? undefined : Buffer.from(data[k], "base64").toString("utf8"));
    return { "tls.crt": get("tls.crt"), "ca.crt": get("ca.crt") };
}

/**
 * What cert-manager issued for a host, in the task's layout: the served chain as the server certificate, and for an
 * issuer outside the stack the CA it wrote (ca.crt), which the printed --cacert reads.
 */
export function issuedCertFiles(host: string, secret: IssuedSecret, ownCa: boolean): CertFile[] {
    const f = certFiles(host);
    const files: CertFile[] = [];
    if (secret["tls.crt"]) {
        files.push({ path: f.serverCert, content: secret["tls.crt"], mode: 0o644 });
    }
    if (!ownCa && secret["ca.crt"]) {
        files.push({ path: f.issuerCa, content: secret["ca.crt"], mode: 0o644 });
    }
    return files;
}

export function certFileList(outputs: CertOutputs): CertFile[] {
    const files: CertFile[] = [];
    const add = (path: string, content: string | undefined, mode: number) => {
        if (content) {
            files.push({ path, content, mode });
        }
    };
    for (const [host, certs] of Object.entries(outputs.certificates ?? {})) {
        const f = certFiles(host);
        const keys = outputs.privateKeys?.[host] ?? {};
        add(f.rootCert, certs.rootCert, 0o644);
        add(f.intermediateCert, certs.intermediateCert, 0o644);
        add(f.caChain, certs.caChain, 0o644);
        add(f.serverCert, certs.serverCert, 0o644);
        add(f.serverKey, keys.serverKey, 0o600);
        add(f.clientCert, certs.clientCert, 0o644);
        add(f.clientKey, keys.clientKey, 0o600);
    }
    return files;
}
