// The task's test and troubleshooting commands, filled in from the config. Pure: data in, strings out.
import { HostConfig, SecureIngressConfig } from "../config/schema";
import {
    caCertSecret,
    certFiles,
    credentialName,
    isExternalIssuerHost,
    mountedCertSecretName,
    mountPathForSecret,
    mutualHosts,
    serverCaFile,
    servingSecretName,
} from "../naming";
import { jwtProtectedHosts } from "../jwt/specs";
import { shellQuote as q } from "./shell";
import { gatewayApiEndpointExports, gatewayApiTroubleshooting } from "./gatewayApiCommands";

/** What a test command must produce. */
export interface Expectation {
    /** HTTP status code curl reports. */
    status?: number;
    /** A string the response body contains (the teapot's "teapot"). */
    bodyContains?: string;
    /**
     * The TLS handshake is refused: curl exits with one of these codes (35 TLS 1.2 alert, 56 TLS 1.3 certificate-required
     * alert, 55 TLS 1.3 when the gateway has already closed as curl sends the request: "Send failure: Broken pipe",
     * 16 the same over HTTP/2, curl's default against Envoy: measured against a real istiod-configured Envoy).
     */
    curlExitCodes?: number[];
}

export interface TestCommand {
    /** Stable id, e.g. `httpbin-mutual-with-client-cert`. */
    id: string;
    /** The host name the command targets. */
    host: string;
    description: string;
    command: string;
    expect: Expectation;
}

/** Where the gateway answers: literal values when known, else the task's environment variables. */
export interface IngressEndpoint {
    host: string;
    httpPort: number;
    httpsPort: number;
}

export const envEndpoint = { host: "$INGRESS_HOST", httpPort: "$INGRESS_PORT", httpsPort: "$SECURE_INGRESS_PORT" };

export interface Probe {
    path: string;
    status: number;
    bodyContains?: string;
}

/** The configured probe, else: httpbin's /status route -> the teapot; otherwise the first exact or prefix path -> 200. */
export function probeFor(host: HostConfig): Probe {
    if (host.probe) {
        return host.probe;
    }
    const matches = host.routes.flatMap((r) => r.match);
    if (matches.some((m) => m.prefix === "/status")) {
        return { path: "/status/418", status: 418, bodyContains: "teapot" };
    }
    const first = matches.find((m) => m.exact !== undefined) ?? matches.find((m) => m.prefix !== undefined);
    return { path: first?.exact ?? first?.prefix ?? "/", status: 200 };
}

/** A path that answers 200 on the host, for the JWT checks (the task uses httpbin's /status/200). */
function okPath(host: HostConfig): string {
    const matches = host.routes.flatMap((r) => r.match);
    if (matches.some((m) => m.prefix === "/status")) {
        return "/status/200";
    }
    const p = probeFor(host);
    return p.status === 200 ? p.path : "/";
}

/**
 * The token header. When the stack gives no way to get a token (an external issuer without testTokenUrl), an unset
 * TOKEN stops the line with a message instead of sending an empty token, which the gateway answers with 401.
 */
function bearer(c?: SecureIngressConfig): string {
    return c && tokenSource(c) === "external"
        ? `--header "Authorization: Bearer \${TOKEN:?${externalTokenHint}}"`
        : '--header "Authorization: Bearer $TOKEN"';
}

/** Fixed text (never config values: the shell expands this word). */
const externalTokenHint = "set TOKEN to a JWT signed by the key of jwt.jwksUri or jwt.jwks and issued by jwt.issuer";

/** Where the printed commands get TOKEN from. */
export function tokenSource(c: SecureIngressConfig): "self-issued" | "url" | "external" | "none" {
    if (!c.jwt.enabled) {
        return "none";
    }
    if (c.jwt.selfIssued.enabled) {
        return "self-issued";
    }
    return c.jwt.testTokenUrl ? "url" : "external";
}

/** Shell text of the endpoint: quoted literals when known, else the task's environment variables. */
function endpointParts(ep?: IngressEndpoint) {
    return ep ? { host: q(ep.host), httpPort: q(ep.httpPort), httpsPort: q(ep.httpsPort) } : envEndpoint;
}

/**
 * The name curl sends for a host: the host itself, or for a wildcard a concrete name under it that no other
 * host of the stack serves (a more specific server would answer it).
 */
export function concreteHostName(c: SecureIngressConfig, host: HostConfig): string {
    if (!host.host.startsWith("*.")) {
        return host.host;
    }
    const taken = new Set(c.hosts.map((h) => h.host));
    const parent = host.host.slice(2);
    for (let i = 0; ; i++) {
        const candidate = `${i === 0 ? "test" : `test${i}`}.${parent}`;
        if (!taken.has(candidate)) {
            return candidate;
        }
    }
}

function hostNote(c: SecureIngressConfig, host: HostConfig): string {
    const wildcard = host.host.startsWith("*.") ? ` (for ${concreteHostName(c, host)}, a name under the wildcard ${host.host})` : "";
    return wildcard + issuerNote(host);
}

/** Fixed text: where --cacert comes from when the issuer is outside the stack. */
function issuerNote(host: HostConfig): string {
    return isExternalIssuerHost(host)
        ? `; --cacert is the CA the issuer wrote into the Secret (ca.crt), saved by ${fromClusterCommand}; an ACME issuer writes none: then drop --cacert and the system's CAs verify the server`
        : "";
}

/** Reads the issued certificates (and an outside issuer's CA) back from the cluster. */
export const fromClusterCommand = "npm run certs -- --from-cluster";

interface CurlOptions {
    config: SecureIngressConfig;
    host: HostConfig;
    path: string;
    clientCert?: boolean;
    token?: boolean;
    statusOnly?: boolean;
    endpoint?: IngressEndpoint;
}

/** The task's HTTPS curl: SNI and Host by --resolve, the host's CA chain, optionally the client certificate. */
export function httpsCurl(o: CurlOptions): string {
    const ep = endpointParts(o.endpoint);
    const files = certFiles(o.host.host);
    const h = concreteHostName(o.config, o.host);
    const parts = o.statusOnly ? ["curl", '-o /dev/null -s -v -w "%{http_code}\\n"'] : ["curl", "-v"];
    parts.push(`-HHost:${q(h)}`, `--resolve ${q(`${h}:`)}${ep.httpsPort}:${ep.host}`, `--cacert ${q(serverCaFile(o.host))}`);
    if (o.clientCert) {
        parts.push(`--cert ${q(files.clientCert)}`, `--key ${q(files.clientKey)}`);
    }
    if (o.token) {
        parts.push(bearer(o.config));
    }
    parts.push(`${q(`https://${h}:`)}${ep.httpsPort}${q(o.path)}`);
    return parts.join(" ");
}

/** The task's plain-HTTP curl for the JWT section: headers only. */
export function httpCurl(c: SecureIngressConfig, host: HostConfig, path: string, token: boolean, endpoint?: IngressEndpoint): string {
    const ep = endpointParts(endpoint);
    const h = concreteHostName(c, host);
    return ["curl", ...(token ? [bearer(c)] : []), "-I", `-HHost:${q(h)}`, `http://${ep.host}:${ep.httpPort}${q(path)}`].join(" ");
}

/** Every test command of the stack, in the task's order. */
export function testCommands(c: SecureIngressConfig, endpoint?: IngressEndpoint): TestCommand[] {
    const protectedHosts = new Set(c.jwt.enabled ? jwtProtectedHosts(c) : []);
    const out: TestCommand[] = [];
    for (const host of c.hosts) {
        const probe = probeFor(host);
        const token = protectedHosts.has(host.host);
        const expect: Expectation = { status: probe.status, ...(probe.bodyContains ? { bodyContains: probe.bodyContains } : {}) };
        const statusOnly = probe.bodyContains === undefined;
        const base = { config: c, host, path: probe.path, token, statusOnly, endpoint };
        const tokenNote = (token ? " (with the end-user token, which this host requires)" : "") + hostNote(c, host);
        if (host.tls === "SIMPLE") {
            out.push({
                id: `${host.name}-simple`,
                host: host.host,
                description: `HTTPS with server verification${tokenNote}`,
                command: httpsCurl(base),
                expect,
            });
            continue;
        }
        if (host.tls === "MUTUAL") {
            out.push({
                id: `${host.name}-mutual-without-client-cert`,
                host: host.host,
                description: `mutual TLS without a client certificate: the gateway refuses the handshake${hostNote(c, host)}`,
                command: httpsCurl(base),
                expect: { curlExitCodes: [16, 35, 55, 56] },
            });
        } else {
            out.push({
                id: `${host.name}-optional-mutual-without-client-cert`,
                host: host.host,
                description: `optional mutual TLS without a client certificate: accepted${tokenNote}`,
                command: httpsCurl(base),
                expect,
            });
        }
        out.push({
            id: `${host.name}-mutual-with-client-cert`,
            host: host.host,
            description: `mutual TLS with the client certificate (--cert/--key)${tokenNote}`,
            command: httpsCurl({ ...base, clientCert: true }),
            expect,
        });
    }
    out.push(...jwtCommands(c, endpoint));
    return out;
}

function jwtCommands(c: SecureIngressConfig, endpoint?: IngressEndpoint): TestCommand[] {
    if (!c.jwt.enabled) {
        return [];
    }
    const target = c.hosts.find((h) => jwtProtectedHosts(c).includes(h.host));
    if (!target) {
        return [];
    }
    const path = okPath(target);
    const denied = c.apiLevel === "istio-1.0" ? 401 : 403;
    const viaHttp = c.gateway.http.enabled && !c.gateway.http.httpsRedirect;
    const cmd = (token: boolean) =>
        viaHttp
            ? httpCurl(c, target, path, token, endpoint)
            : httpsCurl({ config: c, host: target, path, token, statusOnly: true, clientCert: target.tls !== "SIMPLE", endpoint });
    const note = hostNote(c, target);
    const tokenFrom =
        tokenSource(c) === "external"
            ? " (export TOKEN first: this stack has no test token, so use one its jwt.issuer signed; with TOKEN unset the line stops before curl runs)"
            : "";
    return [
        {
            id: `${target.name}-jwt-without-token`,
            host: target.host,
            description: `end-user authentication: no token is refused (${denied})${note}`,
            command: cmd(false),
            expect: { status: denied },
        },
        {
            id: `${target.name}-jwt-with-token`,
            host: target.host,
            description: `end-user authentication: a valid token is accepted${note}${tokenFrom}`,
            command: cmd(true),
            expect: { status: 200 },
        },
    ];
}

/** Commands that set the task's environment variables (and the token) before the tests. */
export function environmentCommands(c: SecureIngressConfig, endpoint?: IngressEndpoint): string[] {
    const g = c.gateway;
    const svc = `kubectl -n ${q(g.workloadNamespace)} get service ${q(g.workloadName)}`;
    const lines = endpoint
        ? [
              `export INGRESS_HOST=${q(endpoint.host)}`,
              `export INGRESS_PORT=${q(endpoint.httpPort)}`,
              `export SECURE_INGRESS_PORT=${q(endpoint.httpsPort)}`,
          ]
        : c.target === "gateway-api"
          ? gatewayApiEndpointExports(c)
          : [
                `export INGRESS_HOST=$(${svc} -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`,
                `export INGRESS_PORT=$(${svc} -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`,
                `export SECURE_INGRESS_PORT=$(${svc} -o jsonpath='{.spec.ports[?(@.name=="https")].port}')`,
            ];
    lines.push("npm run certs  # writes <host>/1_root ... 4_client as the task's generate.sh did");
    if (c.hosts.some(isExternalIssuerHost)) {
        lines.push(`${fromClusterCommand}  # saves what cert-manager issued, and the CA of an issuer outside the stack, from the cluster`);
    }
    const source = tokenSource(c);
    if (source === "self-issued") {
        lines.push("export TOKEN=$(pulumi stack output jwtToken --show-secrets)");
    } else if (source === "url") {
        lines.push(`export TOKEN=$(curl ${q(c.jwt.testTokenUrl as string)} -s)`);
    } else if (source === "external") {
        // No value of the config reaches this line: the shell would expand it.
        lines.push(`: "\${TOKEN:?${externalTokenHint}, then run the test commands}"`);
    }
    return lines;
}

const selectorArg = (c: SecureIngressConfig) =>
    q(
        Object.entries(c.gateway.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(","),
    );

/** The task's troubleshooting steps, with this stack's namespace, labels and paths. */
export function troubleshootingCommands(c: SecureIngressConfig): string[] {
    if (c.target === "gateway-api") {
        return gatewayApiTroubleshooting(c);
    }
    const ns = q(c.gateway.workloadNamespace);
    const sel = selectorArg(c);
    const pod = `$(kubectl -n ${ns} get pods -l ${sel} -o jsonpath='{.items[0].metadata.name}')`;
    const exec = `kubectl exec -i -n ${ns} ${pod} --`;
    const out = [`kubectl get svc -n ${ns}`, "echo INGRESS_HOST=$INGRESS_HOST, SECURE_INGRESS_PORT=$SECURE_INGRESS_PORT"];
    if (c.gateway.secretDelivery === "mounted") {
        c.hosts.forEach((_, i) => {
            const dir = mountPathForSecret(mountedCertSecretName(c.hosts, i));
            out.push(`${exec} ls -al ${q(dir)}`, `${exec} cat ${q(`${dir}/tls.crt`)} | openssl x509 -text -noout | grep 'Subject:'`);
        });
        if (mutualHosts(c.hosts).length > 0) {
            const dir = mountPathForSecret(caCertSecret);
            out.push(
                `${exec} ls -al ${q(dir)}`,
                `${exec} cat ${q(`${dir}/ca-chain.cert.pem`)} | openssl x509 -text -noout | grep 'Subject:'`,
            );
        }
    } else {
        out.push(`istioctl proxy-config secret ${pod} -n ${ns}`);
        for (const h of c.hosts) {
            out.push(
                `kubectl -n ${ns} get secret ${q(credentialName(h))} -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -text -noout | grep 'Subject:'`,
            );
        }
    }
    for (const h of c.hosts.filter((x) => x.certificate === "cert-manager")) {
        const cert = q(servingSecretName(c, h));
        out.push(`kubectl -n ${ns} get certificate ${cert} -o wide`, `kubectl -n ${ns} describe certificate ${cert}`);
    }
    out.push(
        c.apiLevel === "istio-1.0" ? `${exec} curl 127.0.0.1:15000/certs` : `${exec} pilot-agent request GET certs`,
        `kubectl logs -n ${ns} -l ${sel}`,
        `kubectl delete pod -n ${ns} -l ${sel}`,
    );
    return out;
}
