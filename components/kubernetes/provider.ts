import { KubernetesConfig } from "../config/schema";

export interface ProviderSettings {
    kubeconfig?: string;
    context?: string;
    renderYamlToDirectory?: string;
    /** Certificate rotation updates a Secret in place; the provider's default replaces it (a gap). */
    enableSecretMutable: boolean;
}

/** With no cluster configured, render manifests to `rendered/<stack>` so `pulumi up` needs no cluster. */
export function providerSettings(k: KubernetesConfig, stack: string): ProviderSettings {
    if (k.kubeconfig || k.context) {
        return {
            ...(k.kubeconfig ? { kubeconfig: k.kubeconfig } : {}),
            ...(k.context ? { context: k.context } : {}),
            enableSecretMutable: true,
        };
    }
    // An explicit empty kubeconfig: the provider would otherwise take $KUBECONFIG, which it refuses to combine with rendering.
    return { renderYamlToDirectory: k.renderDir ?? `rendered/${stack}`, kubeconfig: "", enableSecretMutable: true };
}
