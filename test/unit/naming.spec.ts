// The task's names and paths (components/naming.ts), as its YAML and generate.sh write them.
import * as assert from "assert";
import {
    caChainKey,
    caIssuerName,
    caIssuerSecretName,
    certFiles,
    credentialName,
    mountedCertSecretName,
    mountPathForSecret,
    servingSecretName,
    volumeNameForSecret,
} from "../../components/naming";
import { config, host, taskHosts } from "../support/configs";

describe("naming", () => {
    const c = config([...taskHosts, host("shop", "shop.example.com", "MUTUAL")]);

    it("mounted secrets: istio-ingressgateway-certs for the first host, -<name>-certs after; volumes and paths without istio-", () => {
        assert.deepStrictEqual(
            c.hosts.map((_, i) => mountedCertSecretName(c.hosts, i)),
            ["istio-ingressgateway-certs", "istio-ingressgateway-bookinfo-certs", "istio-ingressgateway-shop-certs"],
        );
        assert.strictEqual(volumeNameForSecret("istio-ingressgateway-ca-certs"), "ingressgateway-ca-certs");
        assert.strictEqual(mountPathForSecret("istio-ingressgateway-ca-certs"), "/etc/istio/ingressgateway-ca-certs");
    });

    it("the first mutual host's CA chain is ca-chain.cert.pem, the next <name>-ca-chain.cert.pem", () => {
        assert.deepStrictEqual(
            c.hosts.filter((h) => h.tls !== "SIMPLE").map((h) => caChainKey(c.hosts, h)),
            ["ca-chain.cert.pem", "shop-ca-chain.cert.pem"],
        );
    });

    it("the Secret a host's certificate lives in: the mounted name, or <name>-credential with SDS", () => {
        assert.strictEqual(servingSecretName(c, c.hosts[1]), "istio-ingressgateway-bookinfo-certs");
        const sds = config(taskHosts, { gateway: { secretDelivery: "sds" } });
        assert.strictEqual(servingSecretName(sds, sds.hosts[1]), "bookinfo-credential");
        assert.strictEqual(credentialName(sds.hosts[0]), "httpbin-credential");
    });

    it("generate.sh's file layout; a wildcard's folder has no `*` for a shell to glob", () => {
        assert.deepStrictEqual(certFiles("bookinfo.com"), {
            rootCert: "bookinfo.com/1_root/certs/ca.cert.pem",
            intermediateCert: "bookinfo.com/2_intermediate/certs/intermediate.cert.pem",
            caChain: "bookinfo.com/2_intermediate/certs/ca-chain.cert.pem",
            serverCert: "bookinfo.com/3_application/certs/bookinfo.com.cert.pem",
            serverKey: "bookinfo.com/3_application/private/bookinfo.com.key.pem",
            issuerCa: "bookinfo.com/3_application/certs/issuer-ca.cert.pem",
            clientCert: "bookinfo.com/4_client/certs/bookinfo.com.cert.pem",
            clientKey: "bookinfo.com/4_client/private/bookinfo.com.key.pem",
        });
        assert.ok(Object.values(certFiles("*.example.com")).every((p) => p.startsWith("_wildcard.example.com/") && !p.includes("*")));
    });

    it("cert-manager CA issuers: one per host or one for the stack, each with its key-pair Secret", () => {
        assert.strictEqual(caIssuerName(c.hosts[0]), "secure-ingress-httpbin-ca");
        assert.strictEqual(caIssuerName(undefined), "secure-ingress-ca");
        assert.strictEqual(caIssuerSecretName("secure-ingress-ca"), "secure-ingress-ca-key-pair");
    });
});
