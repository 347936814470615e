// Registration of the `target: gateway-api` objects: thin, over the pure builders of this folder.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { IngressEndpoint } from "../outputs/commands";
import { registerObject, registerWithStatus } from "../kubernetes/register";
import { CaChains, clientCaConfigMap } from "./clientCa";
import { kubeGatewayObject } from "./gateway";
import { hostRouteObject, redirectRouteObject } from "./httpRoute";
import { GatewayApiSlice } from "./placement";
import { referenceGrantObjects } from "./referenceGrant";

/** The Gateway API objects of one SecureIngress. */
export interface GatewayApiResources {
    gateway: k8s.apiextensions.CustomResource;
    /** host name -> its HTTPRoute. */
    httpRoutes: Record<string, k8s.apiextensions.CustomResource>;
    /** The HTTPRoute that redirects plain HTTP to HTTPS. */
    redirectRoute?: k8s.apiextensions.CustomResource;
    /** Namespace of the referenced Services -> the ReferenceGrant there. */
    referenceGrants: Record<string, k8s.apiextensions.CustomResource>;
    /** The CA bundle of the Gateway-level client validation. */
    clientCaConfigMap?: k8s.core.v1.ConfigMap;
    /** The address the cluster assigned to the Gateway (status.addresses), once it has. */
    endpoint: pulumi.Output<IngressEndpoint | undefined>;
}

export function registerGatewayApi(
    c: GatewayApiSlice & { skipAwait: boolean },
    chains: CaChains,
    opts: pulumi.CustomResourceOptions,
): GatewayApiResources {
    const ca = clientCaConfigMap(c, chains);
    const clientCa = ca ? registerObject(ca, opts) : undefined;
    const gateway = registerWithStatus(kubeGatewayObject(c), opts);
    const httpRoutes: Record<string, k8s.apiextensions.CustomResource> = {};
    for (const host of c.hosts) {
        httpRoutes[host.host] = registerObject(hostRouteObject(c, host), opts);
    }
    const redirect = redirectRouteObject(c);
    const referenceGrants: Record<string, k8s.apiextensions.CustomResource> = {};
    for (const grant of referenceGrantObjects(c)) {
        referenceGrants[grant.metadata.namespace as string] = registerObject(grant, opts);
    }
    return {
        gateway,
        httpRoutes,
        redirectRoute: redirect ? registerObject(redirect, opts) : undefined,
        referenceGrants,
        clientCaConfigMap: clientCa,
        endpoint: c.skipAwait ? pulumi.output(undefined) : gatewayEndpoint(c, gateway.status),
    };
}

/** Istio's deployed Service exposes each listener port as itself, so the listener ports are the ports to call. */
function gatewayEndpoint(c: GatewayApiSlice, status: pulumi.Output<any>): pulumi.Output<IngressEndpoint | undefined> {
    return status.apply((s) => {
        const address: unknown = s?.addresses?.[0]?.value;
        return typeof address === "string" && address !== ""
            ? { host: address, httpPort: c.gateway.http.port, httpsPort: c.gateway.httpsPort }
            : undefined;
    });
}
