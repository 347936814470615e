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
}

/** Hosts of the outputs that are no DNS name (`../../x`, `/etc`, `a/b`): each would name a path outside its folder. */
export function badHosts(outputs: CertOutputs): string[] {
    const hosts = new Set([...Object.keys(outputs.certificates ?? {}), ...Object.keys(outputs.privateKeys ?? {})]);
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
