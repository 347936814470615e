// Which Gateway API form verifies client certificates, and why the Gateway-level form cannot serve a stack.
// Facts from Istio's conversion (pilot/pkg/config/kube/gateway/conversion.go buildTLS): the frontend validation of a
// port applies to every Terminate listener on it, one caCertificateRef only; Istio reads it from 1.28.
import { ClientValidation } from "../config/enums";
import { HostConfig, SecureIngressConfig } from "../config/schema";
import { versionAtLeast } from "../config/version";
import { isMutual } from "../naming";

/** What the choice reads. */
export type ClientValidationSlice = Pick<SecureIngressConfig, "istioVersion" | "hosts" | "gatewayApi"> & {
    pki: Pick<SecureIngressConfig["pki"], "caMode">;
};

/** A reason the Gateway-level form cannot work, at a config path. */
export interface FrontendObstacle {
    path: string;
    value: unknown;
    message: string;
}

/** Every reason `spec.tls.frontend` cannot serve this stack's mutual hosts (none: it can). */
export function frontendObstacles(c: ClientValidationSlice): FrontendObstacle[] {
    const out: FrontendObstacle[] = [];
    const fix = "set gatewayApi.clientValidation: listener-option";
    if (!versionAtLeast(c.istioVersion, 1, 28)) {
        out.push({
            path: "istioVersion",
            value: c.istioVersion,
            message: `reads no Gateway spec.tls.frontend (Istio supports it from 1.28); set istioVersion 1.28+ or ${fix.replace("set ", "")}`,
        });
    } else if (!versionAtLeast(c.istioVersion, 1, 30) && c.gatewayApi.channel === "standard") {
        out.push({
            path: "gatewayApi.channel",
            value: c.gatewayApi.channel,
            message: `drops spec.tls.frontend: Istio ${c.istioVersion} vendors Gateway API v1.4, which has the field only in the experimental CRDs; set channel: experimental, istioVersion 1.30+, or ${fix.replace("set ", "")}`,
        });
    }
    const mutual = c.hosts.filter(isMutual);
    c.hosts.forEach((h, i) => {
        if (!isMutual(h) && mutual.length > 0) {
            out.push({
                path: `hosts[${i}].tls`,
                value: h.tls,
                message: `shares the HTTPS port with mutual hosts (${mutual.map((m) => m.name).join(", ")}), and spec.tls.frontend verifies clients on every listener of a port; ${fix}`,
            });
        }
        if (h.tls === "OPTIONAL_MUTUAL") {
            out.push({
                path: `hosts[${i}].tls`,
                value: h.tls,
                message: `with spec.tls.frontend is refused by Istio's SDS on every release up to 1.31 (the -cacert secret is denied, istio/istio#60113); ${fix}`,
            });
        }
    });
    if (mutual.length > 1 && !sharedGeneratedCa(c, mutual)) {
        out.push({
            path: "gatewayApi.clientValidation",
            value: c.gatewayApi.clientValidation,
            message: `cannot verify ${mutual.map((m) => m.name).join(", ")} with one CA: Istio accepts one caCertificateRef per port and these hosts have their own CAs; use pki.caMode: shared with generated certificates, or listener-option`,
        });
    }
    return out;
}

/** Every mutual host's certificates come from the stack's one shared CA. */
function sharedGeneratedCa(c: ClientValidationSlice, mutual: HostConfig[]): boolean {
    return c.pki.caMode === "shared" && mutual.every((h) => h.certificate === "generated");
}

/** The configured form, else the Gateway-level one when the target Istio reads it and it can serve the stack. */
export function clientValidation(c: ClientValidationSlice): ClientValidation {
    if (c.gatewayApi.clientValidation !== undefined) {
        return c.gatewayApi.clientValidation;
    }
    return frontendObstacles(c).length === 0 ? "frontend" : "listener-option";
}
