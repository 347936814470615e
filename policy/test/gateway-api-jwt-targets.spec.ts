import * as assert from "assert";
import * as f from "./fixtures";
import * as g from "./gatewayApiFixtures";

describe("gateway-api-jwt-targets", () => {
    const rule = "gateway-api-jwt-targets";

    it("passes policies that target the stack's Gateway in their namespace, or an external one", () => {
        assert.deepStrictEqual(f.messages(rule, g.goodGatewayApiStack()), []);
        assert.deepStrictEqual(f.messages(rule, g.jwtPolicies("shared"), { externalGateways: ["istio-system/shared"] }), []);
    });

    it("refuses a targetRef to a Gateway the stack lacks, and one that would need another namespace", () => {
        const [ra, ap] = g.jwtPolicies("other");
        const moved = g.jwtPolicies()[0];
        (moved.props.metadata as any).namespace = "default";
        assert.deepStrictEqual(f.messages(rule, [g.kubeGateway(), ra, ap, moved]), [
            "RequestAuthentication istio-system/mygateway-jwt targetRefs[0]: no Gateway istio-system/other in the stack (a targetRef reaches its own namespace only), so the policy applies to nothing",
            "AuthorizationPolicy istio-system/mygateway-require-jwt targetRefs[0]: no Gateway istio-system/other in the stack (a targetRef reaches its own namespace only), so the policy applies to nothing",
            "RequestAuthentication default/mygateway-jwt targetRefs[0]: no Gateway default/mygateway in the stack (a targetRef reaches its own namespace only), so the policy applies to nothing",
        ]);
    });
});
