// Host names as SNI and the Gateway take them, and URI regexes as Istio's webhook takes them.
import { isIP } from "net";
import { RE2JS } from "re2js";

const dnsShape = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const generic = "must be a lower-case DNS name with at least two labels (a wildcard only as the left-most label, e.g. *.example.com)";
const noIp = "TLS clients send no IP address in SNI (RFC 6066 section 3), so the gateway could not select this server; give a DNS name";

/** Why a value is not a host name the Gateway can serve by SNI, or undefined. */
export function hostNameProblem(value: string): string | undefined {
    const bracketed = /^\[([^\]]*)\](:\d+)?$/.exec(value);
    if (bracketed && isIP(bracketed[1])) {
        return `is an IPv6 address${bracketed[2] ? " with a port" : ""}; ${noIp}`;
    }
    if (isIP(value) === 6 || isIP(value.replace(/%.*$/, "")) === 6) {
        return `is an IPv6 address; ${noIp}`;
    }
    const withPort = /^(.*):(\d+)$/.exec(value);
    if (withPort && isIP(withPort[1]) === 4) {
        return `is an IPv4 address with a port; ${noIp}`;
    }
    if (isIP(value) === 4) {
        return `is an IPv4 address; ${noIp}`;
    }
    if (withPort && dnsShape.test(withPort[1])) {
        return `carries a port; give the name alone (${withPort[1]}): the port is gateway.httpsPort`;
    }
    if (value.endsWith(".") && dnsShape.test(value.slice(0, -1))) {
        return `ends with '.'; SNI carries the name without the trailing dot (RFC 6066 section 3): give ${value.slice(0, -1)}`;
    }
    if (value.length > 253) {
        return `is ${value.length} characters long; a DNS name has at most 253`;
    }
    if (!dnsShape.test(value)) {
        return generic;
    }
    if (/^[0-9]+$/.test(value.slice(value.lastIndexOf(".") + 1))) {
        return "ends in an all-numeric label, which clients read as an IPv4 address (RFC 1123 section 2.1); give a DNS name";
    }
    return undefined;
}

/** Istio's webhook refuses a regex longer than this (Envoy's RE2 program-size limit, approximated by length). */
export const maxRegexLength = 1024;

/** Why Istio's webhook would refuse a URI regex (Go's regexp, RE2 syntax), or undefined. */
export function regexProblem(re: string): string | undefined {
    if (re.length > maxRegexLength) {
        return `is ${re.length} characters long; Istio accepts regexes of at most ${maxRegexLength} characters`;
    }
    try {
        RE2JS.compile(re);
        return undefined;
    } catch (e) {
        const reason = (e as Error).message.replace(/^error parsing regexp: /, "");
        return `is not an RE2 regex (${reason}); Istio and Envoy accept RE2 syntax only: no lookaround, backreferences or possessive repeats (https://github.com/google/re2/wiki/Syntax)`;
    }
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why Istio's webhook would refuse a route destination host (its ValidateWildcardDomain: at most 255 characters,
 * DNS-1123 labels, a wildcard only as the first label, no all-numeric top-level label), or undefined.
 */
export function destinationHostProblem(value: string): string | undefined {
    if (value === "*") {
        return "is the bare wildcard, which Istio refuses as a destination";
    }
    if (value.length > 255) {
        return `is ${value.length} characters long; Istio accepts at most 255`;
    }
    const labels = value.split(".");
    if (labels.length > 1 && labels[labels.length - 1] === "") {
        labels.pop();
    }
    const tld = labels[labels.length - 1];
    if (labels.length > 1 && /^[0-9]+$/.test(tld)) {
        return `ends in the all-numeric label ${tld} (an IP address is no destination host)`;
    }
    const bad = labels.find(
        (l, i) => !(dns1123Label.test(l) && l.length <= 63) && !(i === 0 && /^\*([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/.test(l)),
    );
    return bad === undefined
        ? undefined
        : `has the label ${JSON.stringify(bad)}, which is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)`;
}
