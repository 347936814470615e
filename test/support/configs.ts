// Small stack configs for the builder specs, through the real schema (so every default is the shipped one).
import { parseConfig } from "../../components/config/parse";
import { SecureIngressConfig } from "../../components/config/schema";

export const statusRoute = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };
export const productpageRoute = { match: [{ exact: "/productpage" }], destination: { host: "productpage", port: 9080 } };

/** A host entry as a stack file writes it. */
export function host(name: string, hostName: string, tls: string, routes: object[] = [statusRoute]): Record<string, unknown> {
    return { name, host: hostName, tls, routes };
}

/** The task's two hosts: httpbin with mutual TLS, bookinfo with simple TLS. */
export const taskHosts = [host("httpbin", "httpbin.example.com", "MUTUAL"), host("bookinfo", "bookinfo.com", "SIMPLE", [productpageRoute])];

/** `settings` keyed without the `secure-ingress:` prefix (`gateway`, `pki`, `jwt`, ...). */
export function config(hosts: object[] = taskHosts, settings: Record<string, unknown> = {}): SecureIngressConfig {
    const raw: Record<string, unknown> = { "secure-ingress:hosts": hosts };
    for (const [k, v] of Object.entries(settings)) {
        raw[`secure-ingress:${k}`] = v;
    }
    return parseConfig(raw);
}
