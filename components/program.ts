import * as k8s from "@pulumi/kubernetes";
import { SecureIngressConfig } from "./config/schema";
import { providerSettings } from "./kubernetes/provider";
import { SecureIngress } from "./secureIngress";

/** The whole stack for a validated config: the Kubernetes provider, one SecureIngress, and the stack outputs. */
export function createProgram(config: SecureIngressConfig, stack: string) {
    const settings = providerSettings(config.kubernetes, stack);
    const provider = new k8s.Provider("k8s", settings);
    const ingress = new SecureIngress(
        "secure-ingress",
        { config, rendering: settings.renderYamlToDirectory !== undefined },
        { providers: { kubernetes: provider } },
    );
    return {
        ingress,
        outputs: {
            apiLevel: config.apiLevel,
            gateway: `${config.gateway.namespace}/${config.gateway.name}`,
            renderedTo: settings.renderYamlToDirectory,
            secretNames: ingress.secretNames,
            certificates: ingress.certificates,
            privateKeys: ingress.privateKeys,
            jwks: ingress.jwks,
            jwtToken: ingress.jwtToken,
            environment: ingress.environment,
            testCommands: ingress.testCommands,
            troubleshooting: ingress.troubleshooting,
            cleanup: ["pulumi destroy"],
        },
    };
}
