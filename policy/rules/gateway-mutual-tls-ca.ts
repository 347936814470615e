import {
    credentialNames,
    findSecret,
    gateways,
    gatewayWorkloads,
    isMutual,
    isTlsProtocol,
    secrets,
    serverRef,
    servers,
    tlsMode,
    gatewayNamespaceConfig,
} from "./model";
import { Finding, StackRule } from "./types";
import { isUnknown, k8sName, k8sNamespace, present, str, types } from "./util";

const CA_KEYS = ["ca.crt", "cacert"];

/**
 * The webhook only requires a CA for file-mounted MUTUAL servers ("MUTUAL TLS requires a client CA
 * bundle"); with credentialName it checks nothing, so a missing CA shows up at runtime as an SDS
 * failure. This rule closes that gap with the secrets in the stack (secure-ingress task, "Key formats").
 */
export const gatewayMutualTlsCa: StackRule = {
    name: "istio-gateway-mutual-tls-ca",
    description:
        "MUTUAL and OPTIONAL_MUTUAL servers have a client CA: tls.caCertificates, tls.caCertCredentialName, a credentialName secret " +
        "in the stack holding `ca.crt` or `cacert`, or a `<credentialName>-cacert` secret (the only choice when cert-manager writes the credential).",
    enforcementLevel: "mandatory",
    source: "istio/istio pkg/config/validation/validation.go (validateTLSOptions); istio.io secure-ingress task, Key formats; istio/istio#45449 and pilot/pkg/credentials/kube GetCaCert (-cacert first)",
    scope: "stack",
    configSchema: { properties: { ...gatewayNamespaceConfig } },
    check(resources, config) {
        const out: Finding[] = [];
        const allSecrets = secrets(resources);
        for (const gw of gateways(resources)) {
            for (const s of servers(gw)) {
                const mode = tlsMode(s.tls);
                if (!s.tls || !isTlsProtocol(s.protocol) || !isMutual(mode)) {
                    continue;
                }
                const tls = s.tls;
                const at = `${serverRef(gw, s)} (${mode})`;
                if (present(tls["caCertificates"])) {
                    continue;
                }
                const workloads = gatewayWorkloads(gw, resources, config);
                const caCred = tls["caCertCredentialName"];
                if (isUnknown(caCred)) {
                    continue;
                }
                if (str(caCred)) {
                    for (const w of workloads) {
                        const found = resources.some(
                            (r) =>
                                (types.isSecret(r.type) || types.isConfigMap(r.type)) &&
                                k8sName(r) === caCred &&
                                k8sNamespace(r) === w.namespace,
                        );
                        if (!found) {
                            out.push({
                                resource: gw,
                                message: `${at}: tls.caCertCredentialName ${JSON.stringify(caCred)} names no Secret or ConfigMap in namespace ${JSON.stringify(w.namespace)} of the stack, so clients cannot be verified`,
                            });
                        }
                    }
                    continue;
                }
                const creds = credentialNames(tls);
                if (creds.length === 0) {
                    if (isUnknown(tls["credentialName"])) {
                        continue;
                    }
                    out.push({
                        resource: gw,
                        message: `${at}: MUTUAL TLS requires a client CA bundle: set tls.caCertificates, or use a credentialName secret that holds ca.crt (or cacert)`,
                    });
                    continue;
                }
                for (const w of workloads) {
                    const ok = creds.some((cn) => {
                        const sec = findSecret(allSecrets, w.namespace, cn);
                        if (sec && !sec.certificate && (!sec.keys || CA_KEYS.some((k) => sec.keys!.has(k)))) {
                            return true;
                        }
                        return !!findSecret(allSecrets, w.namespace, `${cn}-cacert`);
                    });
                    if (!ok) {
                        const cn = creds[0];
                        const sec = findSecret(allSecrets, w.namespace, cn);
                        const state = sec?.certificate
                            ? `secret ${w.namespace}/${cn} is written by cert-manager Certificate ${k8sName(sec.certificate)}, whose ca.crt is the server certificate's issuer (an ACME issuer writes none), not the CA that signs clients`
                            : sec
                              ? `secret ${w.namespace}/${cn} has no ca.crt or cacert key`
                              : `secret ${w.namespace}/${cn} is not in the stack`;
                        out.push({
                            resource: gw,
                            message: `${at}: no client CA for credentialName ${JSON.stringify(cn)}: ${state}, and there is no ${w.namespace}/${cn}-cacert secret; Istio would fail the SDS fetch at runtime`,
                        });
                    }
                }
            }
        }
        return out;
    },
};
