// The Istio Gateway: one server per host on the HTTPS port, selected by SNI, plus an optional plain-HTTP server.
import { IngressConfig } from "../config/checkArgs";
import { HostConfig } from "../config/schema";
import {
    caCertSecret,
    caChainKey,
    credentialName,
    httpPortName,
    httpsPortName,
    isMutual,
    mountedCertSecretName,
    mountPathForSecret,
} from "../naming";
import { GatewayManifest, GatewayServer, istioApiVersions, istioMeta, ServerTls } from "../kubernetes/objects";

/** What the Gateway builder reads. */
export type GatewaySlice = Pick<IngressConfig, "apiLevel" | "istioVersion" | "hosts" | "gateway">;

export function serverTls(c: Pick<GatewaySlice, "apiLevel" | "hosts" | "gateway">, host: HostConfig): ServerTls {
    const tls: ServerTls =
        c.gateway.secretDelivery === "sds" ? { mode: host.tls, credentialName: credentialName(host) } : mountedFiles(c.hosts, host);
    // The task's Istio 1.0 objects carry no protocol floor; today's carry the configured one.
    if (c.apiLevel === "current") {
        tls.minProtocolVersion = c.gateway.minTlsVersion;
    }
    return tls;
}

/** Mounted delivery: the files of the task's secret volumes. */
function mountedFiles(hosts: HostConfig[], host: HostConfig): ServerTls {
    const certDir = mountPathForSecret(mountedCertSecretName(hosts, hosts.indexOf(host)));
    return {
        mode: host.tls,
        serverCertificate: `${certDir}/tls.crt`,
        privateKey: `${certDir}/tls.key`,
        ...(isMutual(host) ? { caCertificates: `${mountPathForSecret(caCertSecret)}/${caChainKey(hosts, host)}` } : {}),
    };
}

export function gatewayObject(c: GatewaySlice): GatewayManifest {
    const g = c.gateway;
    const servers: GatewayServer[] = c.hosts.map((h) => ({
        port: { number: g.httpsPort, name: httpsPortName(h), protocol: "HTTPS" },
        tls: serverTls(c, h),
        hosts: [h.host],
    }));
    if (g.http.enabled) {
        servers.push({
            port: { number: g.http.port, name: httpPortName, protocol: "HTTP" },
            ...(g.http.httpsRedirect ? { tls: { httpsRedirect: true } } : {}),
            hosts: c.hosts.map((h) => h.host),
        });
    }
    return {
        apiVersion: istioApiVersions(c.apiLevel).networking,
        kind: "Gateway",
        metadata: istioMeta(c.istioVersion, g.name, g.namespace),
        spec: { selector: { ...g.selector }, servers },
    };
}
