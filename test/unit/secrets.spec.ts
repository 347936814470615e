// The Secret builders (components/secrets/specs.ts): the task's mounted secrets, or one credential per host for SDS.
import * as assert from "assert";
import { SecretMaterial, secretPlans } from "../../components/secrets/specs";
import { config, host, taskHosts } from "../support/configs";

const material = (names: string[], withCa: string[]) =>
    new Map<string, SecretMaterial>(
        names.map((n) => [
            n,
            { serverChainPem: `${n}-chain`, serverKeyPem: `${n}-key`, ...(withCa.includes(n) ? { caChainPem: `${n}-ca` } : {}) },
        ]),
    );

describe("secrets builder", () => {
    it("mounted: the task's istio-ingressgateway-certs, -bookinfo-certs and -ca-certs, each with its mount", () => {
        const hosts = [...taskHosts, host("shop", "shop.example.com", "OPTIONAL_MUTUAL")];
        const plans = secretPlans(config(hosts), material(["httpbin", "bookinfo", "shop"], ["httpbin", "shop"]));
        assert.deepStrictEqual(
            plans.map((p) => [
                p.object!.metadata.name,
                p.object!.metadata.namespace,
                p.object!.type,
                p.object!.stringData,
                p.mount,
                p.hosts,
            ]),
            [
                [
                    "istio-ingressgateway-certs",
                    "istio-system",
                    "kubernetes.io/tls",
                    { "tls.crt": "httpbin-chain", "tls.key": "httpbin-key" },
                    { volumeName: "ingressgateway-certs", mountPath: "/etc/istio/ingressgateway-certs" },
                    ["httpbin"],
                ],
                [
                    "istio-ingressgateway-bookinfo-certs",
                    "istio-system",
                    "kubernetes.io/tls",
                    { "tls.crt": "bookinfo-chain", "tls.key": "bookinfo-key" },
                    { volumeName: "ingressgateway-bookinfo-certs", mountPath: "/etc/istio/ingressgateway-bookinfo-certs" },
                    ["bookinfo"],
                ],
                [
                    "istio-ingressgateway-shop-certs",
                    "istio-system",
                    "kubernetes.io/tls",
                    { "tls.crt": "shop-chain", "tls.key": "shop-key" },
                    { volumeName: "ingressgateway-shop-certs", mountPath: "/etc/istio/ingressgateway-shop-certs" },
                    ["shop"],
                ],
                [
                    "istio-ingressgateway-ca-certs",
                    "istio-system",
                    "Opaque",
                    { "ca-chain.cert.pem": "httpbin-ca", "shop-ca-chain.cert.pem": "shop-ca" },
                    { volumeName: "ingressgateway-ca-certs", mountPath: "/etc/istio/ingressgateway-ca-certs" },
                    ["httpbin", "shop"],
                ],
            ],
        );
    });

    it("mounted without a mutual host: no CA secret", () => {
        const plans = secretPlans(config([host("bookinfo", "bookinfo.com", "SIMPLE")]), material(["bookinfo"], []));
        assert.deepStrictEqual(
            plans.map((p) => p.object!.metadata.name),
            ["istio-ingressgateway-certs"],
        );
    });

    it("SDS: <name>-credential in the workload's namespace, ca.crt only for mutual TLS, nothing mounted", () => {
        const c = config(taskHosts, { gateway: { secretDelivery: "sds", workloadNamespace: "edge" } });
        const plans = secretPlans(c, material(["httpbin", "bookinfo"], ["httpbin"]));
        assert.deepStrictEqual(
            plans.map((p) => [p.object!.metadata, p.object!.type, p.object!.stringData, p.mount]),
            [
                [
                    { name: "httpbin-credential", namespace: "edge" },
                    "kubernetes.io/tls",
                    { "tls.crt": "httpbin-chain", "tls.key": "httpbin-key", "ca.crt": "httpbin-ca" },
                    undefined,
                ],
                [
                    { name: "bookinfo-credential", namespace: "edge" },
                    "kubernetes.io/tls",
                    { "tls.crt": "bookinfo-chain", "tls.key": "bookinfo-key" },
                    undefined,
                ],
            ],
        );
    });

    it("a host without material, or a mutual host without a CA chain, is an error naming it", () => {
        const c = config(taskHosts, { gateway: { secretDelivery: "sds" } });
        assert.throws(() => secretPlans(c, material(["httpbin"], ["httpbin"])), /no TLS material for host bookinfo/);
        assert.throws(() => secretPlans(c, material(["httpbin", "bookinfo"], [])), /host httpbin needs a CA chain/);
    });
});
