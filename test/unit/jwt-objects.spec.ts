// The JWT object builders (components/jwt/specs.ts): RequestAuthentication and a DENY AuthorizationPolicy today,
// the task's v1alpha1 Policy for Istio 1.0.
import * as assert from "assert";
import { generateKeyPairSync } from "crypto";
import { jwtObjects, jwtProtectedHosts } from "../../components/jwt/specs";
import { config, taskHosts } from "../support/configs";

const jwks = JSON.stringify({
    keys: [{ ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), alg: "ES256" }],
});
const jwt = (more: object = {}) => ({ enabled: true, issuer: "issuer@test", jwks, ...more });

describe("jwt builders", () => {
    it("nothing when JWT is off", () => {
        assert.deepStrictEqual(jwtObjects(config(), { jwks }), []);
    });

    it("today: the gateway pods verify tokens of the issuer and deny requests without a principal", () => {
        const [ra, ap] = jwtObjects(config(taskHosts, { jwt: jwt({ audiences: ["aud"] }) }), { jwks }) as any[];
        assert.deepStrictEqual(
            [ra.apiVersion, ra.kind, ra.metadata.name, ra.metadata.namespace],
            ["security.istio.io/v1", "RequestAuthentication", "mygateway-jwt", "istio-system"],
        );
        assert.deepStrictEqual(ra.spec, {
            selector: { matchLabels: { istio: "ingressgateway" } },
            jwtRules: [{ issuer: "issuer@test", jwks, audiences: ["aud"] }],
        });
        assert.deepStrictEqual([ap.kind, ap.metadata.name], ["AuthorizationPolicy", "mygateway-require-jwt"]);
        assert.deepStrictEqual(ap.spec, {
            selector: { matchLabels: { istio: "ingressgateway" } },
            action: "DENY",
            rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }],
        });
    });

    it("a jwksUri source, and no audiences key when none are configured", () => {
        const [ra] = jwtObjects(config(taskHosts, { jwt: jwt() }), { jwksUri: "https://issuer.test/jwks" }) as any[];
        assert.deepStrictEqual(ra.spec.jwtRules, [{ issuer: "issuer@test", jwksUri: "https://issuer.test/jwks" }]);
    });

    it("jwt.hosts limits the denial to those hosts, with and without a port in the Host header", () => {
        const c = config(taskHosts, { jwt: jwt({ hosts: ["httpbin"] }) });
        assert.deepStrictEqual(jwtProtectedHosts(c), ["httpbin.example.com"]);
        const ap = jwtObjects(c, { jwks })[1] as any;
        assert.deepStrictEqual(ap.spec.rules[0].to, [{ operation: { hosts: ["httpbin.example.com", "httpbin.example.com:*"] } }]);
    });

    it("a managed gateway's redirect-only HTTP port needs no token (the 301 comes after RBAC)", () => {
        const gateway = { workload: "managed", http: { enabled: true, port: 80, httpsRedirect: true } };
        const ap = jwtObjects(config(taskHosts, { jwt: jwt(), gateway }), { jwks })[1] as any;
        assert.deepStrictEqual(ap.spec.rules[0].to, [{ operation: { notPorts: ["80"] } }]);
        const patched = jwtObjects(config(taskHosts, { jwt: jwt(), gateway: { ...gateway, workload: "patch" } }), { jwks })[1] as any;
        assert.strictEqual(patched.spec.rules[0].to, undefined);
    });

    it("Istio 1.0: the task's Policy on the gateway workload, origins with the issuer and keys", () => {
        const c = config(taskHosts, { apiLevel: "istio-1.0", istioVersion: "1.0", jwt: jwt({ audiences: ["aud"] }) });
        const objects = jwtObjects(c, { jwksUri: "https://issuer.test/jwks" }) as any[];
        assert.deepStrictEqual(
            objects.map((o) => [o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace]),
            [["authentication.istio.io/v1alpha1", "Policy", "ingressgateway", "istio-system"]],
        );
        assert.deepStrictEqual(objects[0].spec, {
            targets: [{ name: "istio-ingressgateway" }],
            origins: [{ jwt: { issuer: "issuer@test", jwksUri: "https://issuer.test/jwks", audiences: ["aud"] } }],
            principalBinding: "USE_ORIGIN",
        });
    });
});
