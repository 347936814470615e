import { Finding, ResourceRule } from "./types";
import { describe, isUnknown, num, str, types } from "./util";

const CURVE_BITS: Record<string, number> = { P224: 224, P256: 256, P384: 384, P521: 521 };

/** Key strength of `tls.PrivateKey`: RSA >= minRsaBits, ECDSA >= P-256; the provider's P224 default is refused too. */
export const tlsKeyStrength: ResourceRule = {
    name: "tls-key-strength",
    description:
        "tls.PrivateKey keys are strong enough: RSA at least minRsaBits (default 2048; the provider default is 2048), ECDSA at least " +
        "P-256. P-224 is refused, including when ecdsaCurve is not set, because the provider's default curve is P224.",
    enforcementLevel: "mandatory",
    source: "terraform-provider-tls resource_private_key.go (defaults RSA 2048 / P224); CA/B Forum Baseline Requirements 6.1.5",
    scope: "resource",
    configSchema: {
        properties: {
            minRsaBits: { type: "integer", description: "Smallest acceptable RSA modulus.", default: 2048, minimum: 1024 },
            minEcdsaBits: {
                type: "integer",
                description: "Smallest acceptable ECDSA curve size (256 = P-256).",
                default: 256,
                minimum: 224,
            },
        },
    },
    appliesTo: types.isPrivateKey,
    check(key, config) {
        const out: Finding[] = [];
        const algorithm = str(key.props["algorithm"])?.toUpperCase();
        if (algorithm === "RSA") {
            const rawBits = key.props["rsaBits"];
            if (isUnknown(rawBits)) {
                return out;
            }
            const bits = num(rawBits) ?? 2048;
            const min = num(config["minRsaBits"]) ?? 2048;
            if (bits < min) {
                out.push({ message: `${describe(key)}: RSA key of ${bits} bits is too weak; use at least ${min} bits (rsaBits)` });
            }
        } else if (algorithm === "ECDSA") {
            const raw = key.props["ecdsaCurve"];
            if (isUnknown(raw)) {
                return out;
            }
            const curve = (str(raw) ?? "P224").toUpperCase();
            const bits = CURVE_BITS[curve];
            const min = num(config["minEcdsaBits"]) ?? 256;
            if (bits === undefined || bits < min) {
                const why = str(raw) ? "" : " (ecdsaCurve is not set, and the provider's default curve is P224)";
                out.push({
                    message: `${describe(key)}: ECDSA curve ${curve}${why} is refused; set ecdsaCurve to P256 or stronger (at least ${min} bits)`,
                });
            }
        }
        return out;
    },
};
