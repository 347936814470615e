/**
 * Istio host names: validation (istio/istio pkg/config/validation/agent `ValidateNamespaceSlashWildcardHostname`)
 * and matching (pkg/config/host `Name.Matches`, `NamesForNamespace`).
 */
import { isIP } from "net";

const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;

export function isDns1123Label(v: string): boolean {
    return v.length <= 63 && DNS1123_LABEL.test(v);
}

function validateDns1123Labels(domain: string): string | undefined {
    const parts = domain.split(".");
    const tld = parts[parts.length - 1];
    if (/^\d+$/.test(tld)) {
        return `domain name ${JSON.stringify(domain)} invalid (top level domain ${JSON.stringify(tld)} cannot be all-numeric)`;
    }
    for (let i = 0; i < parts.length; i++) {
        if (i === parts.length - 1 && parts[i] === "") {
            return undefined; // trailing dot: `istio.io.`
        }
        if (!isDns1123Label(parts[i])) {
            return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(parts[i])} invalid)`;
        }
    }
    return undefined;
}

/** `ValidateWildcardDomain`: a FQDN whose first label may be a wildcard. */
export function validateWildcardDomain(domain: string): string | undefined {
    if (domain.length > 255) {
        return `domain name ${JSON.stringify(domain)} too long (max 255)`;
    }
    if (domain.length === 0) {
        return "empty domain name not allowed";
    }
    const dot = domain.indexOf(".");
    const first = dot >= 0 ? domain.slice(0, dot) : domain;
    if (!(first.length <= 63 && WILDCARD_LABEL.test(first))) {
        return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(first)} invalid)`;
    }
    return dot >= 0 ? validateDns1123Labels(domain.slice(dot + 1)) : undefined;
}

function validateHostPart(host: string): string[] {
    const errs: string[] = [];
    if (host !== "*" && !host.includes(".")) {
        errs.push("short names (non FQDN) are not allowed");
    }
    const err = validateWildcardDomain(host);
    if (err && isIP(host) === 0) {
        errs.push(err);
    }
    if (host.includes("*") && host.length !== 1 && !host.startsWith("*.")) {
        errs.push(`partial wildcard ${JSON.stringify(host)} not allowed`);
    }
    return errs;
}

/** Problems with one Gateway server host (`[namespace/]dnsName`); empty when valid. */
export function validateGatewayHost(host: string): string[] {
    const slash = host.indexOf("/");
    if (slash < 0) {
        return validateHostPart(host);
    }
    const ns = host.slice(0, slash);
    const dns = host.slice(slash + 1);
    const errs: string[] = [];
    if (ns.length === 0 || dns.length === 0) {
        errs.push("config namespace and dnsName in host entry cannot be empty");
    }
    if (ns !== "*" && ns !== "." && !isDns1123Label(ns)) {
        errs.push(`invalid namespace value ${JSON.stringify(ns)} in gateway`);
    }
    return [...errs, ...validateHostPart(dns)];
}

/** `host.Name.Matches`: exact, or either side a wildcard covering the other. */
export function hostMatches(a: string, b: string): boolean {
    const aw = a.startsWith("*");
    const bw = b.startsWith("*");
    if (aw && bw) {
        return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
    }
    if (aw) {
        return b.endsWith(a.slice(1));
    }
    if (bw) {
        return a.endsWith(b.slice(1));
    }
    return a === b;
}

/**
 * The gateway hosts a VirtualService in `vsNamespace` may bind to, namespace prefixes removed
 * (`sanitizeServerHostNamespace` then `NamesForNamespace`): `./h` is the Gateway's namespace,
 * `*\/h` and bare `h` are every namespace.
 */
export function gatewayHostsForNamespace(hosts: string[], gatewayNamespace: string, vsNamespace: string): string[] {
    const out: string[] = [];
    for (const h of hosts) {
        const slash = h.indexOf("/");
        if (slash < 0) {
            out.push(h);
            continue;
        }
        let ns = h.slice(0, slash);
        const name = h.slice(slash + 1);
        if (ns === ".") {
            ns = gatewayNamespace;
        }
        if (ns === "*" || ns === vsNamespace) {
            out.push(name);
        }
    }
    return out;
}

/** The dnsName part of a gateway host (`ns/h` -> `h`). */
export function hostName(h: string): string {
    const slash = h.indexOf("/");
    return slash < 0 ? h : h.slice(slash + 1);
}
