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
