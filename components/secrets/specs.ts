// The Kubernetes Secrets the gateway reads, per delivery mode, as plain data.
import * as pulumi from "@pulumi/pulumi";
import { IngressConfig } from "../config/checkArgs";
import {
    caCertSecret,
    caChainKey,
    credentialName,
    mountedCertSecretName,
    mountPathForSecret,
    isMutual,
    mutualHosts,
    volumeNameForSecret,
} from "../naming";
import { SecretManifest } from "../kubernetes/objects";
import { clientValidation } from "../gatewayApi/clientValidation";

/** What the Secret builders read. */
export type SecretsSlice = Pick<IngressConfig, "hosts" | "target" | "istioVersion" | "gatewayApi"> & {
    gateway: Pick<IngressConfig["gateway"], "secretDelivery" | "workloadNamespace">;
    pki: Pick<IngressConfig["pki"], "caMode">;
};

/** Per-host PEMs as the secrets need them (key material already secret). */
export interface SecretMaterial {
    serverChainPem: pulumi.Input<string>;
    serverKeyPem: pulumi.Input<string>;
    caChainPem?: pulumi.Input<string>;
}

export interface SecretPlan {
    object: SecretManifest & { stringData: Record<string, pulumi.Input<string>> };
    /** Set in mounted mode: where the gateway pod mounts this secret. */
    mount?: { volumeName: string; mountPath: string };
    /** Host names whose TLS reads this secret. */
    hosts: string[];
}

export function secretPlans(c: SecretsSlice, material: Map<string, SecretMaterial>): SecretPlan[] {
    return c.gateway.secretDelivery === "mounted" ? mountedSecrets(c, material) : sdsSecrets(c, material);
}

const get = (material: Map<string, SecretMaterial>, name: string) => {
    const m = material.get(name);
    if (!m) {
        throw new Error(`no TLS material for host ${name}`);
    }
    return m;
};

function secret(name: string, namespace: string, type: string, stringData: Record<string, pulumi.Input<string>>): SecretPlan["object"] {
    return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, type, stringData };
}

/** The task's secrets: istio-ingressgateway-certs, -ca-certs, and -<name>-certs for every further host. */
function mountedSecrets(c: SecretsSlice, material: Map<string, SecretMaterial>): SecretPlan[] {
    const ns = c.gateway.workloadNamespace;
    const plans: SecretPlan[] = c.hosts.map((h, i) => {
        const m = get(material, h.name);
        const name = mountedCertSecretName(c.hosts, i);
        return {
            object: secret(name, ns, "kubernetes.io/tls", { "tls.crt": m.serverChainPem, "tls.key": m.serverKeyPem }),
            mount: { volumeName: volumeNameForSecret(name), mountPath: mountPathForSecret(name) },
            hosts: [h.name],
        };
    });
    const mutual = mutualHosts(c.hosts);
    if (mutual.length > 0) {
        const data: Record<string, pulumi.Input<string>> = {};
        for (const h of mutual) {
            data[caChainKey(c.hosts, h)] = requireCa(get(material, h.name), h.name);
        }
        plans.push({
            object: secret(caCertSecret, ns, "Opaque", data),
            mount: { volumeName: volumeNameForSecret(caCertSecret), mountPath: mountPathForSecret(caCertSecret) },
            hosts: mutual.map((h) => h.name),
        });
    }
    return plans;
}

/** The Gateway API's frontend validation reads the CA from its own ConfigMap, not from the serving Secret. */
function caInServingSecret(c: SecretsSlice): boolean {
    return c.target !== "gateway-api" || clientValidation(c) !== "frontend";
}

/** Today's way: one credentialName secret per host, with ca.crt for mutual TLS. */
function sdsSecrets(c: SecretsSlice, material: Map<string, SecretMaterial>): SecretPlan[] {
    const withCa = caInServingSecret(c);
    return c.hosts.map((h) => {
        const m = get(material, h.name);
        const data: Record<string, pulumi.Input<string>> = { "tls.crt": m.serverChainPem, "tls.key": m.serverKeyPem };
        if (isMutual(h) && withCa) {
            data["ca.crt"] = requireCa(m, h.name);
        }
        return { object: secret(credentialName(h), c.gateway.workloadNamespace, "kubernetes.io/tls", data), hosts: [h.name] };
    });
}

function requireCa(m: SecretMaterial, name: string): pulumi.Input<string> {
    if (m.caChainPem === undefined) {
        throw new Error(`host ${name} needs a CA chain for mutual TLS (validated earlier; this is a bug)`);
    }
    return m.caChainPem;
}
