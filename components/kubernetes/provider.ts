import { KubernetesConfig } from "../config/schema";

export interface ProviderSettings {
    kubeconfig?: string;
    context?: string;
    renderYamlToDirectory?: string;
}

/** With no cluster configured, render manifests to `rendered/<stack>` so `pulumi up` needs no cluster. */
export function providerSettings(k: KubernetesConfig, stack: string): ProviderSettings {
    if (k.kubeconfig || k.context) {
        return { ...(k.kubeconfig ? { kubeconfig: k.kubeconfig } : {}), ...(k.context ? { context: k.context } : {}) };
    }
    return { renderYamlToDirectory: k.renderDir ?? `rendered/${stack}` };
}
