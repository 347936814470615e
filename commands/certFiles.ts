// The stack's certificates and keys as the task's file layout (mtls-go-example's generate.sh), so the
// task's own curl lines work unchanged. Pure: stack outputs in, files out.
import { certFiles } from "../components/naming";
import { hostNameProblem } from "../components/config/validateHosts";

export interface CertFile {
    /** Relative to the output folder; every segment a host name or a fixed folder name. */
    path: string;
    content: string;
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
        files.push({ path: f.serverCert, content: secret["tls.crt"] });
    }
    if (!ownCa && secret["ca.crt"]) {
        files.push({ path: f.issuerCa, content: secret["ca.crt"] });
    }
    return files;
}

/** Hosts of the outputs that are no DNS name (`../../x`, `/etc`, `a/b`): each would name a path outside its folder. */
export function badHosts(outputs: CertOutputs): string[] {
    const hosts = new Set([
        ...Object.keys(outputs.certificates ?? {}),
        ...Object.keys(outputs.privateKeys ?? {}),
        ...Object.keys(outputs.issuedCertificates ?? {}),
    ]);
    return [...hosts].filter((h) => hostNameProblem(h) !== undefined);
}

export function certFileList(outputs: CertOutputs): CertFile[] {
    const bad = badHosts(outputs);
    if (bad.length > 0) {
        throw new Error(
            `the outputs name hosts that are not DNS names, so their files would land outside --out: ${bad.map((h) => JSON.stringify(h)).join(", ")}; nothing was written (are these a secure-ingress stack's outputs?)`,
        );
    }
    const files: CertFile[] = [];
    const add = (path: string, content: string | undefined) => {
        if (content) {
            files.push({ path, content });
        }
    };
    for (const [host, certs] of Object.entries(outputs.certificates ?? {})) {
        const f = certFiles(host);
        const keys = outputs.privateKeys && Object.hasOwn(outputs.privateKeys, host) ? outputs.privateKeys[host] : {};
        add(f.rootCert, certs.rootCert);
        add(f.intermediateCert, certs.intermediateCert);
        add(f.caChain, certs.caChain);
        add(f.serverCert, certs.serverCert);
        add(f.serverKey, keys.serverKey);
        add(f.clientCert, certs.clientCert);
        add(f.clientKey, keys.clientKey);
    }
    return files;
}
