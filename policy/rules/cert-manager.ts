// cert-manager Certificates and Issuers: the checks cert-manager's webhook makes (absent from clusters that run
// without it), key strength to the same floor as tls.PrivateKey, and issuerRefs the stack can resolve.
import { Finding, ResourceRule, StackRule } from "./types";
import { describe, isUnknown, k8sName, k8sNamespace, num, rec, spec, str, types } from "./util";
import { goDurationSeconds } from "../../components/durations";

// cert-manager pkg/apis/certmanager/v1 (DefaultCertificateDuration, MinimumCertificateDuration, MinimumRenewBefore).
const DEFAULT_DURATION = 90 * 24 * 3600;
const MIN_DURATION = 3600;
const MIN_RENEW_BEFORE = 300;

/** internal/apis/certmanager/validation ValidateDuration: what the webhook refuses, and the controller then loops on. */
export const certManagerRenewal: ResourceRule = {
    name: "cert-manager-renewal",
    description:
        "A cert-manager Certificate's renewBefore is shorter than its duration (default 90 days), at least 5m, and the duration at least 1h; " +
        "renewBefore and renewBeforePercentage are not both set.",
    enforcementLevel: "mandatory",
    source: "cert-manager internal/apis/certmanager/validation/certificate.go (ValidateDuration); pkg/apis/certmanager/v1 types.go",
    scope: "resource",
    appliesTo: types.isCertManagerCertificate,
    check(cert) {
        const s = spec(cert);
        const out: Finding[] = [];
        if (isUnknown(s["duration"]) || isUnknown(s["renewBefore"])) {
            return out;
        }
        const durationText = str(s["duration"]);
        const renewText = str(s["renewBefore"]);
        const duration = durationText === undefined ? DEFAULT_DURATION : goDurationSeconds(durationText);
        const renewBefore = renewText === undefined ? undefined : goDurationSeconds(renewText);
        const at = describe(cert);
        if (duration === undefined) {
            out.push({ message: `${at}: spec.duration ${JSON.stringify(durationText)} is not a duration such as 2160h` });
            return out;
        }
        if (renewText !== undefined && renewBefore === undefined) {
            out.push({ message: `${at}: spec.renewBefore ${JSON.stringify(renewText)} is not a duration such as 720h` });
            return out;
        }
        if (duration < MIN_DURATION) {
            out.push({ message: `${at}: spec.duration ${durationText} is shorter than cert-manager's minimum of 1h` });
        }
        if (renewBefore !== undefined && renewBefore < MIN_RENEW_BEFORE) {
            out.push({ message: `${at}: spec.renewBefore ${renewText} is shorter than cert-manager's minimum of 5m` });
        }
        if (renewBefore !== undefined && renewBefore >= duration) {
            out.push({
                message: `${at}: spec.renewBefore ${renewText} must be shorter than the duration ${durationText ?? "90 days (default)"}, or the certificate is renewed as soon as it is issued`,
            });
        }
        if (renewText !== undefined && s["renewBeforePercentage"] !== undefined) {
            out.push({ message: `${at}: spec.renewBefore and spec.renewBeforePercentage are mutually exclusive; set one` });
        }
        return out;
    },
};

/** Same floor as tls-key-strength; cert-manager's defaults are RSA 2048 and ECDSA P-256. */
export const certManagerKeyStrength: ResourceRule = {
    name: "cert-manager-key-strength",
    description:
        "A cert-manager Certificate's private key is strong enough: RSA at least minRsaBits (default 2048), ECDSA at least minEcdsaBits " +
        "(256, P-256), Ed25519 allowed; sizes cert-manager knows (RSA 2048-8192, ECDSA 256/384/521).",
    enforcementLevel: "mandatory",
    source: "cert-manager internal/apis/certmanager/validation/certificate.go (privateKey size); pkg/util/pki (MinRSAKeySize, MaxRSAKeySize); CA/B Forum Baseline Requirements 6.1.5",
    scope: "resource",
    configSchema: {
        properties: {
            minRsaBits: { type: "integer", description: "Smallest acceptable RSA modulus.", default: 2048, minimum: 1024 },
            minEcdsaBits: { type: "integer", description: "Smallest acceptable ECDSA curve size.", default: 256, minimum: 224 },
        },
    },
    appliesTo: types.isCertManagerCertificate,
    check(cert, config) {
        const key = rec(spec(cert)["privateKey"]) ?? {};
        if (isUnknown(key["algorithm"]) || isUnknown(key["size"])) {
            return [];
        }
        const algorithm = str(key["algorithm"]) ?? "RSA";
        const at = describe(cert);
        if (algorithm === "Ed25519") {
            return [];
        }
        if (algorithm === "RSA") {
            const size = num(key["size"]) ?? 2048;
            const min = num(config["minRsaBits"]) ?? 2048;
            if (size < min || size > 8192) {
                return [{ message: `${at}: RSA key of ${size} bits is refused; use privateKey.size from ${Math.max(min, 2048)} to 8192` }];
            }
            return [];
        }
        if (algorithm === "ECDSA") {
            const size = num(key["size"]) ?? 256;
            const min = num(config["minEcdsaBits"]) ?? 256;
            if (![256, 384, 521].includes(size) || size < min) {
                return [{ message: `${at}: ECDSA key size ${size} is refused; use privateKey.size 256, 384 or 521 (at least ${min})` }];
            }
            return [];
        }
        return [{ message: `${at}: privateKey.algorithm ${JSON.stringify(algorithm)} is not one of RSA, ECDSA, Ed25519` }];
    },
};

/** Advisory: the issuer may be installed outside the stack (a platform team's ClusterIssuer, ACME). */
export const certManagerIssuerRef: StackRule = {
    name: "cert-manager-issuer-ref",
    description:
        "A cert-manager Certificate's issuerRef names an Issuer (same namespace) or ClusterIssuer of the stack. Advisory: the issuer may be " +
        "managed elsewhere; then make sure it exists and is Ready, or the Certificate never issues.",
    enforcementLevel: "advisory",
    source: "cert-manager pkg/apis/certmanager/v1 types_certificate.go (issuerRef: an Issuer in the Certificate's namespace, or a ClusterIssuer)",
    scope: "stack",
    check(resources) {
        const out: Finding[] = [];
        const issuers = resources.filter((r) => types.isCertManagerIssuer(r.type));
        const clusterIssuers = resources.filter((r) => types.isCertManagerClusterIssuer(r.type));
        for (const cert of resources.filter((r) => types.isCertManagerCertificate(r.type))) {
            const ref = rec(spec(cert)["issuerRef"]) ?? {};
            if (isUnknown(ref["name"]) || isUnknown(ref["kind"])) {
                continue;
            }
            const name = str(ref["name"]);
            const kind = str(ref["kind"]) ?? "Issuer";
            const group = str(ref["group"]) ?? "cert-manager.io";
            if (group !== "cert-manager.io") {
                continue; // an external issuer (its own controller and kinds)
            }
            const ns = k8sNamespace(cert);
            const found =
                kind === "ClusterIssuer"
                    ? clusterIssuers.some((i) => k8sName(i) === name)
                    : issuers.some((i) => k8sName(i) === name && k8sNamespace(i) === ns);
            if (!found) {
                const elsewhere = kind === "Issuer" ? issuers.filter((i) => k8sName(i) === name).map((i) => k8sNamespace(i)) : [];
                const hint = elsewhere.length
                    ? `; an Issuer of that name is in namespace ${elsewhere.map((n) => JSON.stringify(n)).join(", ")}, but an Issuer serves only its own namespace`
                    : "; if it is managed outside this stack, check that it exists and is Ready";
                out.push({
                    resource: cert,
                    message: `${describe(cert)}: issuerRef ${kind} ${JSON.stringify(name)} is not in the stack${kind === "Issuer" ? ` in namespace ${JSON.stringify(ns)}` : ""}${hint}`,
                });
            }
        }
        return out;
    },
};
