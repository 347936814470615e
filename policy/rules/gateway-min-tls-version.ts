import { isTlsProtocol, serverRef, servers, terminatesTls, tlsMode } from "./model";
import { PolicyResource, ResourceRule, RuleConfig } from "./types";
import { isUnknown, str, types } from "./util";
import { declaredIstioVersion, istioVersionConfig, versionAtLeast } from "./versions";

const ORDER = ["TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"];

/**
 * Envoy's server-side default minimum became TLS 1.2 in Envoy 1.22.0 (envoyproxy/envoy#19330, April
 * 2022); Istio 1.14 was the first release on Envoy 1.22. Before that the server default was TLS 1.0.
 */
export function envoyServerDefault(istioMajor?: number, istioMinor?: number): string {
    if (istioMajor === undefined || istioMinor === undefined) {
        return "TLSV1_2";
    }
    return versionAtLeast({ major: istioMajor, minor: istioMinor, text: "" }, 1, 14) ? "TLSV1_2" : "TLSV1_0";
}

interface TlsVersionFinding {
    /** Declared Istio has no minProtocolVersion field (before 1.1, istio/api#645). */
    legacy: boolean;
    message: string;
}

const versionConfig = {
    minimumVersion: {
        type: "string" as const,
        description: "Lowest acceptable TLS protocol version.",
        enum: ORDER,
        default: "TLSV1_2",
    },
    unsetMeans: {
        type: "string" as const,
        description: "What an unset minProtocolVersion counts as; by default Envoy's server default for the declared Istio version.",
        enum: ORDER,
    },
    ...istioVersionConfig,
};

function tlsVersionFindings(gateway: PolicyResource, config: RuleConfig): TlsVersionFinding[] {
    const out: TlsVersionFinding[] = [];
    const minimum = str(config["minimumVersion"]) ?? "TLSV1_2";
    const minIdx = ORDER.indexOf(minimum);
    const version = declaredIstioVersion(config, gateway);
    const unsetMeans = str(config["unsetMeans"]) ?? envoyServerDefault(version?.major, version?.minor);
    // minProtocolVersion arrived in Istio 1.1 (istio/api#645, October 2018).
    const noField = !!version && !versionAtLeast(version, 1, 1);
    for (const s of servers(gateway)) {
        const mode = tlsMode(s.tls);
        if (!s.tls || !isTlsProtocol(s.protocol) || !terminatesTls(mode)) {
            continue;
        }
        const raw = s.tls["minProtocolVersion"];
        if (isUnknown(raw)) {
            continue;
        }
        const set = str(raw)?.toUpperCase();
        const at = serverRef(gateway, s);
        if (set && set !== "TLS_AUTO") {
            if (ORDER.indexOf(set) < minIdx) {
                out.push({ legacy: false, message: `${at}: tls.minProtocolVersion ${set} is below the required minimum ${minimum}` });
            }
        } else if (ORDER.indexOf(unsetMeans) < minIdx) {
            if (noField && !str(config["unsetMeans"])) {
                out.push({
                    legacy: true,
                    message:
                        `${at}: Istio ${version!.text} accepts ${unsetMeans} here (Envoy's server default before Envoy 1.22, envoyproxy/envoy#19330) and its Gateway has no ` +
                        `minProtocolVersion (added in Istio 1.1, istio/api#645); the required minimum is ${minimum}: target a newer Istio`,
                });
                continue;
            }
            const why = str(config["unsetMeans"])
                ? "the policy config's unsetMeans"
                : version && !versionAtLeast(version, 1, 14)
                  ? `Envoy's server default for Istio ${version.text}, which predates Envoy 1.22 (envoyproxy/envoy#19330)`
                  : "Envoy's server default";
            out.push({
                legacy: false,
                message: `${at}: tls.minProtocolVersion is ${set ? "TLS_AUTO" : "not set"}, which means ${unsetMeans} (${why}); the required minimum is ${minimum}: set tls.minProtocolVersion: ${minimum}`,
            });
        }
        const max = str(s.tls["maxProtocolVersion"])?.toUpperCase();
        if (max && max !== "TLS_AUTO" && ORDER.indexOf(max) >= 0 && ORDER.indexOf(max) < minIdx) {
            out.push({ legacy: false, message: `${at}: tls.maxProtocolVersion ${max} is below the required minimum ${minimum}` });
        }
    }
    return out;
}

export const gatewayMinTlsVersion: ResourceRule = {
    name: "istio-gateway-min-tls-version",
    description:
        "Gateway servers that terminate TLS accept nothing older than `minimumVersion` (default TLSV1_2). An unset (or TLS_AUTO) " +
        "minProtocolVersion counts as Envoy's server default: TLS 1.2 from Istio 1.14 (Envoy 1.22) on, TLS 1.0 before.",
    enforcementLevel: "mandatory",
    source: "istio/api gateway.proto (minProtocolVersion); envoyproxy/envoy#19330; the task's HTTPS gateway",
    scope: "resource",
    configSchema: { properties: versionConfig },
    appliesTo: types.isGateway,
    check(gateway, config) {
        return tlsVersionFindings(gateway, config)
            .filter((f) => !f.legacy)
            .map((f) => ({ message: f.message }));
    },
};

/**
 * Istio 1.0 (the task's version) has no minProtocolVersion and its Envoy accepts TLS 1.0: nothing in
 * the Gateway can fix that, so it is reported apart, as advisory, with "upgrade" as the remedy.
 */
export const gatewayLegacyTlsDefault: ResourceRule = {
    name: "istio-gateway-legacy-tls-default",
    description:
        "On a declared Istio 1.0 (no minProtocolVersion field yet; Envoy then accepted TLS 1.0), TLS-terminating Gateway servers accept versions below " +
        "`minimumVersion`; the only fix is a newer Istio.",
    enforcementLevel: "advisory",
    source: "istio/api#645 (minProtocolVersion, Istio 1.1); envoyproxy/envoy#19330",
    scope: "resource",
    configSchema: { properties: versionConfig },
    appliesTo: types.isGateway,
    check(gateway, config) {
        return tlsVersionFindings(gateway, config)
            .filter((f) => f.legacy)
            .map((f) => ({ message: f.message }));
    },
};
