// The Kubernetes Secrets the gateway reads, per delivery mode, as plain data.
import * as pulumi from "@pulumi/pulumi";
import { IngressConfig } from "../config/checkArgs";
import {
    caCertKey,
    caCertSecret,
    caCertSecretName,
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

/** Per-host PEMs as the secrets need them (key material already secret); no server pair when cert-manager writes it. */
export interface SecretMaterial {
    serverChainPem?: pulumi.Input<string>;
    serverKeyPem?: pulumi.Input<string>;
    caChainPem?: pulumi.Input<string>;
}

export interface SecretPlan {
    /** The Secret's name in the gateway workload's namespace. */
    name: string;
    /** The Secret to register; absent when a cert-manager Certificate writes it. */
    object?: SecretManifest & { stringData: Record<string, pulumi.Input<string>> };
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

/** The server pair as a kubernetes.io/tls Secret, or nothing when cert-manager writes that Secret. */
function servingSecret(name: string, namespace: string, m: SecretMaterial, ca?: pulumi.Input<string>): SecretPlan["object"] {
    if (m.serverChainPem === undefined || m.serverKeyPem === undefined) {
        return undefined;
    }
    return secret(name, namespace, "kubernetes.io/tls", {
        "tls.crt": m.serverChainPem,
        "tls.key": m.serverKeyPem,
        ...(ca === undefined ? {} : { "ca.crt": ca }),
    });
}

/** The task's secrets: istio-ingressgateway-certs, -ca-certs, and -<name>-certs for every further host. */
function mountedSecrets(c: SecretsSlice, material: Map<string, SecretMaterial>): SecretPlan[] {
    const ns = c.gateway.workloadNamespace;
    const plans: SecretPlan[] = c.hosts.map((h, i) => {
        const m = get(material, h.name);
        const name = mountedCertSecretName(c.hosts, i);
        return {
            name,
            object: servingSecret(name, ns, m),
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
            name: caCertSecret,
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

/**
 * Today's way: one credentialName secret per host, with ca.crt for mutual TLS. Where cert-manager writes the
 * credential, its ca.crt is the server's issuer, so the client CA goes to `<credential>-cacert`, which Istio reads first.
 */
function sdsSecrets(c: SecretsSlice, material: Map<string, SecretMaterial>): SecretPlan[] {
    const ns = c.gateway.workloadNamespace;
    const withCa = caInServingSecret(c);
    return c.hosts.flatMap((h) => {
        const m = get(material, h.name);
        const name = credentialName(h);
        const ca = isMutual(h) && withCa ? requireCa(m, h.name) : undefined;
        const serving = servingSecret(name, ns, m, ca);
        const plans: SecretPlan[] = [{ name, object: serving, hosts: [h.name] }];
        if (serving === undefined && ca !== undefined) {
            const cacert = caCertSecretName(name);
            plans.push({ name: cacert, object: secret(cacert, ns, "Opaque", { [caCertKey]: ca }), hosts: [h.name] });
        }
        return plans;
    });
}

function requireCa(m: SecretMaterial, name: string): pulumi.Input<string> {
    if (m.caChainPem === undefined) {
        throw new Error(`host ${name} needs a CA chain for mutual TLS (validated earlier; this is a bug)`);
    }
    return m.caChainPem;
}
