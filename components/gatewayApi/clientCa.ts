// The ConfigMap the Gateway-level client validation references: key `ca.crt`, the Gateway API's core form. A Secret
// would do on paper, but Istio 1.28 to 1.30 refuse a Secret CA reference at run time (istio/istio#60277).
import * as pulumi from "@pulumi/pulumi";
import { configMapCaKey, gatewayApiNames, isMutual } from "../naming";
import { ConfigMapManifest } from "../kubernetes/objects";
import { clientValidation } from "./clientValidation";
import { gatewayApiMeta, GatewayApiSlice, gatewayNamespace } from "./placement";

/** The CA chain of each mutual host (the one shared CA when the frontend form is used). */
export type CaChains = Map<string, { caChainPem?: pulumi.Input<string> }>;

export function clientCaConfigMap(c: GatewayApiSlice, chains: CaChains): ConfigMapManifest | undefined {
    const first = c.hosts.find(isMutual);
    if (!first || clientValidation(c) !== "frontend") {
        return undefined;
    }
    const ca = chains.get(first.name)?.caChainPem;
    if (ca === undefined) {
        throw new Error(`host ${first.name} needs a CA chain for mutual TLS (validated earlier; this is a bug)`);
    }
    const name = gatewayApiNames(c.gateway.name, c.gatewayApi.gatewayClassName).clientCaConfigMap;
    return { apiVersion: "v1", kind: "ConfigMap", metadata: gatewayApiMeta(c, name, gatewayNamespace(c)), data: { [configMapCaKey]: ca } };
}
