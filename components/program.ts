import * as k8s from "@pulumi/kubernetes";
import { SecureIngressArgs } from "./args";
import { SecureIngressConfig } from "./config/schema";
import { providerSettings } from "./kubernetes/provider";
import { SecureIngress } from "./secureIngress";
import { certificateExpiry } from "./outputs/expiry";

/** The component's args from a validated stack config: everything but the cluster settings, which stay here. */
export function componentArgs(config: SecureIngressConfig): SecureIngressArgs {
    const { kubernetes, ...rest } = config;
    return { ...rest, skipAwait: kubernetes.skipAwait };
}

/** The whole stack for a validated config: the Kubernetes provider, one SecureIngress, and the stack outputs. */
export function createProgram(config: SecureIngressConfig, stack: string) {
    const settings = providerSettings(config.kubernetes, stack);
    const provider = new k8s.Provider("k8s", settings);
    const ingress = new SecureIngress("secure-ingress", componentArgs(config), { providers: { kubernetes: provider } });
    return {
        ingress,
        outputs: {
            apiLevel: config.apiLevel,
            gateway: `${config.gateway.namespace}/${config.gateway.name}`,
            renderedTo: settings.renderYamlToDirectory,
            secretNames: ingress.secretNames,
            certificates: ingress.certificates,
            // as of this update: `fleet outputs` and the certificate-expiry policy rule recount from the same PEMs
            certificateExpiry: ingress.certificates.apply((c) => certificateExpiry(c)),
            privateKeys: ingress.privateKeys,
            issuedCertificates: ingress.issuedCertificates,
            jwks: ingress.jwks,
            jwtToken: ingress.jwtToken,
            environment: ingress.environment,
            testCommands: ingress.testCommands,
            troubleshooting: ingress.troubleshooting,
            cleanup: ["pulumi destroy"],
        },
    };
}
