import * as pulumi from "@pulumi/pulumi";
import { SecureIngressConfig } from "./config/schema";
import { IngressPki, HostMaterial } from "./pki/ingressPki";
import { secretPlans } from "./secrets/specs";
import { gatewayObject } from "./gateway/spec";
import { virtualServiceObject } from "./routes/spec";
import { jwtObjects, JwtKeySource } from "./jwt/specs";
import { SelfIssuer } from "./jwt/selfIssuer";
import { backendObjects } from "./backends/specs";
import {
    certsChecksum,
    deploymentPatch,
    gatewayService,
    managedDeployment,
    SecretMount,
    secretReaderRbac,
    serviceAccount,
} from "./workload/specs";
import { environmentCommands, IngressEndpoint, TestCommand, testCommands, troubleshootingCommands } from "./outputs/commands";
import { K8sObject } from "./kubernetes/objects";
import { registerDeploymentPatch, registerObject } from "./kubernetes/register";

export interface SecureIngressArgs {
    /**
     * The validated stack config (see `parseConfig`). Its structure (hosts, modes, API level) decides which
     * resources exist, so it is plain data: Pulumi resources cannot be created inside an `apply`.
     */
    config: SecureIngressConfig;
    /** True when the Kubernetes provider renders manifests to a folder instead of applying them. */
    rendering?: pulumi.Input<boolean>;
}

/** Public certificates of one host, keyed like the task's files. */
export interface HostCertificateOutputs {
    rootCert?: string;
    intermediateCert?: string;
    caChain?: string;
    serverCert: string;
    clientCert?: string;
}

/** Private keys of one host (always a secret output). */
export interface HostKeyOutputs {
    serverKey: string;
    clientKey?: string;
}

/**
 * Every step of Istio's "Securing Gateways with HTTPS" task, declared: certificates, the secrets the gateway
 * reads, the gateway workload with its volumes, the Gateway, the VirtualServices, end-user JWT, and the
 * commands that test it all.
 */
export class SecureIngress extends pulumi.ComponentResource {
    /** host name -> public certificates (root, intermediate, chain, server, client). */
    public readonly certificates: pulumi.Output<Record<string, HostCertificateOutputs>>;
    /** host name -> private keys (secret). */
    public readonly privateKeys: pulumi.Output<Record<string, HostKeyOutputs>>;
    /** Names of the secrets the gateway reads. */
    public readonly secretNames: string[];
    /** Every Kubernetes object this component manages, as registered (for review and tests). */
    public readonly objects: K8sObject[];
    /** The self-contained issuer's JWKS, when it is used. */
    public readonly jwks?: pulumi.Output<string>;
    /** The self-contained issuer's test token (secret), when it is used. */
    public readonly jwtToken?: pulumi.Output<string>;
    /** The task's test commands with the result each must give. */
    public readonly testCommands: pulumi.Output<TestCommand[]>;
    /** Commands that set INGRESS_HOST, INGRESS_PORT, SECURE_INGRESS_PORT and TOKEN. */
    public readonly environment: pulumi.Output<string[]>;
    /** The task's troubleshooting commands for this stack. */
    public readonly troubleshooting: string[];

    /**
     * @param name The _unique_ name of this component.
     * @param args The validated config.
     * @param opts A bag of options that control this component's behavior (pass the Kubernetes provider here).
     */
    constructor(name: string, args: SecureIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secure-ingress:index:SecureIngress", name, {}, opts);
        const c = args.config;
        // Rendering deletes a file by name on replace; create-before-delete would delete the new file.
        const childOpts: pulumi.CustomResourceOptions = { parent: this, deleteBeforeReplace: true };

        const pki = new IngressPki(
            `${name}-pki`,
            { pki: c.pki, hosts: c.hosts, provided: c.certificates, sharedCaName: name },
            { parent: this },
        );
        const plans = secretPlans(c, pki.hosts);
        const secrets = plans.map((p) => registerObject(p.object, childOpts));
        this.secretNames = plans.map((p) => p.object.metadata.name);
        const objects: K8sObject[] = plans.map((p) => p.object);

        const mounts: SecretMount[] = plans.flatMap((p) => (p.mount ? [{ secretName: p.object.metadata.name, ...p.mount }] : []));
        const checksum = mounts.length > 0 ? certificatesChecksum(pki.hosts) : undefined;
        const workloadOpts = { ...childOpts, dependsOn: secrets };
        let endpoint: pulumi.Output<IngressEndpoint | undefined> = pulumi.output(undefined);
        if (c.gateway.workload === "managed") {
            const service = gatewayService(c);
            const managed = [serviceAccount(c), ...secretReaderRbac(c, this.secretNames), managedDeployment(c, mounts, checksum), service];
            const registered = managed.map((o) => registerObject(o, workloadOpts));
            objects.push(...managed);
            endpoint = serviceEndpoint(c, registered[registered.length - 1], args.rendering);
        } else if (c.gateway.workload === "patch" && mounts.length > 0) {
            const patch = deploymentPatch(c, mounts, checksum);
            registerDeploymentPatch(patch, workloadOpts);
            objects.push(patch);
        }

        const gateway = gatewayObject(c);
        registerObject(gateway, childOpts);
        objects.push(gateway);
        for (const host of c.hosts) {
            const vs = virtualServiceObject(c, host);
            registerObject(vs, childOpts);
            objects.push(vs);
        }

        let keySource: JwtKeySource = { jwksUri: c.jwt.jwksUri, jwks: c.jwt.jwks };
        if (c.jwt.enabled && c.jwt.selfIssued.enabled) {
            const issuer = new SelfIssuer(
                `${name}-jwt-issuer`,
                {
                    issuer: c.jwt.issuer as string,
                    subject: c.jwt.selfIssued.subject,
                    audiences: c.jwt.audiences,
                    algorithm: c.jwt.selfIssued.algorithm,
                    tokenLifetimeHours: c.jwt.selfIssued.tokenLifetimeHours,
                },
                { parent: this },
            );
            keySource = { jwks: issuer.jwks };
            this.jwks = issuer.jwks;
            this.jwtToken = issuer.token;
        }
        const extra = [...jwtObjects(c, keySource), ...backendObjects(c.backends, c.kubernetes.skipAwait)];
        for (const o of extra) {
            registerObject(o, childOpts);
        }
        objects.push(...extra);
        this.objects = objects;

        this.certificates = publicCertificates(pki.hosts);
        this.privateKeys = pulumi.secret(privateKeyOutputs(pki.hosts));
        this.testCommands = endpoint.apply((ep) => testCommands(c, ep));
        this.environment = endpoint.apply((ep) => environmentCommands(c, ep));
        this.troubleshooting = troubleshootingCommands(c);
        this.registerOutputs({
            certificates: this.certificates,
            privateKeys: this.privateKeys,
            secretNames: this.secretNames,
            testCommands: this.testCommands,
            environment: this.environment,
            troubleshooting: this.troubleshooting,
            jwks: this.jwks,
            jwtToken: this.jwtToken,
        });
    }
}

/** Certificates only (never keys): a new certificate or chain rolls the pods. */
function certificatesChecksum(hosts: Map<string, HostMaterial>): pulumi.Output<string> {
    const pems = [...hosts.values()].flatMap((m) => [m.serverChainPem, ...(m.caChainPem ? [m.caChainPem] : [])]);
    return pulumi.all(pems).apply(certsChecksum);
}

/** The managed LoadBalancer's address, once a real cluster has assigned one. */
function serviceEndpoint(
    c: SecureIngressConfig,
    service: pulumi.CustomResource,
    rendering?: pulumi.Input<boolean>,
): pulumi.Output<IngressEndpoint | undefined> {
    if (c.gateway.serviceType !== "LoadBalancer" || c.kubernetes.skipAwait) {
        return pulumi.output(undefined);
    }
    const status = (service as unknown as { status?: pulumi.Output<any> }).status;
    if (!status) {
        return pulumi.output(undefined);
    }
    return pulumi.all([status, rendering ?? false]).apply(([s, r]) => {
        const ingress = s?.loadBalancer?.ingress?.[0];
        const address = ingress?.ip ?? ingress?.hostname;
        return r || !address ? undefined : { host: address, httpPort: c.gateway.http.port, httpsPort: c.gateway.httpsPort };
    });
}

function publicCertificates(hosts: Map<string, HostMaterial>): pulumi.Output<Record<string, HostCertificateOutputs>> {
    const entries = [...hosts.values()].map((m) =>
        pulumi
            .all({
                rootCert: m.rootCertPem,
                intermediateCert: m.intermediateCertPem,
                caChain: m.caChainPem,
                serverCert: m.serverCertPem,
                clientCert: m.clientCertPem,
            })
            .apply((v) => [m.host.host, dropUndefined(v)] as const),
    );
    return pulumi.all(entries).apply((e) => Object.fromEntries(e) as Record<string, HostCertificateOutputs>);
}

function privateKeyOutputs(hosts: Map<string, HostMaterial>): pulumi.Output<Record<string, HostKeyOutputs>> {
    const entries = [...hosts.values()].map((m) =>
        pulumi.all({ serverKey: m.serverKeyPem, clientKey: m.clientKeyPem }).apply((v) => [m.host.host, dropUndefined(v)] as const),
    );
    return pulumi.all(entries).apply((e) => Object.fromEntries(e) as Record<string, HostKeyOutputs>);
}

function dropUndefined<T extends object>(o: T): any {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
