// The legacy stack must emit the task's own objects: compared field by field with the task's YAML.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../../components/config/parse";
import { gatewayObject } from "../../components/gateway/spec";
import { virtualServiceObject } from "../../components/routes/spec";
import { jwtObjects } from "../../components/jwt/specs";
import { secretPlans, SecretMaterial } from "../../components/secrets/specs";
import { deploymentPatch } from "../../components/workload/specs";
import { stackConfig } from "../../commands/offline/stacks";

const task = (file: string) => parseYaml(fs.readFileSync(path.join(__dirname, "..", "fixtures", "task", file), "utf8"));
const config = parseConfig(stackConfig("legacy"));
const material = new Map<string, SecretMaterial>(
    config.hosts.map((h) => [h.name, { serverChainPem: `${h.name}-chain`, serverKeyPem: `${h.name}-key`, caChainPem: `${h.name}-ca` }]),
);

/** The fields the task writes; metadata reduced to name and namespace (the task's default namespace made explicit). */
function comparable(o: any) {
    return {
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace ?? "default" },
        spec: o.spec,
    };
}

describe("legacy stack (the task for Istio 1.0)", () => {
    it("emits the task's Gateway: httpbin MUTUAL with the task's paths, bookinfo SIMPLE, unique port names, on 443 by SNI", () => {
        const mutual = task("gateway-mutual.yaml");
        const multi = task("gateway-multihost.yaml");
        const expected = comparable(multi);
        // The task's final state: its mutual-TLS httpbin server under the multi-host section's port name.
        expected.spec.servers[0].tls = mutual.spec.servers[0].tls;
        const actual = comparable(gatewayObject(config));
        const https = (actual.spec as any).servers.filter((s: any) => s.port.protocol === "HTTPS");
        assert.deepStrictEqual({ ...actual, spec: { ...(actual.spec as any), servers: https } }, expected);
    });

    it("adds the plain-HTTP server the task's JWT section calls, for every host, without redirect", () => {
        const http = (gatewayObject(config).spec as any).servers.filter((s: any) => s.port.protocol === "HTTP");
        assert.deepStrictEqual(http, [
            { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["httpbin.example.com", "bookinfo.com"] },
        ]);
    });

    it("emits the task's VirtualServices", () => {
        assert.deepStrictEqual(comparable(virtualServiceObject(config, config.hosts[0])), comparable(task("virtualservice-httpbin.yaml")));
        assert.deepStrictEqual(comparable(virtualServiceObject(config, config.hosts[1])), comparable(task("virtualservice-bookinfo.yaml")));
    });

    it("emits the task's v1alpha1 JWT Policy", () => {
        const objects = jwtObjects(config, { jwksUri: config.jwt.jwksUri });
        assert.strictEqual(objects.length, 1);
        const expected = task("policy.yaml");
        assert.deepStrictEqual(comparable(objects[0]), {
            ...expected,
            metadata: { name: expected.metadata.name, namespace: expected.metadata.namespace },
        });
    });

    it("creates the task's secrets with the task's names, namespaces, types and keys", () => {
        const actual = secretPlans(config, material).map((p) => ({
            name: p.object!.metadata.name,
            namespace: p.object!.metadata.namespace,
            type: p.object!.type,
            keys: Object.keys(p.object!.stringData),
        }));
        assert.deepStrictEqual(
            actual.sort((a, b) => a.name.localeCompare(b.name)),
            (task("secrets.yaml") as any[]).sort((a, b) => a.name.localeCompare(b.name)),
        );
    });

    it("puts each host's material in its own secret: the CA chain under the task's file name", () => {
        const plans = secretPlans(config, material);
        const ca = plans.find((p) => p.object!.metadata.name === "istio-ingressgateway-ca-certs")!;
        assert.deepStrictEqual(ca.object!.stringData, { "ca-chain.cert.pem": "httpbin-ca" });
        const bookinfo = plans.find((p) => p.object!.metadata.name === "istio-ingressgateway-bookinfo-certs")!;
        assert.deepStrictEqual(bookinfo.object!.stringData, { "tls.crt": "bookinfo-chain", "tls.key": "bookinfo-key" });
    });

    it("patches istio-ingressgateway with exactly the task's secretVolumes", () => {
        const plans = secretPlans(config, material);
        const mounts = plans.map((p) => ({ secretName: p.object!.metadata.name, ...p.mount! }));
        const patch = deploymentPatch({ gateway: config.gateway, skipAwait: config.kubernetes.skipAwait }, mounts, "checksum") as any;
        assert.strictEqual(patch.metadata.name, "istio-ingressgateway");
        assert.strictEqual(patch.metadata.namespace, "istio-system");
        const pod = patch.spec.template.spec;
        const volumes = pod.volumes.map((v: any) => ({ name: v.name, secretName: v.secret.secretName }));
        const mountsOut = pod.containers[0].volumeMounts.map((m: any) => ({ name: m.name, mountPath: m.mountPath }));
        const expected = task("secret-volumes.yaml") as any[];
        const byName = (a: any, b: any) => a.name.localeCompare(b.name);
        assert.deepStrictEqual(volumes.sort(byName), expected.map((v) => ({ name: v.name, secretName: v.secretName })).sort(byName));
        assert.deepStrictEqual(mountsOut.sort(byName), expected.map((v) => ({ name: v.name, mountPath: v.mountPath })).sort(byName));
        assert.strictEqual(pod.containers[0].name, "istio-proxy");
        assert.strictEqual(patch.spec.template.metadata.annotations["secure-ingress.dev/certs-checksum"], "checksum");
    });
});
