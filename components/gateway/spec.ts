// The Istio Gateway: one server per host on the HTTPS port, selected by SNI, plus an optional plain-HTTP server.
import { HostConfig, SecureIngressConfig } from "../config/schema";
import {
    caCertSecret,
    caChainKey,
    credentialName,
    httpPortName,
    httpsPortName,
    mountedCertSecretName,
    mountPathForSecret,
} from "../naming";
import { istioApiVersions, istioMeta, K8sObject } from "../kubernetes/objects";

export function serverTls(c: SecureIngressConfig, host: HostConfig): Record<string, unknown> {
    const tls: Record<string, unknown> = { mode: host.tls };
    if (c.gateway.secretDelivery === "sds") {
        tls.credentialName = credentialName(host);
    } else {
        const certDir = mountPathForSecret(mountedCertSecretName(c.hosts, c.hosts.indexOf(host)));
        tls.serverCertificate = `${certDir}/tls.crt`;
        tls.privateKey = `${certDir}/tls.key`;
        if (host.tls !== "SIMPLE") {
            tls.caCertificates = `${mountPathForSecret(caCertSecret)}/${caChainKey(c.hosts, host)}`;
        }
    }
    // The task's Istio 1.0 objects carry no protocol floor; today's carry the configured one.
    if (c.apiLevel === "current") {
        tls.minProtocolVersion = c.gateway.minTlsVersion;
    }
    return tls;
}

export function gatewayObject(c: SecureIngressConfig): K8sObject {
    const g = c.gateway;
    const servers: Record<string, unknown>[] = c.hosts.map((h) => ({
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
        metadata: istioMeta(c, g.name, g.namespace),
        spec: { selector: { ...g.selector }, servers },
    };
}
