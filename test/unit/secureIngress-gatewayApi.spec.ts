// SecureIngress with `target: gateway-api`: the Gateway API objects registered and exposed typed, nothing of the
// Istio target's workload, and the printed commands aimed at the address the cluster wrote into the Gateway's status.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SecureIngress, Target } from "../../components";
import { captureResources, unwrap } from "../support/harness";

const route = (host: string, port: number) => ({ match: [{ prefix: "/" }], destination: { host, port } });
const args = {
    target: Target.GatewayApi,
    hosts: [
        { name: "httpbin", host: "httpbin.example.com", tls: "MUTUAL" as const, routes: [route("httpbin", 8000)] },
        { name: "shop", host: "shop.example.com", routes: [route("productpage.shop", 9080)] },
    ],
    gateway: { secretDelivery: "sds" as const, workload: "managed" as const, http: { enabled: true, httpsRedirect: true } },
};

describe("SecureIngress with target gateway-api", () => {
    it("registers and exposes the Gateway, the HTTPRoutes by host, the redirect and the ReferenceGrants, and no workload of its own", async () => {
        const resources = await captureResources("gwapi");
        const ingress = new SecureIngress("edge", args);
        assert.ok(ingress.gateway instanceof k8s.apiextensions.CustomResource);
        assert.deepStrictEqual(Object.keys(ingress.httpRoutes), ["httpbin.example.com", "shop.example.com"]);
        assert.deepStrictEqual(Object.keys(ingress.referenceGrants), ["shop"]);
        assert.ok(ingress.redirectRoute instanceof k8s.apiextensions.CustomResource);
        assert.deepStrictEqual(Object.keys(ingress.virtualServices), []);
        assert.strictEqual(ingress.deployment, undefined);
        assert.strictEqual(ingress.service, undefined);
        await unwrap(ingress.testCommands);
        await Promise.all(Object.values(ingress.secrets).map((x) => unwrap(x.urn)));
        const kinds = resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => `${r.inputs.apiVersion}/${r.inputs.kind}`);
        assert.deepStrictEqual([...new Set(kinds)].sort(), [
            "gateway.networking.k8s.io/v1/Gateway",
            "gateway.networking.k8s.io/v1/HTTPRoute",
            "gateway.networking.k8s.io/v1beta1/ReferenceGrant",
            "v1/Secret",
        ]);
        const urn = await unwrap(ingress.httpRoutes["shop.example.com"].urn);
        const shop = resources.find((r) => r.inputs.kind === "HTTPRoute" && r.inputs.metadata.name === "shop");
        assert.ok(shop && urn.endsWith(`::${shop.name}`), urn);
    });

    it("aims the test and environment commands at the Gateway's status address once the cluster assigned one", async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => ({
                    id: `${a.name}-id`,
                    state:
                        a.inputs.kind === "Gateway"
                            ? { ...a.inputs, status: { addresses: [{ type: "IPAddress", value: "203.0.113.7" }] } }
                            : a.inputs,
                }),
                call: (a) => a.inputs,
            },
            "secure-ingress",
            "gwapi-status",
            false,
        );
        const ingress = new SecureIngress("edge", { ...args, pki: { keyAlgorithm: "ECDSA-P256" } });
        const commands = await unwrap(ingress.testCommands);
        assert.ok(commands.length >= 3);
        for (const c of commands) {
            assert.match(c.command, /--resolve [a-z.]+:443:203\.0\.113\.7 /, c.command);
        }
        const env = await unwrap(ingress.environment);
        assert.ok(env.includes("export INGRESS_HOST=203.0.113.7"), env.join("\n"));
        assert.ok(env.includes("export SECURE_INGRESS_PORT=443"), env.join("\n"));
    });
});
