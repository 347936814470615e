import * as assert from "assert";
import * as f from "./fixtures";

describe("gateway-secret-rbac", () => {
    const rule = "gateway-secret-rbac";

    it("passes a secret-reader Role bound only to the gateway's service account", () => {
        assert.deepStrictEqual(f.messages(rule, f.goodMountedStack()), []);
        // Workload outside the stack: the legacy chart's account is allowed by default.
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.secretReaderRole(), f.roleBinding([f.gatewaySubject])]), []);
    });

    it("refuses binding it to another account, a group of every account in istio-system, or a user, with or without resourceNames", () => {
        const stack = [
            f.mygateway(),
            f.gatewayDeployment(),
            f.secretReaderRole(["istio-ingressgateway-certs"]),
            f.roleBinding([
                f.gatewaySubject,
                { kind: "ServiceAccount", name: "default" },
                { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccounts:istio-system" },
                { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
            ]),
        ];
        const grant = `RoleBinding istio-system/istio-ingressgateway-sds grants Role "istio-ingressgateway-sds" (get/watch/list on secrets in namespace "istio-system", where the gateway's keys live) to`;
        const only = `only the gateway's service account (istio-ingressgateway-service-account) may read them`;
        assert.deepStrictEqual(f.messages(rule, stack), [
            `${grant} ServiceAccount istio-system/default; ${only}`,
            `${grant} Group "system:serviceaccounts:istio-system"; ${only}`,
            `${grant} User "alice"; ${only}`,
        ]);
    });

    it("follows the gateway Deployment's own service account, and ignores Roles that cannot read secrets", () => {
        const configMapReader = f.k8s("rbac.authorization.k8s.io/v1", "Role", "cm-reader", {
            metadata: { name: "cm-reader", namespace: f.ISTIO_NS },
            rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
        });
        const cmBinding = f.k8s("rbac.authorization.k8s.io/v1", "RoleBinding", "cm", {
            metadata: { name: "cm", namespace: f.ISTIO_NS },
            roleRef: { kind: "Role", name: "cm-reader" },
            subjects: [{ kind: "ServiceAccount", name: "default" }],
        });
        const stack = [
            f.mygateway(),
            f.gatewayDeployment({ serviceAccount: "ingress" }),
            f.secretReaderRole(),
            f.roleBinding([f.gatewaySubject]),
            configMapReader,
            cmBinding,
        ];
        assert.deepStrictEqual(f.messages(rule, stack), [
            `RoleBinding istio-system/istio-ingressgateway-sds grants Role "istio-ingressgateway-sds" (get/watch/list on secrets in namespace "istio-system", where the gateway's keys live) to ServiceAccount istio-system/istio-ingressgateway-service-account; only the gateway's service account (ingress) may read them`,
        ]);
    });
});
