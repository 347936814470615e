import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SecureIngressArgs } from "./args";
import { checkArgs, IngressConfig } from "./config/checkArgs";
import { SecureIngressConfig } from "./config/schema";
import { IngressPki, HostMaterial } from "./pki/ingressPki";
import { CertificateAuthority } from "./pki/certificateAuthority";
import { HostCertificates } from "./pki/hostCertificates";
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
import { registerDeploymentPatch, registerObject } from "./kubernetes/register";
import { registerGatewayApi } from "./gatewayApi/register";
import { IssuedCertificate, registerCertManager } from "./certManager/register";

/** Public certificates of one host, keyed like the task's files. */
export interface HostCertificateOutputs {
    rootCert?: string;
    intermediateCert?: string;
    caChain?: string;
    /** Absent for a cert-manager host: cert-manager issues it in the cluster (`npm run certs -- --from-cluster`). */
    serverCert?: string;
    clientCert?: string;
}

/** Private keys of one host (always a secret output). */
export interface HostKeyOutputs {
    serverKey?: string;
    clientKey?: string;
}

/** One sample backend's resources. */
export interface BackendResources {
    deployment: k8s.apps.v1.Deployment;
    service: k8s.core.v1.Service;
}

/** What one SecureIngress registered, read through its accessors. */
interface Registered {
    gateway: k8s.apiextensions.CustomResource;
    virtualServices: Record<string, k8s.apiextensions.CustomResource>;
    httpRoutes: Record<string, k8s.apiextensions.CustomResource>;
    redirectRoute?: k8s.apiextensions.CustomResource;
    referenceGrants: Record<string, k8s.apiextensions.CustomResource>;
    clientCaConfigMap?: k8s.core.v1.ConfigMap;
    secrets: Record<string, k8s.core.v1.Secret>;
    deployment?: k8s.apps.v1.Deployment;
    service?: k8s.core.v1.Service;
    serviceAccount?: k8s.core.v1.ServiceAccount;
    role?: k8s.rbac.v1.Role;
    roleBinding?: k8s.rbac.v1.RoleBinding;
    deploymentPatch?: k8s.apps.v1.DeploymentPatch;
    requestAuthentication?: k8s.apiextensions.CustomResource;
    authorizationPolicy?: k8s.apiextensions.CustomResource;
    jwtPolicy?: k8s.apiextensions.CustomResource;
    jwtIssuer?: SelfIssuer;
    certificateAuthorities: Record<string, CertificateAuthority>;
    hostCertificates: Record<string, HostCertificates>;
    backends: Record<string, BackendResources>;
    certManagerCertificates: Record<string, k8s.apiextensions.CustomResource>;
    issuers: Record<string, k8s.apiextensions.CustomResource>;
    issuerSecrets: Record<string, k8s.core.v1.Secret>;
    issuedCertificates: Record<string, IssuedCertificate>;
}

const registeredBy = new WeakMap<SecureIngress, Registered>();

/** The constructor sets it first thing, so every instance has one. */
function registeredOf(ingress: SecureIngress): Registered {
    return registeredBy.get(ingress) as Registered;
}

/**
 * Every step of Istio's "Securing Gateways with HTTPS" task, declared: certificates, the secrets the gateway
 * reads, the gateway workload with its volumes, the Gateway, the VirtualServices, end-user JWT, and the
 * commands that test it all. Pass the Kubernetes provider in `opts` (`provider` or `providers`).
 */
export class SecureIngress extends pulumi.ComponentResource {
    /** host name -> public certificates (root, intermediate, chain, server, client). */
    public readonly certificates: pulumi.Output<Record<string, HostCertificateOutputs>>;
    /** host name -> private keys (secret). */
    public readonly privateKeys: pulumi.Output<Record<string, HostKeyOutputs>>;
    /** Names of the secrets the gateway reads. */
    public readonly secretNames: string[];
    /** The self-contained issuer's JWKS, when it is used. */
    public readonly jwks?: pulumi.Output<string>;
    /** The self-contained issuer's test token (secret), when it is used. */
    public readonly jwtToken?: pulumi.Output<string>;
    /** The task's test commands with the result each must give. */
    public readonly testCommands: pulumi.Output<TestCommand[]>;
    /** Commands that set INGRESS_HOST, INGRESS_PORT, SECURE_INGRESS_PORT and TOKEN. */
    public readonly environment: pulumi.Output<string[]>;
    /** The task's troubleshooting commands for this stack. */
    public readonly troubleshooting: pulumi.Output<string[]>;

    // The registered resources are accessors, not fields: the multi-language schema lists a component's fields as its
    // outputs, and a CustomResource or a nested component cannot be one. TypeScript callers still get them typed.
    /** The Istio Gateway, or the Gateway API Gateway (target `gateway-api`). */
    public get gateway(): k8s.apiextensions.CustomResource {
        return registeredOf(this).gateway;
    }
    /** host name -> its VirtualService (target `istio`). */
    public get virtualServices(): Record<string, k8s.apiextensions.CustomResource> {
        return registeredOf(this).virtualServices;
    }
    /** host name -> its HTTPRoute (target `gateway-api`). */
    public get httpRoutes(): Record<string, k8s.apiextensions.CustomResource> {
        return registeredOf(this).httpRoutes;
    }
    /** The HTTPRoute that redirects plain HTTP to HTTPS (target `gateway-api`, gateway.http.httpsRedirect). */
    public get redirectRoute(): k8s.apiextensions.CustomResource | undefined {
        return registeredOf(this).redirectRoute;
    }
    /** Namespace -> the ReferenceGrant that lets the routes reach its Services (target `gateway-api`). */
    public get referenceGrants(): Record<string, k8s.apiextensions.CustomResource> {
        return registeredOf(this).referenceGrants;
    }
    /** The CA bundle of the Gateway-level client validation (target `gateway-api`, frontend form). */
    public get clientCaConfigMap(): k8s.core.v1.ConfigMap | undefined {
        return registeredOf(this).clientCaConfigMap;
    }
    /** Secret name -> the Secret the gateway reads. */
    public get secrets(): Record<string, k8s.core.v1.Secret> {
        return registeredOf(this).secrets;
    }
    /** The managed gateway Deployment (workload `managed`). */
    public get deployment(): k8s.apps.v1.Deployment | undefined {
        return registeredOf(this).deployment;
    }
    /** The managed gateway Service (workload `managed`). */
    public get service(): k8s.core.v1.Service | undefined {
        return registeredOf(this).service;
    }
    /** The managed gateway's ServiceAccount (workload `managed`). */
    public get serviceAccount(): k8s.core.v1.ServiceAccount | undefined {
        return registeredOf(this).serviceAccount;
    }
    /** The Role that lets only the gateway's account read its secrets (workload `managed`). */
    public get role(): k8s.rbac.v1.Role | undefined {
        return registeredOf(this).role;
    }
    /** Its RoleBinding (workload `managed`). */
    public get roleBinding(): k8s.rbac.v1.RoleBinding | undefined {
        return registeredOf(this).roleBinding;
    }
    /** The patch that adds the secret volumes to the existing gateway Deployment (workload `patch`, mounted). */
    public get deploymentPatch(): k8s.apps.v1.DeploymentPatch | undefined {
        return registeredOf(this).deploymentPatch;
    }
    /** The RequestAuthentication (JWT, apiLevel `current`). */
    public get requestAuthentication(): k8s.apiextensions.CustomResource | undefined {
        return registeredOf(this).requestAuthentication;
    }
    /** The AuthorizationPolicy that refuses requests without a token (JWT, apiLevel `current`). */
    public get authorizationPolicy(): k8s.apiextensions.CustomResource | undefined {
        return registeredOf(this).authorizationPolicy;
    }
    /** The task's v1alpha1 Policy (JWT, apiLevel `istio-1.0`). */
    public get jwtPolicy(): k8s.apiextensions.CustomResource | undefined {
        return registeredOf(this).jwtPolicy;
    }
    /** The self-contained JWT issuer (jwt.selfIssued). */
    public get jwtIssuer(): SelfIssuer | undefined {
        return registeredOf(this).jwtIssuer;
    }
    /** host name -> the CA that signed its certificates (generated hosts; the same object for all in caMode shared). */
    public get certificateAuthorities(): Record<string, CertificateAuthority> {
        return registeredOf(this).certificateAuthorities;
    }
    /** host name -> its server and client certificate resources (generated hosts). */
    public get hostCertificates(): Record<string, HostCertificates> {
        return registeredOf(this).hostCertificates;
    }
    /** backend name -> its sample Deployment and Service. */
    public get backends(): Record<string, BackendResources> {
        return registeredOf(this).backends;
    }
    /** host name -> its cert-manager Certificate (hosts with `certificate: cert-manager`). */
    public get certManagerCertificates(): Record<string, k8s.apiextensions.CustomResource> {
        return registeredOf(this).certManagerCertificates;
    }
    /** Issuer name -> the cert-manager CA Issuer holding the stack's intermediate (`pki.issuer: cert-manager`). */
    public get issuers(): Record<string, k8s.apiextensions.CustomResource> {
        return registeredOf(this).issuers;
    }
    /** Issuer name -> the Secret with that Issuer's intermediate certificate and key. */
    public get issuerSecrets(): Record<string, k8s.core.v1.Secret> {
        return registeredOf(this).issuerSecrets;
    }
    /** host name -> where cert-manager writes its certificate and who signs it (cert-manager hosts). */
    public get issuedCertificates(): Record<string, IssuedCertificate> {
        return registeredOf(this).issuedCertificates;
    }

    /**
     * @param name The _unique_ name of this component.
     * @param args The hosts and every setting; validated before any child is registered.
     * @param opts A bag of options that control this component's behavior (pass the Kubernetes provider here).
     */
    constructor(name: string, args: SecureIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad args throw here, before this component or any child is registered.
        const { config: c, resolved, ready } = checkArgs(args);
        super("secure-ingress:index:SecureIngress", name, {}, opts);
        // Filled in below; complete when the constructor returns, which is when the accessors can first be read.
        const r: Partial<Registered> = {};
        registeredBy.set(this, r as Registered);
        // Rendering deletes a file by name on replace; create-before-delete would delete the new file.
        // Leaves that were not known yet are checked before any object is applied.
        const childOpts: pulumi.CustomResourceOptions = { parent: this, deleteBeforeReplace: true, ...(ready ? { dependsOn: ready } : {}) };
        const componentOpts: pulumi.ComponentResourceOptions = { parent: this, ...(ready ? { dependsOn: ready } : {}) };

        const pki = new IngressPki(
            `${name}-pki`,
            { pki: c.pki, hosts: c.hosts, provided: c.certificates, sharedCaName: name },
            componentOpts,
        );
        r.certificateAuthorities = {};
        r.hostCertificates = {};
        for (const m of pki.hosts.values()) {
            if (m.ca) {
                r.certificateAuthorities[m.host.host] = m.ca;
            }
            if (m.certificates) {
                r.hostCertificates[m.host.host] = m.certificates;
            }
        }

        const plans = secretPlans(c, pki.hosts);
        r.secrets = {};
        for (const p of plans) {
            if (p.object) {
                r.secrets[p.name] = registerObject(p.object, childOpts);
            }
        }
        this.secretNames = plans.map((p) => p.name);
        const cm = registerCertManager(c, pki.hosts, childOpts, ready);
        r.certManagerCertificates = cm.certificates;
        r.issuers = cm.issuers;
        r.issuerSecrets = cm.issuerSecrets;
        r.issuedCertificates = cm.issued;

        const mounts: SecretMount[] = plans.flatMap((p) => (p.mount ? [{ secretName: p.name, ...p.mount }] : []));
        const checksum = mounts.length > 0 ? certificatesChecksum(pki.hosts) : undefined;
        // The gateway's pods mount or read what the Secrets and the Certificates (through cert-manager) provide.
        const secretResources = [...Object.values(r.secrets), ...Object.values(r.certManagerCertificates)];
        const workloadOpts = { ...childOpts, dependsOn: ready ? ready.apply(() => secretResources) : secretResources };
        let endpoint: pulumi.Output<IngressEndpoint | undefined> = pulumi.output(undefined);
        // The Gateway API target's workload is Istio's to deploy (or an existing Service): nothing of ours.
        const istioTarget = c.target === "istio";
        if (istioTarget && c.gateway.workload === "managed") {
            const rbac = secretReaderRbac(c, this.secretNames);
            r.serviceAccount = registerObject(serviceAccount(c), workloadOpts);
            r.role = registerObject(rbac.role, workloadOpts);
            r.roleBinding = registerObject(rbac.roleBinding, workloadOpts);
            r.deployment = registerObject(managedDeployment(c, mounts, checksum), workloadOpts);
            r.service = registerObject(gatewayService(c), workloadOpts);
            endpoint = serviceEndpoint(c, r.service);
        } else if (istioTarget && c.gateway.workload === "patch" && mounts.length > 0) {
            r.deploymentPatch = registerDeploymentPatch(deploymentPatch(c, mounts, checksum), workloadOpts);
        }

        const api = istioTarget ? undefined : registerGatewayApi(c, pki.hosts, childOpts);
        r.httpRoutes = api?.httpRoutes ?? {};
        r.redirectRoute = api?.redirectRoute;
        r.referenceGrants = api?.referenceGrants ?? {};
        r.clientCaConfigMap = api?.clientCaConfigMap;
        endpoint = api?.endpoint ?? endpoint;
        r.gateway = api?.gateway ?? registerObject(gatewayObject(c), childOpts);
        r.virtualServices = {};
        for (const host of istioTarget ? c.hosts : []) {
            r.virtualServices[host.host] = registerObject(virtualServiceObject(c, host), childOpts);
        }

        let keySource: JwtKeySource = { jwksUri: c.jwt.jwksUri, jwks: c.jwt.jwks };
        if (c.jwt.enabled && c.jwt.selfIssued.enabled) {
            r.jwtIssuer = new SelfIssuer(
                `${name}-jwt-issuer`,
                {
                    issuer: c.jwt.issuer ?? "",
                    subject: c.jwt.selfIssued.subject,
                    audiences: c.jwt.audiences,
                    algorithm: c.jwt.selfIssued.algorithm,
                    tokenLifetimeHours: c.jwt.selfIssued.tokenLifetimeHours,
                },
                componentOpts,
            );
            keySource = { jwks: r.jwtIssuer.jwks };
            this.jwks = r.jwtIssuer.jwks;
            this.jwtToken = r.jwtIssuer.token;
        }
        for (const o of jwtObjects(c, keySource)) {
            const registered = registerObject(o, childOpts);
            if (o.kind === "Policy") {
                r.jwtPolicy = registered;
            } else if (o.kind === "RequestAuthentication") {
                r.requestAuthentication = registered;
            } else {
                r.authorizationPolicy = registered;
            }
        }
        r.backends = {};
        for (const [backend, objects] of Object.entries(backendObjects(c.backends, c.skipAwait))) {
            r.backends[backend] = {
                deployment: registerObject(objects.deployment, childOpts),
                service: registerObject(objects.service, childOpts),
            };
        }

        const plain = commandView(resolved);
        this.certificates = publicCertificates(pki.hosts);
        this.privateKeys = pulumi.secret(privateKeyOutputs(pki.hosts));
        this.testCommands = pulumi.all([plain, endpoint]).apply(([p, ep]) => testCommands(p, ep));
        this.environment = pulumi.all([plain, endpoint]).apply(([p, ep]) => environmentCommands(p, ep));
        this.troubleshooting = plain.apply(troubleshootingCommands);
        this.registerOutputs({
            certificates: this.certificates,
            privateKeys: this.privateKeys,
            secretNames: this.secretNames,
            issuedCertificates: r.issuedCertificates,
            testCommands: this.testCommands,
            environment: this.environment,
            troubleshooting: this.troubleshooting,
            jwks: this.jwks,
            jwtToken: this.jwtToken,
        });
    }
}

/**
 * What the printed commands read, once every leaf is known. The commands never contain key material or the JWKS,
 * so the view drops them and is not secret even when a provided key was.
 */
function commandView(resolved: pulumi.Output<SecureIngressConfig>): pulumi.Output<SecureIngressConfig> {
    return pulumi.unsecret(resolved.apply((r): SecureIngressConfig => ({ ...r, certificates: {}, jwt: { ...r.jwt, jwks: undefined } })));
}

/** Certificates only (never keys): a new certificate or chain rolls the pods. cert-manager's renewals do not need to. */
function certificatesChecksum(hosts: Map<string, HostMaterial>): pulumi.Output<string> {
    const pems = [...hosts.values()].flatMap((m) => [m.serverChainPem, m.caChainPem].filter((p) => p !== undefined));
    return pulumi.all(pems).apply(certsChecksum);
}

/** The managed LoadBalancer's address, once the cluster has assigned one (a rendered Service has no status). */
function serviceEndpoint(
    c: Pick<IngressConfig, "gateway" | "skipAwait">,
    service: k8s.core.v1.Service,
): pulumi.Output<IngressEndpoint | undefined> {
    if (c.gateway.serviceType !== "LoadBalancer" || c.skipAwait) {
        return pulumi.output(undefined);
    }
    return service.status.apply((s) => {
        const ingress = s?.loadBalancer?.ingress?.[0];
        const address = ingress?.ip ?? ingress?.hostname;
        return address ? { host: address, httpPort: c.gateway.http.port, httpsPort: c.gateway.httpsPort } : undefined;
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
