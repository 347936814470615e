// Secure ingress as one part of a larger program: the program owns the Kubernetes provider and its own resources,
// and composes two SecureIngress gateways from the secure-ingress package.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as tls from "@pulumi/tls";
import { SecureIngress, TlsMode } from "secure-ingress";

const config = new pulumi.Config();
const kubeconfig = config.get("kubeconfig");
// Without a cluster the manifests are written to rendered/, so the example also runs on a laptop with no cluster.
const provider = new k8s.Provider(
    "k8s",
    kubeconfig
        ? { kubeconfig, enableSecretMutable: true }
        : { renderYamlToDirectory: "rendered", kubeconfig: "", enableSecretMutable: true },
);
// A control plane with no nodes never makes pods ready.
const skipAwait = config.getBoolean("skipAwait") ?? false;

const route = { match: [{ prefix: "/" }], destination: { host: "httpbin.default.svc.cluster.local", port: 8000 } };

// The partner host's certificate comes from this program's own resources: its PEMs reach the component as Outputs.
const partnerKey = new tls.PrivateKey("partner-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
const partnerCert = new tls.SelfSignedCert("partner-cert", {
    privateKeyPem: partnerKey.privateKeyPem,
    subject: { commonName: "partner.example.com", organization: "Example Partner" },
    dnsNames: ["partner.example.com"],
    validityPeriodHours: 24 * 30,
    allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
});

// Generated certificates, mutual TLS, and a managed gateway workload of its own.
const edge = new SecureIngress(
    "edge",
    {
        hosts: [{ name: "app", host: "app.example.com", tls: TlsMode.Mutual, routes: [route] }],
        gateway: {
            name: "edge",
            namespace: "edge",
            workloadNamespace: "edge",
            workloadName: "edge-gateway",
            selector: { istio: "edge-gateway" },
            workload: "managed",
            secretDelivery: "sds",
            serviceType: "ClusterIP",
        },
        skipAwait,
    },
    { provider },
);

// A provided certificate, served by a second gateway in another namespace.
const partner = new SecureIngress(
    "partner",
    {
        hosts: [{ name: "partner", host: "partner.example.com", certificate: "provided", routes: [route] }],
        certificates: { partner: { certPem: partnerCert.certPem, keyPem: partnerKey.privateKeyPem } },
        gateway: {
            name: "partner",
            namespace: "partner",
            workloadNamespace: "partner",
            workloadName: "partner-gateway",
            selector: { istio: "partner-gateway" },
            workload: "managed",
            secretDelivery: "sds",
            serviceType: "ClusterIP",
        },
        skipAwait,
    },
    { provider },
);

// The program's own object, created only once both Gateways exist.
const directory = new k8s.core.v1.ConfigMap(
    "gateways",
    {
        metadata: { name: "gateways", namespace: "edge" },
        data: { edge: "edge/edge", partner: "partner/partner" },
    },
    { provider, dependsOn: [edge.gateway, partner.gateway] },
);

export const directoryName = directory.metadata.name;
export const edgeSecrets = edge.secretNames;
export const partnerSecrets = partner.secretNames;
export const partnerCertPem = partnerCert.certPem;
export const edgeTestCommands = edge.testCommands;
