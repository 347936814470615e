// The whole program under Pulumi mocks, per mode and API level: which objects exist, what they hold,
// and that no key or token leaks into a plain output.
import * as assert from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../../components/config/parse";
import { findObject, k8sObjects, runProgram, runStack, StackRun } from "../support/harness";
import { stackConfig } from "../../commands/offline/stacks";

/** Every string inside a value, with its path. */
function strings(value: unknown, at = "$"): [string, string][] {
    if (typeof value === "string") {
        return [[at, value]];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
    }
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
    }
    return [];
}

function withConfig(stack: string, patch: (c: any) => void) {
    const raw = JSON.parse(JSON.stringify(stackConfig(stack)));
    patch(raw);
    return parseConfig(raw);
}

const kinds = (run: StackRun) =>
    k8sObjects(run)
        .map((r) => `${r.inputs.kind}/${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`)
        .sort();

describe("program under mocks", function () {
    let dev: StackRun;
    let sds: StackRun;
    let legacy: StackRun;
    before(async () => {
        dev = await runStack("dev");
        sds = await runStack("sds");
        legacy = await runStack("legacy");
    });

    it("dev: registers the task's objects for today's Istio with a managed, volume-mounting gateway", () => {
        assert.deepStrictEqual(kinds(dev), [
            "AuthorizationPolicy/istio-system/mygateway-require-jwt",
            "Deployment/default/httpbin",
            "Deployment/default/productpage",
            "Deployment/istio-system/istio-ingressgateway",
            "Gateway/default/mygateway",
            "RequestAuthentication/istio-system/mygateway-jwt",
            "Role/istio-system/istio-ingressgateway-secret-reader",
            "RoleBinding/istio-system/istio-ingressgateway-secret-reader",
            "Secret/istio-system/istio-ingressgateway-bookinfo-certs",
            "Secret/istio-system/istio-ingressgateway-ca-certs",
            "Secret/istio-system/istio-ingressgateway-certs",
            "Service/default/httpbin",
            "Service/default/productpage",
            "Service/istio-system/istio-ingressgateway",
            "ServiceAccount/istio-system/istio-ingressgateway",
            "VirtualService/default/bookinfo",
            "VirtualService/default/httpbin",
        ]);
        const gw = findObject(dev, "Gateway", "mygateway");
        assert.strictEqual(gw.apiVersion, "networking.istio.io/v1");
        assert.deepStrictEqual(gw.spec.servers[0].tls, {
            mode: "MUTUAL",
            serverCertificate: "/etc/istio/ingressgateway-certs/tls.crt",
            privateKey: "/etc/istio/ingressgateway-certs/tls.key",
            caCertificates: "/etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem",
            minProtocolVersion: "TLSV1_2",
        });
        const vs = findObject(dev, "VirtualService", "httpbin");
        assert.deepStrictEqual(vs.spec.gateways, ["default/mygateway"]);
    });

    it("dev: a token is required everywhere but on the port-80 server, which only redirects to HTTPS", () => {
        const authz = findObject(dev, "AuthorizationPolicy", "mygateway-require-jwt");
        assert.deepStrictEqual(authz.spec.rules, [
            { from: [{ source: { notRequestPrincipals: ["*"] } }], to: [{ operation: { notPorts: ["80"] } }] },
        ]);
        assert.deepStrictEqual(authz.spec.selector, { matchLabels: { istio: "ingressgateway" } });
    });

    it("dev: the managed Deployment uses Istio gateway injection and mounts every secret at the task's path", () => {
        const d = findObject(dev, "Deployment", "istio-ingressgateway", "istio-system");
        const pod = d.spec.template;
        assert.strictEqual(pod.metadata.annotations["inject.istio.io/templates"], "gateway");
        assert.strictEqual(pod.metadata.labels["sidecar.istio.io/inject"], "true");
        assert.strictEqual(pod.metadata.labels.istio, "ingressgateway");
        assert.strictEqual(pod.spec.containers[0].image, "auto");
        assert.strictEqual(pod.spec.serviceAccountName, "istio-ingressgateway");
        const mounts = Object.fromEntries(pod.spec.containers[0].volumeMounts.map((m: any) => [m.name, m.mountPath]));
        assert.deepStrictEqual(mounts, {
            "ingressgateway-certs": "/etc/istio/ingressgateway-certs",
            "ingressgateway-bookinfo-certs": "/etc/istio/ingressgateway-bookinfo-certs",
            "ingressgateway-ca-certs": "/etc/istio/ingressgateway-ca-certs",
        });
        assert.match(pod.metadata.annotations["secure-ingress.dev/certs-checksum"], /^[0-9a-f]{64}$/);
        const svc = findObject(dev, "Service", "istio-ingressgateway", "istio-system");
        assert.deepStrictEqual(svc.spec.ports.map((p: any) => p.port).sort(), [443, 80]);
        assert.strictEqual(svc.spec.type, "LoadBalancer");
    });

    it("dev: new certificate content rolls the gateway pods; the same content does not", async () => {
        const checksum = (run: StackRun) =>
            findObject(run, "Deployment", "istio-ingressgateway", "istio-system").spec.template.metadata.annotations[
                "secure-ingress.dev/certs-checksum"
            ];
        const again = await runStack("dev");
        assert.notStrictEqual(checksum(again), checksum(dev), "new certificates (a fresh state) must change the pod template");
        const { certsChecksum } = await import("../../components/workload/specs");
        assert.strictEqual(certsChecksum(["a", "b"]), certsChecksum(["a", "b"]));
        assert.notStrictEqual(certsChecksum(["a", "b"]), certsChecksum(["ab", ""]));
    });

    it("dev: only the gateway's account may read exactly its secrets", () => {
        const role = findObject(dev, "Role", "istio-ingressgateway-secret-reader");
        assert.deepStrictEqual(role.rules, [
            {
                apiGroups: [""],
                resources: ["secrets"],
                resourceNames: ["istio-ingressgateway-certs", "istio-ingressgateway-bookinfo-certs", "istio-ingressgateway-ca-certs"],
                verbs: ["get"],
            },
        ]);
        const binding = findObject(dev, "RoleBinding", "istio-ingressgateway-secret-reader");
        assert.deepStrictEqual(binding.subjects, [{ kind: "ServiceAccount", name: "istio-ingressgateway", namespace: "istio-system" }]);
    });

    it("dev: secrets hold real PEMs: the host's server chain, its key, and the CA chain under the task's file name", () => {
        const certs = findObject(dev, "Secret", "istio-ingressgateway-certs");
        assert.strictEqual(certs.type, "kubernetes.io/tls");
        const leaf = new X509Certificate(certs.stringData["tls.crt"]);
        assert.ok(leaf.checkHost("httpbin.example.com"));
        assert.match(certs.stringData["tls.key"], /^-----BEGIN EC PRIVATE KEY-----/);
        const ca = findObject(dev, "Secret", "istio-ingressgateway-ca-certs");
        assert.deepStrictEqual(Object.keys(ca.stringData), ["ca-chain.cert.pem"]);
        const bookinfo = new X509Certificate(findObject(dev, "Secret", "istio-ingressgateway-bookinfo-certs").stringData["tls.crt"]);
        assert.ok(bookinfo.checkHost("bookinfo.com"));
        assert.ok(!bookinfo.checkHost("httpbin.example.com"));
    });

    it("asks the tls provider for explicit P-256 keys (never its P-224 default) and one CA per host", () => {
        const keys = dev.resources.filter((r) => r.type === "tls:index/privateKey:PrivateKey" && !r.name.includes("jwt"));
        assert.strictEqual(keys.length, 2 * 4);
        for (const k of keys) {
            assert.deepStrictEqual([k.inputs.algorithm, k.inputs.ecdsaCurve], ["ECDSA", "P256"]);
        }
        const roots = dev.resources.filter((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.inputs.isCaCertificate);
        assert.deepStrictEqual(roots.map((r) => r.inputs.subject.commonName).sort(), [
            "bookinfo.com Root CA",
            "httpbin.example.com Root CA",
        ]);
        const sharedRoots = sds.resources.filter((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.inputs.isCaCertificate);
        assert.strictEqual(sharedRoots.length, 1);
    });

    it("no private key or token reaches a plain output; keys and the token are secret outputs", () => {
        for (const run of [dev, sds, legacy]) {
            assert.ok(run.secretOutputs.has("privateKeys"));
            const token: string | undefined = run.outputs.jwtToken;
            for (const [key, value] of Object.entries(run.outputs)) {
                if (run.secretOutputs.has(key)) {
                    continue;
                }
                for (const [at, s] of strings(value, key)) {
                    assert.ok(!/PRIVATE KEY/.test(s), `${at} holds a private key`);
                    if (token) {
                        assert.ok(!s.includes(token), `${at} holds the token`);
                    }
                }
            }
        }
        assert.ok(dev.secretOutputs.has("jwtToken"));
        assert.match(dev.outputs.jwtToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
        assert.match(dev.outputs.privateKeys["httpbin.example.com"].clientKey, /PRIVATE KEY/);
    });

    it("sds: one credentialName secret per host in the workload's namespace, ca.crt only for mutual TLS", () => {
        const gw = findObject(sds, "Gateway", "mygateway");
        assert.deepStrictEqual(
            gw.spec.servers.map((s: any) => s.tls?.credentialName),
            ["httpbin-credential", "bookinfo-credential", undefined],
        );
        assert.ok(gw.spec.servers.every((s: any) => s.tls?.serverCertificate === undefined));
        const httpbin = findObject(sds, "Secret", "httpbin-credential", "istio-system");
        assert.deepStrictEqual(Object.keys(httpbin.stringData).sort(), ["ca.crt", "tls.crt", "tls.key"]);
        const bookinfo = findObject(sds, "Secret", "bookinfo-credential", "istio-system");
        assert.deepStrictEqual(Object.keys(bookinfo.stringData).sort(), ["tls.crt", "tls.key"]);
        const d = findObject(sds, "Deployment", "istio-ingressgateway", "istio-system");
        assert.strictEqual(d.spec.template.spec.volumes, undefined);
        assert.strictEqual(d.spec.template.metadata.annotations["secure-ingress.dev/certs-checksum"], undefined);
        const role = findObject(sds, "Role", "istio-ingressgateway-secret-reader");
        assert.deepStrictEqual(role.rules[0].verbs, ["get", "watch", "list"]);
    });

    it("legacy: patches the existing gateway instead of owning one, and emits the v1alpha1 Policy", () => {
        const names = kinds(legacy);
        assert.ok(!names.includes("ServiceAccount/istio-system/istio-ingressgateway"));
        assert.ok(!names.some((n) => n.startsWith("RequestAuthentication")));
        assert.ok(names.includes("Policy/istio-system/ingressgateway"));
        const patch = legacy.resources.filter((r) => r.type === "kubernetes:apps/v1:DeploymentPatch");
        assert.strictEqual(patch.length, 1);
        assert.strictEqual(patch[0].inputs.metadata.annotations["pulumi.com/patchForce"], "true");
    });

    it("workload none with SDS touches no workload; a JWT limited to some hosts scopes the AuthorizationPolicy", async () => {
        const run = await runProgram(
            withConfig("sds", (c) => {
                c["secure-ingress:gateway"].workload = "none";
                c["secure-ingress:jwt"].hosts = ["bookinfo"];
            }),
        );
        const names = kinds(run);
        assert.ok(!names.some((n) => /^(Deployment|ServiceAccount|Role|RoleBinding)\/istio-system/.test(n)));
        const authz = findObject(run, "AuthorizationPolicy", "mygateway-require-jwt");
        assert.deepStrictEqual(authz.spec.rules[0].to, [{ operation: { hosts: ["bookinfo.com", "bookinfo.com:*"] } }]);
        assert.deepStrictEqual(authz.spec.rules[0].from, [{ source: { notRequestPrincipals: ["*"] } }]);
        assert.strictEqual(authz.spec.action, "DENY");
    });

    it("a provided certificate is used as given, its key kept secret", async () => {
        const server = dev.outputs.certificates["bookinfo.com"].serverCert as string;
        const key = dev.outputs.privateKeys["bookinfo.com"].serverKey as string;
        const run = await runProgram(
            withConfig("dev", (c) => {
                c["secure-ingress:hosts"][1].certificate = "provided";
                c["secure-ingress:certificates"] = { bookinfo: { certPem: server, keyPem: key } };
            }),
        );
        const secret = findObject(run, "Secret", "istio-ingressgateway-bookinfo-certs");
        assert.strictEqual(secret.stringData["tls.crt"], server);
        assert.strictEqual(
            run.resources.filter((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.inputs.isCaCertificate).length,
            1,
        );
        assert.ok(run.secretOutputs.has("privateKeys"));
        assert.ok(!JSON.stringify(run.outputs.certificates).includes("PRIVATE KEY"));
    });

    it("renders to rendered/<stack> when no cluster is configured, and applies when one is", async () => {
        assert.strictEqual(dev.outputs.renderedTo, "rendered/dev");
        const provider = dev.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        assert.strictEqual(provider.inputs.renderYamlToDirectory, "rendered/dev");
        assert.strictEqual(provider.inputs.kubeconfig, "", "an ambient $KUBECONFIG must not reach a rendering provider");
        assert.strictEqual(String(provider.inputs.enableSecretMutable), "true");
        // The config check wants the kubeconfig file to exist.
        const kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-")), "config");
        fs.writeFileSync(kubeconfig, "apiVersion: v1\n");
        const run = await runProgram(withConfig("dev", (c) => (c["secure-ingress:kubernetes"] = { kubeconfig, skipAwait: true })));
        const p = run.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        assert.strictEqual(p.inputs.renderYamlToDirectory, undefined);
        assert.strictEqual(p.inputs.kubeconfig, kubeconfig);
        // drift repair: a field kubectl took over goes back to the stack (test/e2e/faults.sh, fault 3, shows it);
        // a patch of someone else's Deployment forces nothing
        for (const r of k8sObjects(run).filter((x) => x.type !== "kubernetes:apps/v1:DeploymentPatch")) {
            assert.strictEqual(r.inputs.metadata?.annotations?.["pulumi.com/patchForce"], "true", r.name);
        }
        assert.strictEqual(findObject(run, "Service", "istio-ingressgateway").metadata.annotations["pulumi.com/skipAwait"], "true");
    });
});
