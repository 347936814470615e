// cert-manager hosts: config and the emitted objects against cert-manager's own CRDs (the policy rules: policy/test/cert-manager.spec.ts).
import * as assert from "assert";
import { ConfigError, parseConfig } from "../../components/config/parse";
import { caIssuerObjects, caIssuerPlans, certificateObject } from "../../components/certManager/spec";
import { certManagerValidators } from "../support/certManagerCrds";
import { runPolicies } from "../../policy/rules";
import * as k8s from "@pulumi/kubernetes";
import { createHash } from "crypto";
import { SecureIngress, TlsMode } from "../../components";
import { environmentCommands, testCommands, troubleshootingCommands } from "../../components/outputs/commands";
import { captureResources, findObject, k8sObjects, runProgram, runStack, stackConfig, StackRun, unwrap } from "../support/harness";
import { pemBlocks, publicKeyOfCert, publicKeyOfKey, Scratch, verify } from "../support/openssl";
import { issueStackCertificates } from "../support/certManagerIssuer";

const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };
const cmHost = (extra: object = {}) => ({
    name: "httpbin",
    host: "httpbin.example.com",
    routes: [route],
    certificate: "cert-manager",
    ...extra,
});
const cfg = (hosts: object[], more: Record<string, unknown> = {}) =>
    parseConfig({
        "secure-ingress:hosts": JSON.stringify(hosts),
        "secure-ingress:gateway": JSON.stringify({ secretDelivery: "sds" }),
        ...more,
    });

function problems(fn: () => unknown): Map<string, string> {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return new Map(e.problems.map((p) => [p.path, p.message]));
    }
    assert.fail("config was accepted");
}

describe("cert-manager hosts", () => {
    const validators = certManagerValidators();

    it("emits a Certificate for the credential Secret with the PKI's defaults, valid against cert-manager's CRD", () => {
        const c = cfg([cmHost()], {
            "secure-ingress:pki": JSON.stringify({ issuer: "cert-manager", caMode: "shared", keyAlgorithm: "RSA-3072" }),
        });
        const cert = certificateObject({ ...c, skipAwait: false }, c.hosts[0]);
        assert.strictEqual(cert.metadata.namespace, "istio-system");
        // pulumi up waits for cert-manager to issue it (the provider's generic await), unless told not to.
        assert.deepStrictEqual(cert.metadata.annotations, { "pulumi.com/waitFor": "condition=Ready" });
        assert.strictEqual(certificateObject({ ...c, skipAwait: true }, c.hosts[0]).metadata.annotations, undefined);
        assert.strictEqual(cert.spec.secretName, "httpbin-credential");
        assert.deepStrictEqual(cert.spec.dnsNames, ["httpbin.example.com"]);
        assert.strictEqual(cert.spec.duration, "8760h");
        assert.strictEqual(cert.spec.renewBefore, "720h");
        assert.deepStrictEqual(cert.spec.privateKey, { algorithm: "RSA", size: 3072, rotationPolicy: "Always" });
        assert.deepStrictEqual(cert.spec.issuerRef, { name: "secure-ingress-ca", kind: "Issuer", group: "cert-manager.io" });
        validators.get("cert-manager.io/v1/Certificate")!(cert);
        const [plan] = caIssuerPlans(c);
        const [secret, issuer] = caIssuerObjects(c, plan, { intermediateCertPem: "I", intermediateKeyPem: "K", rootCertPem: "R" });
        assert.deepStrictEqual((secret as any).stringData, { "tls.crt": "I", "tls.key": "K", "ca.crt": "R" });
        validators.get("cert-manager.io/v1/Issuer")!(issuer);
    });

    it("has a CRD validator that refuses a misspelt field and a wrong enum", () => {
        const c = cfg([cmHost({ certManager: { issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } } })]);
        const cert: any = certificateObject({ ...c, skipAwait: false }, c.hosts[0]);
        assert.deepStrictEqual(cert.spec.issuerRef, { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" });
        const validate = validators.get("cert-manager.io/v1/Certificate")!;
        assert.throws(() => validate({ ...cert, spec: { ...cert.spec, dnsName: ["x"] } }), /additional properties/);
        assert.throws(() => validate({ ...cert, spec: { ...cert.spec, privateKey: { algorithm: "DSA" } } }), /allowed values/);
    });

    it("refuses bad settings by path, before anything is registered", () => {
        const p = problems(() => cfg([cmHost({ certManager: { duration: "30m", renewBefore: "1m" } })]));
        assert.match(p.get("secure-ingress:hosts[0].certManager.issuerRef")!, /pki.issuer: cert-manager/);
        assert.match(p.get("secure-ingress:hosts[0].certManager.duration")!, /minimum of 1h/);
        assert.match(p.get("secure-ingress:hosts[0].certManager.renewBefore")!, /minimum of 5m/);
        const legacy = problems(() =>
            parseConfig({
                "secure-ingress:apiLevel": "istio-1.0",
                "secure-ingress:hosts": JSON.stringify([cmHost({ certManager: { issuerRef: { name: "x" } } })]),
            }),
        );
        assert.match(legacy.get("secure-ingress:apiLevel")!, /sds/);
    });
});

/** One program run of the shipped stack for every test here; a test that adds objects works on a copy. */
let shippedRun: Promise<StackRun> | undefined;
const certManagerStack = async (): Promise<StackRun> => {
    shippedRun ??= runStack("cert-manager");
    const run = await shippedRun;
    return { ...run, resources: [...run.resources] };
};

describe("cert-manager hosts in SecureIngress (under mocks)", function () {
    this.timeout(30_000);
    const scratch = new Scratch();
    after(() => scratch.dispose());
    const objects = (run: StackRun) => k8sObjects(run).map((r) => r.inputs);

    it("cert-manager stack: Certificates for the Gateway's credentials, no @pulumi/tls server leaf, the intermediate as a CA Issuer", async () => {
        const run = await certManagerStack();
        const gw = findObject(run, "Gateway", "mygateway", "default");
        const creds = gw.spec.servers.filter((s: any) => s.port.protocol === "HTTPS").map((s: any) => [s.hosts[0], s.tls.credentialName]);
        assert.deepStrictEqual(creds, [
            ["httpbin.example.com", "httpbin-credential"],
            ["bookinfo.com", "bookinfo-credential"],
        ]);
        for (const [host, credential] of creds) {
            const cert = findObject(run, "Certificate", credential, "istio-system");
            assert.strictEqual(cert.spec.secretName, credential);
            assert.deepStrictEqual(cert.spec.dnsNames, [host]);
            assert.ok(cert.spec.usages.includes("server auth"));
            assert.deepStrictEqual(cert.spec.privateKey, { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" });
            assert.deepStrictEqual(cert.spec.issuerRef, { name: "secure-ingress-ca", kind: "Issuer", group: "cert-manager.io" });
            // cert-manager writes the credential; the stack must not also own it
            assert.ok(!objects(run).some((o) => o.kind === "Secret" && o.metadata.name === credential), credential);
        }
        assert.strictEqual(findObject(run, "Certificate", "httpbin-credential").spec.duration, "720h");
        assert.strictEqual(findObject(run, "Certificate", "bookinfo-credential").spec.duration, "8760h");
        const leaves = run.resources.filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert").map((r) => r.name);
        assert.deepStrictEqual(leaves.sort(), ["secure-ingress-pki-httpbin-client", "secure-ingress-pki-shared-ca-intermediate"]);

        const issuer = findObject(run, "Issuer", "secure-ingress-ca", "istio-system");
        const keyPair = findObject(run, "Secret", issuer.spec.ca.secretName, "istio-system");
        const pems = run.outputs.certificates["httpbin.example.com"];
        assert.strictEqual(keyPair.stringData["tls.crt"], pems.intermediateCert);
        assert.strictEqual(keyPair.stringData["ca.crt"], pems.rootCert);
        assert.strictEqual(publicKeyOfKey(scratch, keyPair.stringData["tls.key"]), publicKeyOfCert(scratch, pems.intermediateCert));
        assert.strictEqual(run.outputs.certificates["bookinfo.com"].rootCert, pems.rootCert, "caMode shared: one root");
        assert.strictEqual(run.outputs.certificates["bookinfo.com"].serverCert, undefined);
        assert.ok(!("serverKey" in (run.outputs.privateKeys["bookinfo.com"] ?? {})));
        assert.ok(run.secretOutputs.has("privateKeys"));

        // A certificate signed by that key pair, as the CA issuer signs, verifies against the stack's root alone.
        const issued = issueStackCertificates(scratch, run);
        for (const [host] of creds) {
            const [leaf, ...chain] = pemBlocks(issued.get(host)!.stringData["tls.crt"]);
            const r = verify(scratch, { leaf, untrusted: chain.join(""), root: pems.rootCert, purpose: "sslserver", hostname: host });
            assert.strictEqual(r.status, 0, r.stderr);
        }
    });

    it("Gateway API target: each listener's certificateRefs names the Secret its host's Certificate writes", async () => {
        const raw = { ...stackConfig("cert-manager"), "secure-ingress:target": "gateway-api", "secure-ingress:istioVersion": "1.26" };
        const run = await runProgram(parseConfig(raw), "cm-gateway-api");
        const gw = objects(run).find((o) => o.kind === "Gateway" && o.apiVersion.startsWith("gateway.networking.k8s.io/"));
        assert.ok(gw, "a Gateway API Gateway");
        const refs = gw.spec.listeners
            .filter((l: any) => l.protocol === "HTTPS")
            .map((l: any) => [l.hostname, l.tls.certificateRefs.map((r: any) => r.name)]);
        assert.deepStrictEqual(refs, [
            ["httpbin.example.com", ["httpbin-credential"]],
            ["bookinfo.com", ["bookinfo-credential"]],
        ]);
        for (const [host, [secretName]] of refs) {
            const cert = findObject(run, "Certificate", secretName, gw.metadata.namespace);
            assert.strictEqual(cert.spec.secretName, secretName);
            assert.deepStrictEqual(cert.spec.dnsNames, [host]);
            certManagerValidators().get("cert-manager.io/v1/Certificate")!(cert);
            assert.ok(!objects(run).some((o) => o.kind === "Secret" && o.metadata.name === secretName), "cert-manager writes it");
        }
    });

    it("mutual: the client CA goes to <credential>-cacert (key cacert) and verifies the stack's client certificate", async () => {
        const run = await certManagerStack();
        const cacert = findObject(run, "Secret", "httpbin-credential-cacert", "istio-system");
        assert.deepStrictEqual(Object.keys(cacert.stringData), ["cacert"]);
        const pems = run.outputs.certificates["httpbin.example.com"];
        assert.strictEqual(cacert.stringData.cacert, pems.caChain);
        const [intermediate, root] = pemBlocks(cacert.stringData.cacert);
        const r = verify(scratch, { leaf: pems.clientCert, untrusted: intermediate, root, purpose: "sslclient" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.ok(!objects(run).some((o) => o.metadata?.name === "bookinfo-credential-cacert"), "SIMPLE hosts need no client CA");
        const role = findObject(run, "Role", "istio-ingressgateway-secret-reader", "istio-system");
        assert.deepStrictEqual(role.rules[0].verbs, ["get", "watch", "list"]);
    });

    it("exposes the Certificates, Issuers and issuer Secrets as typed resources, and where each certificate lands", async () => {
        const resources = await captureResources("lib");
        const ingress = new SecureIngress("edge", {
            hosts: [
                { name: "httpbin", host: "httpbin.example.com", tls: TlsMode.Mutual, certificate: "cert-manager", routes: [route] },
                {
                    name: "acme",
                    host: "acme.example.com",
                    certificate: "cert-manager",
                    certManager: { issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } },
                    routes: [route],
                },
            ],
            gateway: { secretDelivery: "sds", workload: "none" },
            pki: { issuer: "cert-manager" },
        });
        assert.ok(ingress.certManagerCertificates["httpbin.example.com"] instanceof k8s.apiextensions.CustomResource);
        assert.ok(ingress.certManagerCertificates["acme.example.com"] instanceof k8s.apiextensions.CustomResource);
        assert.ok(ingress.issuers["secure-ingress-httpbin-ca"] instanceof k8s.apiextensions.CustomResource);
        assert.ok(ingress.issuerSecrets["secure-ingress-httpbin-ca"] instanceof k8s.core.v1.Secret);
        assert.deepStrictEqual(Object.keys(ingress.issuers), ["secure-ingress-httpbin-ca"], "the ClusterIssuer is not the stack's");
        assert.deepStrictEqual(ingress.issuedCertificates["acme.example.com"], {
            namespace: "istio-system",
            certificate: "acme-credential",
            secretName: "acme-credential",
            issuerRef: { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" },
            ownCa: false,
        });
        assert.strictEqual(ingress.issuedCertificates["httpbin.example.com"].ownCa, true);
        assert.deepStrictEqual(ingress.secretNames, ["httpbin-credential", "httpbin-credential-cacert", "acme-credential"]);
        await unwrap(ingress.certificates);
        // A SIMPLE host with an outside issuer needs no CA of the stack: no tls resource names it.
        assert.ok(!resources.some((r) => r.type.startsWith("tls:") && r.name.includes("acme")));
        const certs = await unwrap(ingress.certificates);
        assert.deepStrictEqual(certs["acme.example.com"], {});
    });

    it("mounted delivery: the gateway mounts the Secret cert-manager writes, under the task's name, and no checksum tracks it", async () => {
        const raw = {
            ...stackConfig("dev"),
            "secure-ingress:pki": { caMode: "per-host", issuer: "cert-manager" },
        } as Record<string, any>;
        raw["secure-ingress:hosts"] = raw["secure-ingress:hosts"].map((h: any) => ({ ...h, certificate: "cert-manager" }));
        const run = await runProgram(parseConfig(raw), "cm-mounted");
        const names = ["istio-ingressgateway-certs", "istio-ingressgateway-bookinfo-certs"];
        for (const n of names) {
            assert.strictEqual(findObject(run, "Certificate", n, "istio-system").spec.secretName, n);
            assert.ok(!objects(run).some((o) => o.kind === "Secret" && o.metadata.name === n), n);
        }
        const deployment = findObject(run, "Deployment", "istio-ingressgateway", "istio-system");
        const volumes = deployment.spec.template.spec.volumes.map((v: any) => v.secret.secretName);
        assert.deepStrictEqual(volumes, [...names, "istio-ingressgateway-ca-certs"]);
        const ca = findObject(run, "Secret", "istio-ingressgateway-ca-certs", "istio-system");
        const caChain = run.outputs.certificates["httpbin.example.com"].caChain;
        assert.strictEqual(ca.stringData["ca-chain.cert.pem"], caChain);
        // Only the CA chains roll the pods: the gateway reloads cert-manager's renewals from the mounted files.
        const checksum = deployment.spec.template.metadata.annotations["secure-ingress.dev/certs-checksum"];
        const h = createHash("sha256");
        for (const host of ["httpbin.example.com", "bookinfo.com"]) {
            h.update(run.outputs.certificates[host].caChain).update("\0");
        }
        assert.strictEqual(checksum, h.digest("hex"));
        const role = findObject(run, "Role", "istio-ingressgateway-secret-reader", "istio-system");
        assert.deepStrictEqual(role.rules[0].resourceNames, [...names, "istio-ingressgateway-ca-certs"]);
        assert.deepStrictEqual(
            objects(run)
                .filter((o) => o.kind === "Issuer")
                .map((o) => o.metadata.name)
                .sort(),
            ["secure-ingress-bookinfo-ca", "secure-ingress-httpbin-ca"],
        );
        assert.deepStrictEqual(runPolicies(run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }))), []);
    });

    it("printed commands: --cacert is the issuing root for the stack's CA, the Secret's ca.crt for an outside issuer", () => {
        const c = cfg(
            [
                cmHost(),
                cmHost({
                    name: "acme",
                    host: "acme.example.com",
                    certManager: { issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } },
                }),
            ],
            { "secure-ingress:pki": JSON.stringify({ issuer: "cert-manager" }) },
        );
        const [own, external] = testCommands(c);
        assert.match(own.command, / --cacert httpbin\.example\.com\/1_root\/certs\/ca\.cert\.pem /);
        assert.match(external.command, / --cacert acme\.example\.com\/3_application\/certs\/issuer-ca\.cert\.pem /);
        assert.match(external.description, /npm run certs -- --from-cluster/);
        assert.ok(environmentCommands(c).some((l) => l.startsWith("npm run certs -- --from-cluster")));
        assert.ok(
            !environmentCommands(cfg([cmHost()], { "secure-ingress:pki": JSON.stringify({ issuer: "cert-manager" }) })).some((l) =>
                l.includes("--from-cluster"),
            ),
        );
        assert.ok(troubleshootingCommands(c).includes("kubectl -n istio-system describe certificate acme-credential"));
    });
});

describe("policy pack over the cert-manager stack", function () {
    this.timeout(30_000);
    const asPolicy = (run: StackRun) => run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));

    it("a credential only a Certificate provides passes; without the Certificate, or without -cacert, it is refused", async () => {
        const run = await certManagerStack();
        assert.deepStrictEqual(runPolicies(asPolicy(run)), []);
        const without = (pred: (o: any) => boolean) =>
            runPolicies(asPolicy(run).filter((r) => !pred(r.props)))
                .filter((v) => v.enforcementLevel === "mandatory")
                .map((v) => `${v.policy}: ${v.message}`);
        const noCert = without((o) => o.kind === "Certificate" && o.metadata.name === "bookinfo-credential");
        assert.strictEqual(noCert.length, 1, noCert.join("\n"));
        assert.match(noCert[0], /^istio-gateway-secret-location: .*referenced credentialName not found: "bookinfo-credential"/);
        const noCaCert = without((o) => o.kind === "Secret" && o.metadata.name === "httpbin-credential-cacert");
        assert.strictEqual(noCaCert.length, 1, noCaCert.join("\n"));
        assert.match(noCaCert[0], /^istio-gateway-mutual-tls-ca: .*written by cert-manager Certificate httpbin-credential/);
    });
});
