// The Gateway builder (components/gateway/spec.ts): servers, TLS settings per delivery mode, the HTTP server.
import * as assert from "assert";
import { gatewayObject } from "../../components/gateway/spec";
import { config, host, taskHosts } from "../support/configs";

describe("gateway builder", () => {
    it("SDS: one HTTPS server per host on 443, selected by its host, reading the host's credential", () => {
        const g = gatewayObject(config(taskHosts, { gateway: { secretDelivery: "sds" } }));
        assert.strictEqual(g.apiVersion, "networking.istio.io/v1");
        assert.deepStrictEqual(g.metadata, {
            name: "mygateway",
            namespace: "default",
            annotations: { "secure-ingress.dev/istio-version": "1.26" },
        });
        assert.deepStrictEqual(g.spec.selector, { istio: "ingressgateway" });
        assert.deepStrictEqual(g.spec.servers, [
            {
                port: { number: 443, name: "https-httpbin", protocol: "HTTPS" },
                tls: { mode: "MUTUAL", credentialName: "httpbin-credential", minProtocolVersion: "TLSV1_2" },
                hosts: ["httpbin.example.com"],
            },
            {
                port: { number: 443, name: "https-bookinfo", protocol: "HTTPS" },
                tls: { mode: "SIMPLE", credentialName: "bookinfo-credential", minProtocolVersion: "TLSV1_2" },
                hosts: ["bookinfo.com"],
            },
        ]);
    });

    it("mounted: the task's file paths, the CA chain only for mutual hosts, a second mutual host's chain under its own name", () => {
        const hosts = [...taskHosts, host("shop", "shop.example.com", "OPTIONAL_MUTUAL")];
        const tls = gatewayObject(config(hosts)).spec.servers!.map((s) => s.tls);
        assert.deepStrictEqual(tls, [
            {
                mode: "MUTUAL",
                serverCertificate: "/etc/istio/ingressgateway-certs/tls.crt",
                privateKey: "/etc/istio/ingressgateway-certs/tls.key",
                caCertificates: "/etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem",
                minProtocolVersion: "TLSV1_2",
            },
            {
                mode: "SIMPLE",
                serverCertificate: "/etc/istio/ingressgateway-bookinfo-certs/tls.crt",
                privateKey: "/etc/istio/ingressgateway-bookinfo-certs/tls.key",
                minProtocolVersion: "TLSV1_2",
            },
            {
                mode: "OPTIONAL_MUTUAL",
                serverCertificate: "/etc/istio/ingressgateway-shop-certs/tls.crt",
                privateKey: "/etc/istio/ingressgateway-shop-certs/tls.key",
                caCertificates: "/etc/istio/ingressgateway-ca-certs/shop-ca-chain.cert.pem",
                minProtocolVersion: "TLSV1_2",
            },
        ]);
    });

    it("Istio 1.0: v1alpha3 and no protocol floor (the field did not exist)", () => {
        const g = gatewayObject(config(taskHosts, { apiLevel: "istio-1.0", istioVersion: "1.0" }));
        assert.strictEqual(g.apiVersion, "networking.istio.io/v1alpha3");
        assert.ok(g.spec.servers!.every((s) => s.tls && !("minProtocolVersion" in s.tls)));
    });

    it("a configured floor and port reach every HTTPS server", () => {
        const g = gatewayObject(config(taskHosts, { gateway: { minTlsVersion: "TLSV1_3", httpsPort: 8443 } }));
        assert.deepStrictEqual(
            g.spec.servers!.map((s) => [s.port!.number, s.tls!.minProtocolVersion]),
            [
                [8443, "TLSV1_3"],
                [8443, "TLSV1_3"],
            ],
        );
    });

    it("plain HTTP: none by default; one server for every host, redirecting only when asked", () => {
        const http = (settings: object) =>
            gatewayObject(config(taskHosts, { gateway: settings })).spec.servers!.filter((s) => s.port!.protocol === "HTTP");
        assert.deepStrictEqual(http({}), []);
        const hosts = ["httpbin.example.com", "bookinfo.com"];
        assert.deepStrictEqual(http({ http: { enabled: true } }), [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts }]);
        assert.deepStrictEqual(http({ http: { enabled: true, port: 8080, httpsRedirect: true } }), [
            { port: { number: 8080, name: "http", protocol: "HTTP" }, tls: { httpsRedirect: true }, hosts },
        ]);
    });
});
