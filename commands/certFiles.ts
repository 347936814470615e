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
