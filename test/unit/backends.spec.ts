// The sample backends (components/backends/specs.ts): httpbin and productpage as the task deploys them.
import * as assert from "assert";
import { backendObjects } from "../../components/backends/specs";
import { config } from "../support/configs";

describe("backends builder", () => {
    const backends = (b: object) => config(undefined, { backends: b }).backends;

    it("none unless asked for", () => {
        assert.deepStrictEqual(backendObjects(backends({}), false), {});
    });

    it("httpbin: Service port 8000 to the container's 80; productpage on 9080; both in the backends' namespace", () => {
        const o = backendObjects(backends({ httpbin: true, productpage: true, namespace: "apps" }), false);
        assert.deepStrictEqual(Object.keys(o), ["httpbin", "productpage"]);
        assert.deepStrictEqual(o.httpbin.service.spec, {
            selector: { app: "httpbin" },
            ports: [{ name: "http", port: 8000, targetPort: 80 }],
        });
        assert.deepStrictEqual((o.productpage.service.spec as any).ports, [{ name: "http", port: 9080, targetPort: 9080 }]);
        const c = (o.httpbin.deployment.spec as any).template.spec.containers[0];
        assert.deepStrictEqual([c.image, c.ports], ["docker.io/kennethreitz/httpbin", [{ containerPort: 80 }]]);
        assert.deepStrictEqual((o.httpbin.deployment.spec as any).selector, { matchLabels: { app: "httpbin" } });
        assert.deepStrictEqual(
            [o.httpbin.deployment.metadata, o.productpage.service.metadata].map((m) => [m.name, m.namespace, m.annotations]),
            [
                ["httpbin", "apps", undefined],
                ["productpage", "apps", undefined],
            ],
        );
    });

    it("skipAwait marks each object", () => {
        const o = backendObjects(backends({ httpbin: true }), true);
        assert.deepStrictEqual(o.httpbin.deployment.metadata.annotations, { "pulumi.com/skipAwait": "true" });
        assert.deepStrictEqual(o.httpbin.service.metadata.annotations, { "pulumi.com/skipAwait": "true" });
    });
});
