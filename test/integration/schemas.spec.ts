// Every object the program emits, for every shipped stack, validated against the upstream schemas.
import * as assert from "assert";
import { loadValidators, Validator } from "../support/models";
import { k8sObjects, runStack, shippedStacks, StackRun } from "../support/harness";
import { gatewayApiValidators } from "../support/gatewayApiCrds";

/** A patch is validated merged onto the Deployment it patches (the legacy chart's istio-ingressgateway). */
function patchedDeployment(patch: any): any {
    const base = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: patch.metadata.name, namespace: patch.metadata.namespace },
        spec: {
            selector: { matchLabels: { istio: "ingressgateway" } },
            template: {
                metadata: { labels: { istio: "ingressgateway" }, annotations: patch.spec.template.metadata.annotations },
                spec: {
                    containers: [
                        {
                            name: "istio-proxy",
                            image: "docker.io/istio/proxyv2:1.0.0",
                            volumeMounts: patch.spec.template.spec.containers[0].volumeMounts,
                        },
                    ],
                    volumes: patch.spec.template.spec.volumes,
                },
            },
        },
    };
    return base;
}

describe("upstream schemas", function () {
    let validators: Map<string, Validator>;
    const runs = new Map<string, StackRun>();
    before(async function () {
        validators = new Map([...(await loadValidators()), ...gatewayApiValidators("standard")]);
        for (const stack of shippedStacks().filter((s) => !s.startsWith("bad"))) {
            runs.set(stack, await runStack(stack));
        }
    });

    it("has a validator that refuses a wrong object (the check can fail)", () => {
        assert.throws(
            () =>
                validators.get("networking.istio.io/v1/Gateway")!({
                    apiVersion: "networking.istio.io/v1",
                    kind: "Gateway",
                    metadata: { name: "g" },
                    spec: {
                        servers: [{ port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["a.com"], tls: { mode: "STRICT" } }],
                    },
                }),
            /mode/,
        );
        assert.throws(
            () =>
                validators.get("authentication.istio.io/v1alpha1/Policy")!({
                    apiVersion: "authentication.istio.io/v1alpha1",
                    kind: "Policy",
                    metadata: { name: "p" },
                    spec: { principalBinding: "USE_ORIGIN", origin: [] },
                }),
            /additional properties/,
        );
    });

    for (const stack of ["dev", "gateway-api", "legacy", "sds", "cert-manager"]) {
        it(`validates every object of the ${stack} stack`, () => {
            const run = runs.get(stack)!;
            const objects = k8sObjects(run);
            assert.ok(objects.length >= 8, `${stack}: only ${objects.length} objects`);
            for (const r of objects) {
                const obj = r.type.endsWith("DeploymentPatch") ? patchedDeployment(r.inputs) : r.inputs;
                const key = `${obj.apiVersion}/${obj.kind}`;
                const validate = validators.get(key);
                assert.ok(validate, `${stack}: no schema for ${key}`);
                assert.doesNotThrow(() => validate(obj), `${stack}: ${key} ${obj.metadata?.name}`);
            }
        });
    }
});
