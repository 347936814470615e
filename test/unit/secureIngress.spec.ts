// The component as a library: args validated in the constructor by arg path before anything is registered,
// the same problems with the secure-ingress: prefix from the stack program, and typed resources exposed.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { SecureIngress, TlsMode } from "../../components";
import { parseConfig } from "../../components/config/parse";
import { captureResources, unwrap } from "../support/harness";

const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };

describe("SecureIngress as a library", () => {
    it("refuses bad args in the constructor, by arg path, before registering anything", async () => {
        const resources = await captureResources("lib");
        assert.throws(
            () => new SecureIngress("edge", { hosts: [{ name: "httpbin", host: "Httpbin.Example.com", routes: [route] }] }),
            (e: Error) => /hosts\[0\]\.host: "Httpbin\.Example\.com"/.test(e.message) && !e.message.includes("secure-ingress:hosts"),
        );
        assert.strictEqual(resources.length, 0);
    });

    it("the stack program reports the same problem with the secure-ingress: prefix", () => {
        const bad = { "secure-ingress:hosts": JSON.stringify([{ name: "httpbin", host: "Httpbin.Example.com", routes: [route] }]) };
        assert.throws(
            () => parseConfig(bad),
            (e: Error) => /secure-ingress:hosts\[0\]\.host: "Httpbin\.Example\.com"/.test(e.message),
        );
    });

    it("refuses an Output where the structure is decided", async () => {
        await captureResources("lib");
        const tls = pulumi.output("MUTUAL") as unknown as TlsMode;
        assert.throws(
            () => new SecureIngress("edge", { hosts: [{ name: "httpbin", host: "httpbin.example.com", tls, routes: [route] }] }),
            /hosts\[0\]\.tls: "\(Output\)" must be a plain value/,
        );
    });

    it("takes an Output leaf and exposes the typed resources it registered", async () => {
        const resources = await captureResources("lib");
        const ingress = new SecureIngress("edge", {
            hosts: [{ name: "httpbin", host: "httpbin.example.com", tls: TlsMode.Mutual, routes: [route] }],
            gateway: { secretDelivery: "sds", workload: "managed", selector: { istio: pulumi.output("edge") } },
        });
        assert.ok(ingress.gateway instanceof k8s.apiextensions.CustomResource);
        assert.ok(ingress.service instanceof k8s.core.v1.Service);
        assert.ok(ingress.secrets["httpbin-credential"] instanceof k8s.core.v1.Secret);
        assert.ok(ingress.hostCertificates["httpbin.example.com"].server?.cert.certPem);
        const urn = await unwrap(ingress.gateway.urn);
        const gw = resources.find((r) => r.inputs.kind === "Gateway");
        assert.ok(gw && urn.endsWith(`::${gw.name}`), urn);
        assert.deepStrictEqual(gw?.inputs.spec.selector, { istio: "edge" });
        assert.ok((await unwrap(ingress.troubleshooting)).some((line) => line.includes("istio=edge")));
    });
});
