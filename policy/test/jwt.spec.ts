import * as assert from "assert";
import * as f from "./fixtures";
import * as ga from "./gatewayApiFixtures";

describe("jwt-jwks-uri-https", () => {
    const rule = "jwt-jwks-uri-https";

    it("passes https jwksUri (current API and the task's legacy Policy) and inline jwks", () => {
        const inline = f.requestAuthentication();
        (inline.props.spec as any).jwtRules = [{ issuer: "self", jwks: '{"keys":[]}' }];
        assert.deepStrictEqual(f.messages(rule, [f.requestAuthentication(), f.legacyPolicy(), inline]), []);
    });

    it("refuses http jwksUri", () => {
        const plain = "http://raw.githubusercontent.com/istio/istio/release-1.0/security/tools/jwt/samples/jwks.json";
        assert.deepStrictEqual(f.messages(rule, [f.requestAuthentication(plain), f.legacyPolicy("1.0", plain)]), [
            `RequestAuthentication istio-system/ingressgateway: jwtRules[0].jwksUri "${plain}" is not an https URL; fetch the JWKS over https (or inline it with jwks)`,
            `Policy istio-system/ingressgateway: origins[0].jwt.jwksUri "${plain}" is not an https URL; fetch the JWKS over https (or inline it with jwks)`,
        ]);
    });
});

describe("gateway-end-user-authentication", () => {
    const rule = "gateway-end-user-authentication";

    it("passes a RequestAuthentication selecting the gateway pods, a mesh-wide one, and the task's legacy Policy", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.requestAuthentication()]), []);
        const meshWide = f.requestAuthentication();
        delete (meshWide.props.spec as any).selector;
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.gatewayDeployment(), meshWide]), []);
        assert.deepStrictEqual(f.messages(rule, f.goodLegacyStack()), []);
    });

    it("reports a gateway whose workload no RequestAuthentication targets (selector for another workload)", () => {
        const other = f.requestAuthentication();
        (other.props.spec as any).selector = { matchLabels: { app: "httpbin" } };
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), other]), [
            `Gateway default/mygateway has no end-user authentication: no RequestAuthentication or authentication.istio.io Policy in the stack targets its workload (namespace "istio-system", labels istio=ingressgateway)`,
        ]);
    });
});

describe("gateway-end-user-authentication, Gateway API Gateways", () => {
    const rule = "gateway-end-user-authentication";
    const missing =
        "Gateway istio-system/mygateway has no end-user authentication: no RequestAuthentication in the stack is attached to it by targetRefs, " +
        'selects its pods (gateway.networking.k8s.io/gateway-name=mygateway) or covers namespace "istio-system"';

    it("passes the program's targetRefs attachment, a selector on Istio's gateway-name pod label, and a namespace-wide policy", () => {
        assert.deepStrictEqual(f.messages(rule, ga.goodGatewayApiStack()), []);
        const bySelector = ga.jwtPolicies()[0];
        (bySelector.props.spec as any).targetRefs = undefined;
        (bySelector.props.spec as any).selector = { matchLabels: { "gateway.networking.k8s.io/gateway-name": "mygateway" } };
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), bySelector]), []);
        const namespaceWide = ga.jwtPolicies()[0];
        (namespaceWide.props.spec as any).targetRefs = undefined;
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), namespaceWide]), []);
    });

    it("reports a Gateway with no policy, one attached to another Gateway or Kind, one in another namespace, and one without rules", () => {
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), ...ga.credentials()]), [missing]);
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), ga.jwtPolicies("othergateway")[0]]), [missing]);
        const service = ga.jwtPolicies()[0];
        (service.props.spec as any).targetRefs = [{ group: "", kind: "Service", name: "mygateway" }];
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), service]), [missing]);
        const elsewhere = ga.jwtPolicies()[0];
        (elsewhere.props.metadata as any).namespace = "default";
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), elsewhere]), [missing]);
        const noRules = ga.jwtPolicies()[0];
        (noRules.props.spec as any).jwtRules = [];
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), noRules]), [missing]);
        const otherPods = ga.jwtPolicies()[0];
        (otherPods.props.spec as any).targetRefs = undefined;
        (otherPods.props.spec as any).selector = { matchLabels: { "gateway.networking.k8s.io/gateway-name": "other" } };
        assert.deepStrictEqual(f.messages(rule, [ga.kubeGateway(), otherPods]), [missing]);
    });
});

describe("istio-legacy-authentication-policy", () => {
    const rule = "istio-legacy-authentication-policy";

    it("passes the task's Policy on Istio 1.0, and stacks without one", () => {
        assert.deepStrictEqual(f.messages(rule, f.goodLegacyStack()), []);
        assert.deepStrictEqual(f.messages(rule, f.goodMountedStack()), []);
    });

    it("refuses it when the annotation or the config declares Istio >= 1.6", () => {
        const msg = (v: string) =>
            `Policy istio-system/ingressgateway: authentication.istio.io/v1alpha1 Policy is not served by Istio ${v}: the v1alpha1 authentication API was removed in Istio 1.6; ` +
            "replace it with a security.istio.io RequestAuthentication plus an AuthorizationPolicy (unauthenticated requests then get 403, not 401)";
        assert.deepStrictEqual(f.messages(rule, [f.legacyPolicy("1.22")]), [msg("1.22")]);
        assert.deepStrictEqual(f.messages(rule, [f.legacyPolicy("1.5")]), []);
        assert.deepStrictEqual(f.messages(rule, [f.legacyPolicy("1.0")], { istioVersion: "1.6" }), [msg("1.6")]);
        // Without its own annotation, the stack's other Istio objects declare the version.
        const bare = f.legacyPolicy();
        delete (bare.props.metadata as any).annotations;
        assert.deepStrictEqual(f.messages(rule, [bare, f.mygateway({ istio: "1.24" })]), [msg("1.24")]);
    });
});
