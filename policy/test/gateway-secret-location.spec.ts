import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-secret-location", () => {
    const rule = "istio-gateway-secret-location";

    it("passes the managed workload's mounts, the patch plus chart defaults, and SDS secrets in istio-system", () => {
        assert.deepStrictEqual(f.messages(rule, f.goodMountedStack()), []);
        assert.deepStrictEqual(f.messages(rule, f.goodLegacyStack()), []);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds(), ...f.sdsSecrets()]), []);
    });

    it("refuses a credentialName secret in the Gateway's namespace instead of the workload's (istio/istio#27740)", () => {
        const wrongNs = f
            .sdsSecrets()
            .map((s) => ({ ...s, props: { ...s.props, metadata: { ...(s.props.metadata as object), namespace: "default" } } }));
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds(), ...wrongNs, f.gatewayDeployment({ volumes: false })]), [
            `${GW} server "https-httpbin": referenced credentialName not found: "httpbin-credential" must be a secret in namespace "istio-system" (where Deployment istio-system/istio-ingressgateway runs); a secret of that name exists in namespace "default", but Istio reads it from the workload's namespace (not the Gateway's namespace "default") (IST0101)`,
            `${GW} server "https-bookinfo": referenced credentialName not found: "bookinfo-credential" must be a secret in namespace "istio-system" (where Deployment istio-system/istio-ingressgateway runs); a secret of that name exists in namespace "default", but Istio reads it from the workload's namespace (not the Gateway's namespace "default") (IST0101)`,
        ]);
    });

    it("uses the configured workload namespace when the workload is not in the stack", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds(), ...f.sdsSecrets()], { gatewayNamespace: "ingress" }), [
            `${GW} server "https-httpbin": referenced credentialName not found: "httpbin-credential" must be a secret in namespace "ingress" (where the gateway workload in namespace "ingress" (not in the stack) runs); a secret of that name exists in namespace "istio-system", but Istio reads it from the workload's namespace (not the Gateway's namespace "default") (IST0101)`,
            `${GW} server "https-bookinfo": referenced credentialName not found: "bookinfo-credential" must be a secret in namespace "ingress" (where the gateway workload in namespace "ingress" (not in the stack) runs); a secret of that name exists in namespace "istio-system", but Istio reads it from the workload's namespace (not the Gateway's namespace "default") (IST0101)`,
        ]);
    });

    it("refuses a file path outside every mounted secret, a missing mounted secret, and a missing key", () => {
        // The task's multi-host step without redeploying the gateway: no bookinfo volume.
        const stack = [...f.mountedSecrets(), f.mygateway({ istio: "1.0" })];
        assert.deepStrictEqual(f.messages(rule, stack), [
            `${GW} server "https-bookinfo": tls.serverCertificate "/etc/istio/ingressgateway-bookinfo-certs/tls.crt" is not under any secret volume mounted into the gateway workload in namespace "istio-system" (not in the stack) (mounts: /etc/istio/ingressgateway-certs, /etc/istio/ingressgateway-ca-certs)`,
            `${GW} server "https-bookinfo": tls.privateKey "/etc/istio/ingressgateway-bookinfo-certs/tls.key" is not under any secret volume mounted into the gateway workload in namespace "istio-system" (not in the stack) (mounts: /etc/istio/ingressgateway-certs, /etc/istio/ingressgateway-ca-certs)`,
        ]);
        const noCaSecret = [
            f.gatewayDeployment(),
            ...f.mountedSecrets().filter((s) => s.name !== "istio-ingressgateway-ca-certs"),
            f.mygateway(),
        ];
        assert.deepStrictEqual(f.messages(rule, noCaSecret), [
            `${GW} server "https-httpbin": tls.caCertificates "/etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem" comes from secret "istio-ingressgateway-ca-certs" mounted at /etc/istio/ingressgateway-ca-certs, which is not in the stack in namespace "istio-system"`,
        ]);
        // The task: "The file name of the certificate must be identical to the filename you create the secret from".
        const wrongKey = [f.gatewayDeployment(), ...f.mountedSecrets(), f.mygateway()];
        f.tlsOf(wrongKey[4], 0).caCertificates = "/etc/istio/ingressgateway-ca-certs/ca.crt";
        assert.deepStrictEqual(f.messages(rule, wrongKey), [
            `${GW} server "https-httpbin": tls.caCertificates "/etc/istio/ingressgateway-ca-certs/ca.crt" needs key "ca.crt" in secret istio-system/istio-ingressgateway-ca-certs, which has "ca-chain.cert.pem"`,
        ]);
    });
});
