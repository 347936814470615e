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

    it("an Output that resolves to a bad value fails the run with the arg-path message, each problem listed once", async () => {
        const resources = await captureResources("lib");
        // What the run reports: the SDK's handler logs each distinct unhandled error once (by identity).
        const mochaHandlers = process.listeners("unhandledRejection");
        process.removeAllListeners("unhandledRejection");
        const reported = new Set<unknown>();
        let last = Date.now();
        process.on("unhandledRejection", (e) => {
            reported.add(e);
            last = Date.now();
        });
        try {
            const ingress = new SecureIngress("edge", {
                hosts: [{ name: "partner", host: "partner.example.com", certificate: "provided", routes: [route] }],
                certificates: { partner: { certPem: pulumi.output("not a certificate"), keyPem: pulumi.secret("nor a key") } },
                jwt: {
                    enabled: true,
                    issuer: "https://issuer.example.com",
                    jwksUri: "https://issuer.example.com/jwks",
                    audiences: [pulumi.output("")],
                },
            });
            await assert.rejects((ingress.testCommands as any).promise());
            const deadline = Date.now() + 10000;
            while ((reported.size === 0 || Date.now() - last < 300) && Date.now() < deadline) {
                await new Promise((r) => setTimeout(r, 100));
            }
        } finally {
            process.removeAllListeners("unhandledRejection");
            mochaHandlers.forEach((h) => process.on("unhandledRejection", h));
        }
        assert.strictEqual(reported.size, 1, [...reported].map(String).join("\n"));
        const [error] = [...reported] as Error[];
        assert.strictEqual(error.name, "ConfigError");
        const problems = error.message.split("\n").filter((l) => l.startsWith("  - "));
        assert.deepStrictEqual(problems.map((l) => l.split(":")[0].trim()).sort(), [
            "- certificates.partner.certPem",
            "- certificates.partner.keyPem",
            "- jwt.audiences[0]",
        ]);
        assert.match(error.message, /invalid SecureIngress args \(3 problems\)/);
        assert.ok(!error.message.includes("not a certificate") && !error.message.includes("nor a key"), "no secret value in the message");
        assert.ok(!error.message.includes("secure-ingress:"), "arg paths, not stack config keys");
        // Nothing was applied: the children wait for the deferred check.
        assert.deepStrictEqual(
            resources.map((r) => r.type),
            ["secure-ingress:index:SecureIngress"],
        );
    });
});
