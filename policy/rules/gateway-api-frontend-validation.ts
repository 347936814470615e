import { caCertificateRefs } from "./gateway-api-model";
import { Finding, ResourceRule } from "./types";
import { declaredIstioVersion, istioVersionConfig, versionAtLeast } from "./versions";
import { describe, rec, spec, str, types } from "./util";

/**
 * Gateway-level client validation (GEP-91) that the target Istio or the installed CRD channel drops silently, so the
 * listeners serve without verifying clients: Istio reads spec.tls.frontend from 1.28 (release note 57183); 1.28 and
 * 1.29 vendor Gateway API v1.4, where the field exists only in the experimental CRDs (the standard CRDs' API server
 * prunes it); Istio accepts one caCertificateRef ("only one caCertificateRef is supported"); a Secret CA reference is
 * denied by SDS on 1.28 to 1.30 (istio/istio#60277); AllowInsecureFallback is read from 1.31 (istio/istio#60824).
 */
export const gatewayApiFrontendValidation: ResourceRule = {
    name: "gateway-api-frontend-validation",
    description:
        "A Gateway's spec.tls.frontend client validation is one the target Istio version and the installed Gateway API CRD channel actually apply: Istio 1.28+, the experimental channel on 1.28/1.29, one ConfigMap caCertificateRef on Istio up to 1.30, AllowInsecureFallback from 1.31.",
    enforcementLevel: "mandatory",
    source: "istio/istio pilot/pkg/config/kube/gateway/conversion.go (buildTLS); istio/istio#60277, #60824; gateway-api GEP-91",
    scope: "resource",
    configSchema: {
        properties: {
            ...istioVersionConfig,
            gatewayApiChannel: {
                type: "string",
                description: "The Gateway API CRD channel installed in the cluster.",
                enum: ["standard", "experimental"],
                default: "standard",
            },
        },
    },
    appliesTo: types.isKubeGateway,
    check(gateway, config) {
        const frontend = rec(rec(spec(gateway)["tls"])?.["frontend"]);
        const refs = caCertificateRefs(gateway);
        if (!frontend || refs.length === 0) {
            return [];
        }
        const v = declaredIstioVersion(config, gateway);
        if (!v) {
            return [];
        }
        const gw = describe(gateway);
        const out: Finding[] = [];
        if (!versionAtLeast(v, 1, 28)) {
            out.push({
                message: `${gw}: Istio ${v.text} ignores spec.tls.frontend (read from 1.28): its listeners verify no client certificate`,
            });
            return out;
        }
        if (!versionAtLeast(v, 1, 30) && (str(config["gatewayApiChannel"]) ?? "standard") === "standard") {
            out.push({
                message: `${gw}: Istio ${v.text} vendors Gateway API v1.4, whose standard CRDs have no spec.tls.frontend: the API server drops it; install the experimental channel or target Istio 1.30+`,
            });
        }
        const perPort = new Map<string, number>();
        for (const r of refs) {
            const where = r.path.replace(/\.validation\.caCertificateRefs\[\d+\]$/, "");
            perPort.set(where, (perPort.get(where) ?? 0) + 1);
            if (r.kind === "Secret" && !versionAtLeast(v, 1, 31)) {
                out.push({
                    message: `${gw} ${r.path}: a Secret CA reference is denied by SDS on Istio ${v.text} (istio/istio#60277); use a ConfigMap with key ca.crt`,
                });
            }
        }
        for (const [where, n] of perPort) {
            if (n > 1) {
                out.push({ message: `${gw} ${where}: only one caCertificateRef is supported by Istio (${n} given)` });
            }
        }
        const modes = [frontend["default"], ...((frontend["perPort"] as unknown[]) ?? []).map((p) => rec(p)?.["tls"])];
        if (!versionAtLeast(v, 1, 31) && modes.some((m) => str(rec(rec(m)?.["validation"])?.["mode"]) === "AllowInsecureFallback")) {
            out.push({
                message: `${gw}: AllowInsecureFallback is read by Istio 1.31 and later; Istio ${v.text} verifies clients strictly`,
            });
        }
        return out;
    },
};
