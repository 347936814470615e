// Manifests to resources (components/kubernetes/): API groups per Istio level, the logical names, and the
// resource class (Pulumi type token) each kind is registered as, under Pulumi mocks.
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { awaitAnnotations, istioApiVersions, istioMeta } from "../../components/kubernetes/objects";
import { registerDeploymentPatch, registerObject } from "../../components/kubernetes/register";
import { logicalName } from "../../components/naming";
import { captureResources, unwrap } from "../support/harness";

describe("kubernetes objects and registration", () => {
    it("Istio API groups: the task's v1alpha3 and v1alpha1 Policy for Istio 1.0, the v1 APIs today", () => {
        assert.deepStrictEqual(istioApiVersions("istio-1.0"), {
            networking: "networking.istio.io/v1alpha3",
            security: undefined,
            authentication: "authentication.istio.io/v1alpha1",
        });
        assert.deepStrictEqual(istioApiVersions("current"), {
            networking: "networking.istio.io/v1",
            security: "security.istio.io/v1",
            authentication: undefined,
        });
        assert.deepStrictEqual(istioMeta("1.26", "gw", "default").annotations, { "secure-ingress.dev/istio-version": "1.26" });
        assert.deepStrictEqual(awaitAnnotations(false), {});
    });

    it("logical names are kind-namespace-name, so two objects of a kind differ by namespace", () => {
        assert.strictEqual(logicalName({ kind: "Secret", metadata: { name: "a", namespace: "istio-system" } }), "secret-istio-system-a");
        assert.strictEqual(logicalName({ kind: "Gateway", metadata: { name: "gw" } }, "-x"), "gateway-gw-x");
    });

    it("registers each kind with its typed class and Istio kinds as custom resources of their apiVersion", async () => {
        const resources = await captureResources();
        const meta = { name: "n", namespace: "ns" };
        const secret = registerObject({ apiVersion: "v1", kind: "Secret", metadata: meta, stringData: { a: "b" } }, {});
        const deployment = registerObject(
            { apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: { selector: {}, template: {} } },
            {},
        );
        const gateway = registerObject(
            { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: meta, spec: { selector: { istio: "x" } } },
            {},
        );
        const patch = registerDeploymentPatch({ apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: {} }, {});
        assert.ok(secret instanceof k8s.core.v1.Secret && deployment instanceof k8s.apps.v1.Deployment);
        assert.ok(gateway instanceof k8s.apiextensions.CustomResource && patch instanceof k8s.apps.v1.DeploymentPatch);
        await Promise.all([secret, deployment, gateway, patch].map((r) => unwrap(r.urn)));
        assert.deepStrictEqual(resources.map((r) => [r.type, r.name]).sort(), [
            ["kubernetes:apps/v1:Deployment", "deployment-ns-n"],
            ["kubernetes:apps/v1:DeploymentPatch", "deployment-ns-n-patch"],
            ["kubernetes:core/v1:Secret", "secret-ns-n"],
            ["kubernetes:networking.istio.io/v1:Gateway", "gateway-ns-n"],
        ]);
    });
});
