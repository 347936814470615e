// cert-manager hosts: config and the emitted objects against cert-manager's own CRDs (the policy rules: policy/test/cert-manager.spec.ts).
import * as assert from "assert";
import { ConfigError, parseConfig } from "../../components/config/parse";
import { caIssuerObjects, caIssuerPlans, certificateObject } from "../../components/certManager/spec";
import { certManagerValidators } from "../support/certManagerCrds";

const route = { match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } };
const cmHost = (extra: object = {}) => ({
    name: "httpbin",
    host: "httpbin.example.com",
    routes: [route],
    certificate: "cert-manager",
    ...extra,
});
const cfg = (hosts: object[], more: Record<string, unknown> = {}) =>
    parseConfig({
        "secure-ingress:hosts": JSON.stringify(hosts),
        "secure-ingress:gateway": JSON.stringify({ secretDelivery: "sds" }),
        ...more,
    });

function problems(fn: () => unknown): Map<string, string> {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return new Map(e.problems.map((p) => [p.path, p.message]));
    }
    assert.fail("config was accepted");
}

describe("cert-manager hosts", () => {
    const validators = certManagerValidators();

    it("emits a Certificate for the credential Secret with the PKI's defaults, valid against cert-manager's CRD", () => {
        const c = cfg([cmHost()], {
            "secure-ingress:pki": JSON.stringify({ issuer: "cert-manager", caMode: "shared", keyAlgorithm: "RSA-3072" }),
        });
        const cert = certificateObject(c, c.hosts[0]);
        assert.strictEqual(cert.metadata.namespace, "istio-system");
        assert.strictEqual(cert.spec.secretName, "httpbin-credential");
        assert.deepStrictEqual(cert.spec.dnsNames, ["httpbin.example.com"]);
        assert.strictEqual(cert.spec.duration, "8760h");
        assert.strictEqual(cert.spec.renewBefore, "720h");
        assert.deepStrictEqual(cert.spec.privateKey, { algorithm: "RSA", size: 3072, rotationPolicy: "Always" });
        assert.deepStrictEqual(cert.spec.issuerRef, { name: "secure-ingress-ca", kind: "Issuer", group: "cert-manager.io" });
        validators.get("cert-manager.io/v1/Certificate")!(cert);
        const [plan] = caIssuerPlans(c);
        const [secret, issuer] = caIssuerObjects(c, plan, { intermediateCertPem: "I", intermediateKeyPem: "K", rootCertPem: "R" });
        assert.deepStrictEqual((secret as any).stringData, { "tls.crt": "I", "tls.key": "K", "ca.crt": "R" });
        validators.get("cert-manager.io/v1/Issuer")!(issuer);
    });

    it("has a CRD validator that refuses a misspelt field and a wrong enum", () => {
        const c = cfg([cmHost({ certManager: { issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } } })]);
        const cert: any = certificateObject(c, c.hosts[0]);
        assert.deepStrictEqual(cert.spec.issuerRef, { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" });
        const validate = validators.get("cert-manager.io/v1/Certificate")!;
        assert.throws(() => validate({ ...cert, spec: { ...cert.spec, dnsName: ["x"] } }), /additional properties/);
        assert.throws(() => validate({ ...cert, spec: { ...cert.spec, privateKey: { algorithm: "DSA" } } }), /allowed values/);
    });

    it("refuses bad settings by path, before anything is registered", () => {
        const p = problems(() => cfg([cmHost({ certManager: { duration: "30m", renewBefore: "1m" } })]));
        assert.match(p.get("secure-ingress:hosts[0].certManager.issuerRef")!, /pki.issuer: cert-manager/);
        assert.match(p.get("secure-ingress:hosts[0].certManager.duration")!, /minimum of 1h/);
        assert.match(p.get("secure-ingress:hosts[0].certManager.renewBefore")!, /minimum of 5m/);
        const legacy = problems(() =>
            parseConfig({
                "secure-ingress:apiLevel": "istio-1.0",
                "secure-ingress:hosts": JSON.stringify([cmHost({ certManager: { issuerRef: { name: "x" } } })]),
            }),
        );
        assert.match(legacy.get("secure-ingress:apiLevel")!, /sds/);
    });
});
