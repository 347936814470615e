// The workload builders (components/workload/specs.ts): the managed gateway, the patch of an existing one,
// its Service, and the secret-reader RBAC.
import * as assert from "assert";
import { createHash } from "crypto";
import {
    certsChecksum,
    deploymentPatch,
    gatewayService,
    managedDeployment,
    secretReaderRbac,
    SecretMount,
} from "../../components/workload/specs";
import { config } from "../support/configs";

const mounts: SecretMount[] = [
    { secretName: "istio-ingressgateway-certs", volumeName: "ingressgateway-certs", mountPath: "/etc/istio/ingressgateway-certs" },
    { secretName: "istio-ingressgateway-ca-certs", volumeName: "ingressgateway-ca-certs", mountPath: "/etc/istio/ingressgateway-ca-certs" },
];
const slice = (gateway: object = {}, skipAwait = false) => ({ gateway: config(undefined, { gateway }).gateway, skipAwait });

describe("workload builders", () => {
    it("certsChecksum: sha256 of each content and a NUL, so contents cannot run into each other", () => {
        const want = createHash("sha256").update("a\0bc\0").digest("hex");
        assert.strictEqual(certsChecksum(["a", "bc"]), want);
        assert.notStrictEqual(certsChecksum(["ab", "c"]), want);
        assert.notStrictEqual(certsChecksum(["bc", "a"]), want);
    });

    it("managed: Istio's gateway injection, the account, port binding, optional secret volumes read-only, the checksum", () => {
        const d = managedDeployment(slice({ workload: "managed", replicas: 2 }), mounts, "abc");
        assert.deepStrictEqual(d.metadata, {
            name: "istio-ingressgateway",
            namespace: "istio-system",
            labels: { app: "istio-ingressgateway", istio: "ingressgateway" },
        });
        assert.strictEqual((d.spec as any).replicas, 2);
        assert.deepStrictEqual((d.spec as any).selector, { matchLabels: { istio: "ingressgateway" } });
        const t = (d.spec as any).template as any;
        assert.deepStrictEqual(t.metadata.annotations, {
            "inject.istio.io/templates": "gateway",
            "secure-ingress.dev/certs-checksum": "abc",
        });
        assert.strictEqual(t.metadata.labels["sidecar.istio.io/inject"], "true");
        assert.strictEqual(t.spec.serviceAccountName, "istio-ingressgateway");
        assert.deepStrictEqual(t.spec.securityContext.sysctls, [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }]);
        assert.deepStrictEqual(t.spec.containers, [
            {
                name: "istio-proxy",
                image: "auto",
                volumeMounts: [
                    { name: "ingressgateway-certs", mountPath: "/etc/istio/ingressgateway-certs", readOnly: true },
                    { name: "ingressgateway-ca-certs", mountPath: "/etc/istio/ingressgateway-ca-certs", readOnly: true },
                ],
            },
        ]);
        assert.deepStrictEqual(t.spec.volumes, [
            { name: "ingressgateway-certs", secret: { secretName: "istio-ingressgateway-certs", optional: true } },
            { name: "ingressgateway-ca-certs", secret: { secretName: "istio-ingressgateway-ca-certs", optional: true } },
        ]);
    });

    it("managed with SDS (no mounts): no volumes, no checksum; skipAwait marks the object", () => {
        const d = managedDeployment(slice({ workload: "managed" }, true), []);
        const t = (d.spec as any).template as any;
        assert.deepStrictEqual(t.spec.containers, [{ name: "istio-proxy", image: "auto" }]);
        assert.ok(!("volumes" in t.spec));
        assert.deepStrictEqual(t.metadata.annotations, { "inject.istio.io/templates": "gateway" });
        assert.deepStrictEqual(d.metadata.annotations, { "pulumi.com/skipAwait": "true" });
    });

    it("patch: only the secret volumes, their mounts on istio-proxy and the checksum, forced server-side", () => {
        const p = deploymentPatch(slice(), mounts, "abc");
        assert.deepStrictEqual(p.metadata, {
            name: "istio-ingressgateway",
            namespace: "istio-system",
            annotations: { "pulumi.com/patchForce": "true" },
        });
        const t = (p.spec as any).template as any;
        assert.deepStrictEqual(t.metadata, { annotations: { "secure-ingress.dev/certs-checksum": "abc" } });
        assert.deepStrictEqual(
            t.spec.containers.map((c: any) => [c.name, c.volumeMounts.map((m: any) => m.mountPath)]),
            [["istio-proxy", ["/etc/istio/ingressgateway-certs", "/etc/istio/ingressgateway-ca-certs"]]],
        );
        assert.deepStrictEqual(
            t.spec.volumes.map((v: any) => v.secret.secretName),
            ["istio-ingressgateway-certs", "istio-ingressgateway-ca-certs"],
        );
    });

    it("Service: the task's http2 and https port names on the configured ports", () => {
        const s = gatewayService(slice({ httpsPort: 8443, http: { enabled: true, port: 8080 }, serviceType: "NodePort" }));
        assert.strictEqual((s.spec as any).type, "NodePort");
        assert.deepStrictEqual((s.spec as any).ports, [
            { name: "http2", port: 8080, targetPort: 8080, protocol: "TCP" },
            { name: "https", port: 8443, targetPort: 8443, protocol: "TCP" },
        ]);
    });

    it("RBAC: SDS lets the gateway's account list secrets in its namespace; mounted, read exactly the named ones", () => {
        const sds = secretReaderRbac(slice({ secretDelivery: "sds" }), ["x"]);
        assert.deepStrictEqual(sds.role.rules, [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "watch", "list"] }]);
        const mounted = secretReaderRbac(slice(), ["istio-ingressgateway-certs", "istio-ingressgateway-ca-certs"]);
        assert.deepStrictEqual(mounted.role.rules, [
            {
                apiGroups: [""],
                resources: ["secrets"],
                resourceNames: ["istio-ingressgateway-certs", "istio-ingressgateway-ca-certs"],
                verbs: ["get"],
            },
        ]);
        assert.deepStrictEqual(mounted.roleBinding.roleRef, {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Role",
            name: "istio-ingressgateway-secret-reader",
        });
        assert.deepStrictEqual(mounted.roleBinding.subjects, [
            { kind: "ServiceAccount", name: "istio-ingressgateway", namespace: "istio-system" },
        ]);
    });
});
