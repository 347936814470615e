import {
    credentialNames,
    findSecret,
    gateways,
    gatewayWorkloads,
    SecretMount,
    secrets,
    serverRef,
    servers,
    tlsFiles,
    workloadConfigSchema,
} from "./model";
import { Finding, StackRule } from "./types";
import { k8sNamespace } from "./util";

function mountFor(mounts: SecretMount[], path: string): { mount: SecretMount; file: string } | undefined {
    let best: { mount: SecretMount; file: string } | undefined;
    for (const m of mounts) {
        const dir = m.mountPath.endsWith("/") ? m.mountPath : `${m.mountPath}/`;
        if (path.startsWith(dir) && (!best || m.mountPath.length > best.mount.mountPath.length)) {
            best = { mount: m, file: path.slice(dir.length) };
        }
    }
    return best;
}

/**
 * IST0101 from gateway.SecretAnalyzer: the credentialName secret must exist in the namespace of the
 * pods the Gateway selects (not the Gateway's own namespace; istio/istio#27740). For file-mounted
 * certificates (the task's way), each path must sit under a secret volume of that workload, and the
 * secret (and the key the file maps to) must exist in the stack.
 */
export const gatewaySecretLocation: StackRule = {
    name: "istio-gateway-secret-location",
    description:
        "Each credentialName secret, and each secret mounted for serverCertificate/privateKey/caCertificates files, exists in the stack (as a Secret or as the secretName of a cert-manager Certificate) " +
        "in the gateway workload's namespace (with the key the file path names).",
    enforcementLevel: "mandatory",
    source: "istioctl analyze IST0101 (gateway.SecretAnalyzer); istio/istio#27740; the task's secretVolumes",
    scope: "stack",
    configSchema: { properties: { ...workloadConfigSchema } },
    check(resources, config) {
        const out: Finding[] = [];
        const allSecrets = secrets(resources);
        for (const gw of gateways(resources)) {
            const workloads = gatewayWorkloads(gw, resources, config);
            for (const s of servers(gw)) {
                if (!s.tls) {
                    continue;
                }
                const at = serverRef(gw, s);
                for (const cn of credentialNames(s.tls)) {
                    for (const w of workloads) {
                        if (findSecret(allSecrets, w.namespace, cn)) {
                            continue;
                        }
                        const elsewhere = allSecrets.filter((x) => x.name === cn).map((x) => x.namespace);
                        const hint = elsewhere.length
                            ? `; a secret of that name exists in namespace ${elsewhere.map((n) => JSON.stringify(n)).join(", ")}, but Istio reads it from the workload's namespace` +
                              (k8sNamespace(gw) !== w.namespace ? ` (not the Gateway's namespace ${JSON.stringify(k8sNamespace(gw))})` : "")
                            : "";
                        out.push({
                            resource: gw,
                            message: `${at}: referenced credentialName not found: ${JSON.stringify(cn)} must be a secret in namespace ${JSON.stringify(w.namespace)} (where ${w.label} runs)${hint} (IST0101)`,
                        });
                    }
                }
                for (const f of tlsFiles(s.tls)) {
                    for (const w of workloads) {
                        const m = mountFor(w.mounts, f.path);
                        if (!m) {
                            out.push({
                                resource: gw,
                                message:
                                    `${at}: tls.${f.field} ${JSON.stringify(f.path)} is not under any secret volume mounted into ${w.label}` +
                                    (w.mounts.length ? ` (mounts: ${w.mounts.map((x) => x.mountPath).join(", ")})` : ""),
                            });
                            continue;
                        }
                        const sec = findSecret(allSecrets, w.namespace, m.mount.secretName);
                        if (!sec) {
                            out.push({
                                resource: gw,
                                message: `${at}: tls.${f.field} ${JSON.stringify(f.path)} comes from secret ${JSON.stringify(m.mount.secretName)} mounted at ${m.mount.mountPath}, which is not in the stack in namespace ${JSON.stringify(w.namespace)}`,
                            });
                            continue;
                        }
                        const key = m.mount.items ? m.mount.items.find((i) => i.path === m.file)?.key : m.file;
                        if (sec.keys && (!key || !sec.keys.has(key))) {
                            out.push({
                                resource: gw,
                                message: `${at}: tls.${f.field} ${JSON.stringify(f.path)} needs key ${JSON.stringify(key ?? m.file)} in secret ${w.namespace}/${m.mount.secretName}, which has ${[...sec.keys].map((k) => JSON.stringify(k)).join(", ") || "no keys"}`,
                            });
                        }
                    }
                }
            }
        }
        return out;
    },
};
