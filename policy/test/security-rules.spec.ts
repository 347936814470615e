import * as assert from "assert";
import * as f from "./fixtures";

const EC_KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB0=\n-----END EC PRIVATE KEY-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB=\n-----END CERTIFICATE-----\n";
const b64 = (s: string) => Buffer.from(s).toString("base64");

function configMap(data: Record<string, string>, binaryData?: Record<string, string>) {
    return f.k8s("core/v1", "ConfigMap", "istio-ca-root", {
        metadata: { name: "istio-ca-root", namespace: f.ISTIO_NS },
        data,
        ...(binaryData ? { binaryData } : {}),
    });
}

describe("no-private-key-outside-secret", () => {
    const rule = "no-private-key-outside-secret";

    it("passes certificates in a ConfigMap, keys in a Secret, and ordinary annotations", () => {
        const secret = f.secret("istio-ingressgateway-certs", { "tls.key": b64(EC_KEY), "tls.crt": b64(CERT) });
        // A Secret's own annotations are as protected as its data (client-side apply copies the data there).
        (secret.props.metadata as any).annotations = {
            "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ data: { "tls.key": b64(EC_KEY) } }),
        };
        assert.deepStrictEqual(
            f.messages(rule, [configMap({ "ca.crt": CERT }, { "ca.der": b64(CERT) }), secret, f.gatewayDeployment()]),
            [],
        );
    });

    it("refuses a key in ConfigMap data (plain and base64) and binaryData", () => {
        assert.deepStrictEqual(
            f.messages(rule, [
                configMap({ "tls.key": EC_KEY, "bundle.json": JSON.stringify({ key: b64(EC_KEY) }) }, { "key.pem": b64(EC_KEY) }),
            ]),
            [
                `ConfigMap istio-system/istio-ca-root: data key "tls.key" holds a private key (EC PRIVATE KEY); private keys belong only in a Secret`,
                `ConfigMap istio-system/istio-ca-root: data key "bundle.json" holds a private key (EC PRIVATE KEY, base64-encoded); private keys belong only in a Secret`,
                `ConfigMap istio-system/istio-ca-root: binaryData key "key.pem" holds a private key (EC PRIVATE KEY, base64-encoded); private keys belong only in a Secret`,
            ],
        );
    });

    it("refuses a key in any annotation, including the pod template's", () => {
        const d = f.gatewayDeployment();
        (d.props.spec as any).template.metadata.annotations["secure-ingress.dev/key"] = b64(EC_KEY);
        (d.props.metadata as any).annotations = { note: `key: ${EC_KEY}` };
        assert.deepStrictEqual(f.messages(rule, [d]), [
            `Deployment istio-system/istio-ingressgateway: annotation "note" (metadata.annotations) holds a private key (EC PRIVATE KEY); private keys belong only in a Secret`,
            `Deployment istio-system/istio-ingressgateway: annotation "secure-ingress.dev/key" (spec.template.metadata.annotations) holds a private key (EC PRIVATE KEY, base64-encoded); private keys belong only in a Secret`,
        ]);
    });
});

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
