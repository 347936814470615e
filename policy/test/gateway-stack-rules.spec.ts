import * as assert from "assert";
import * as f from "./fixtures";

const GW = `Gateway default/mygateway`;

describe("istio-gateway-mutual-tls-ca", () => {
    const rule = "istio-gateway-mutual-tls-ca";

    it("passes a file CA (the task's caCertificates), a credential with ca.crt, and a <name>-cacert secret", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway()]), []);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds(), ...f.sdsSecrets()]), []);
        const separate = [
            f.mygatewaySds(),
            f.secret("httpbin-credential", { key: "k", cert: "c" }, { plain: true }),
            f.secret("httpbin-credential-cacert", { cacert: "ca" }, { plain: true }),
        ];
        assert.deepStrictEqual(f.messages(rule, separate), []);
    });

    it("refuses MUTUAL without caCertificates, and a credential secret without a CA", () => {
        const gw = f.mygateway();
        delete f.tlsOf(gw, 0).caCertificates;
        assert.deepStrictEqual(f.messages(rule, [gw]), [
            `${GW} server "https-httpbin" (MUTUAL): MUTUAL TLS requires a client CA bundle: set tls.caCertificates, or use a credentialName secret that holds ca.crt (or cacert)`,
        ]);
        const sds = f.mygatewaySds();
        f.tlsOf(sds, 1).mode = "OPTIONAL_MUTUAL";
        assert.deepStrictEqual(f.messages(rule, [sds, ...f.sdsSecrets()]), [
            `${GW} server "https-bookinfo" (OPTIONAL_MUTUAL): no client CA for credentialName "bookinfo-credential": secret istio-system/bookinfo-credential has no ca.crt or cacert key, and there is no istio-system/bookinfo-credential-cacert secret; Istio would fail the SDS fetch at runtime`,
        ]);
        assert.deepStrictEqual(f.messages(rule, [f.mygatewaySds()]), [
            `${GW} server "https-httpbin" (MUTUAL): no client CA for credentialName "httpbin-credential": secret istio-system/httpbin-credential is not in the stack, and there is no istio-system/httpbin-credential-cacert secret; Istio would fail the SDS fetch at runtime`,
        ]);
    });
});

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

describe("istio-gateway-duplicate-certificate (IST0138)", () => {
    const rule = "istio-gateway-duplicate-certificate";

    it("passes one Gateway with one certificate per host", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway()]), []);
    });

    it("reports the same credentialName on two gateways with the same selector, on both", () => {
        const a = f.mygatewaySds();
        const b = f.mygatewaySds();
        (b.props.metadata as any).name = "bookinfo-gateway";
        f.serversOf(b).splice(0, 1);
        f.tlsOf(b, 0).credentialName = "httpbin-credential";
        assert.deepStrictEqual(f.messages(rule, [a, b]), [
            `${GW}: duplicate certificate in multiple gateways [default/mygateway default/bookinfo-gateway] may cause 404s if clients re-use HTTP2 connections (credentialName "httpbin-credential") (IST0138)`,
            `Gateway default/bookinfo-gateway: duplicate certificate in multiple gateways [default/bookinfo-gateway default/mygateway] may cause 404s if clients re-use HTTP2 connections (credentialName "httpbin-credential") (IST0138)`,
        ]);
    });

    it("reports the same certificate files on gateways whose selectors overlap (subset), not on disjoint ones", () => {
        const a = f.mygateway();
        const b = f.mygateway();
        (b.props.metadata as any).name = "other";
        (b.props.spec as any).selector = { istio: "ingressgateway", app: "edge" };
        assert.deepStrictEqual(f.messages(rule, [a, b]), [
            `${GW}: duplicate certificate in multiple gateways [default/mygateway default/other] may cause 404s if clients re-use HTTP2 connections (serverCertificate "/etc/istio/ingressgateway-certs/tls.crt" and privateKey "/etc/istio/ingressgateway-certs/tls.key") (IST0138)`,
        ]);
        (b.props.spec as any).selector = { istio: "eastwestgateway" };
        assert.deepStrictEqual(f.messages(rule, [a, b]), []);
    });
});

describe("istio-gateway-conflict (IST0145)", () => {
    const rule = "istio-gateway-conflict";

    it("passes gateways that differ in selector, port or host", () => {
        const other = f.mygatewaySds();
        (other.props.metadata as any).name = "other";
        f.serversOf(other).forEach((s: any) => {
            s.hosts = ["other.example.com"];
        });
        const otherPort = f.mygatewaySds();
        (otherPort.props.metadata as any).name = "alt-port";
        f.serversOf(otherPort).forEach((s: any) => {
            s.port.number = 8443;
        });
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), other, otherPort]), []);
    });

    it("reports two gateways with the same selector, port 443 and a wildcard host that covers httpbin.example.com", () => {
        const wild = f.mygatewaySds();
        (wild.props.metadata as any).name = "wildcard";
        f.serversOf(wild).splice(1, 1);
        f.serversOf(wild)[0].hosts = ["*.example.com"];
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), wild]), [
            `${GW} server "https-httpbin": conflict with gateways default/wildcard (workload selector istio=ingressgateway, port 443, hosts httpbin.example.com) (IST0145)`,
            `Gateway default/wildcard server "https-httpbin": conflict with gateways default/mygateway (workload selector istio=ingressgateway, port 443, hosts *.example.com) (IST0145)`,
        ]);
    });
});

describe("istio-virtualservice-gateway-exists (IST0101)", () => {
    const rule = "istio-virtualservice-gateway-exists";

    it("passes bare names in the VirtualService's namespace, <ns>/<name>, FQDN form, mesh and external gateways", () => {
        const vs = f.virtualService("multi", "httpbin.example.com", [
            "mygateway",
            "default/mygateway",
            "mygateway.default.svc.cluster.local",
            "mesh",
            "istio-system/shared",
        ]);
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), vs], { externalGateways: ["istio-system/shared"] }), []);
    });

    it("refuses a bare name that resolves to another namespace, and a missing gateway", () => {
        const vs = f.virtualService("httpbin", "httpbin.example.com", ["mygateway"], { namespace: "httpbin" });
        const vs2 = f.virtualService("bookinfo", "bookinfo.com", ["istio-system/mygateway"]);
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), vs, vs2]), [
            `VirtualService httpbin/httpbin: referenced gateway not found: "mygateway" (no Gateway httpbin/mygateway in the stack) (IST0101)`,
            `VirtualService default/bookinfo: referenced gateway not found: "istio-system/mygateway" (no Gateway istio-system/mygateway in the stack) (IST0101)`,
        ]);
    });
});

describe("istio-virtualservice-host-in-gateway (IST0132)", () => {
    const rule = "istio-virtualservice-host-in-gateway";

    it("passes the task's httpbin and bookinfo VirtualServices, and wildcard gateway hosts", () => {
        assert.deepStrictEqual(f.messages(rule, [f.mygateway(), f.httpbinVs(), f.bookinfoVs()]), []);
        const wild = f.mygateway();
        f.serversOf(wild)[0].hosts = ["*.example.com"];
        f.serversOf(wild)[1].hosts = ["default/bookinfo.com"];
        assert.deepStrictEqual(f.messages(rule, [wild, f.httpbinVs(), f.bookinfoVs()]), []);
    });

    it("refuses a host the gateway does not serve, `*.example.com` for example.com, and a host restricted to another namespace", () => {
        const gw = f.mygateway();
        f.serversOf(gw)[0].hosts = ["*.example.com"];
        f.serversOf(gw)[1].hosts = ["bookinfo/bookinfo.com"];
        const apex = f.virtualService("apex", "example.com", ["mygateway"]);
        assert.deepStrictEqual(f.messages(rule, [gw, f.httpbinVs(), f.bookinfoVs(), apex]), [
            `VirtualService default/bookinfo: one or more host [bookinfo.com] defined in VirtualService default/bookinfo not found in Gateway default/mygateway (IST0132)`,
            `VirtualService default/apex: one or more host [example.com] defined in VirtualService default/apex not found in Gateway default/mygateway (IST0132)`,
        ]);
    });
});
