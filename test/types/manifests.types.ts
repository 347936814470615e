// Type-level checks that `npm run typecheck` runs: a misspelled field of a built manifest does not compile.
// Each `@ts-expect-error` fails the typecheck if the line below it ever compiles.
import { GatewayManifest, SecretManifest, ServerTls } from "../../components/kubernetes/objects";
import { serverTls } from "../../components/gateway/spec";

// The Gateway builder's return type for a server's TLS block, as the builder writes it.
export const sds: ReturnType<typeof serverTls> = {
    mode: "SIMPLE",
    // @ts-expect-error a misspelled credentialName is not a field of the Istio Gateway's server TLS
    credentialNmae: "httpbin-credential",
};

export const mounted: ServerTls = { mode: "MUTUAL", serverCertificate: "/etc/istio/ingressgateway-certs/tls.crt" };

export const gateway: GatewayManifest = {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: "mygateway", namespace: "default" },
    spec: {
        selector: { istio: "ingressgateway" },
        servers: [
            {
                port: { number: 443, name: "https-httpbin", protocol: "HTTPS" },
                hosts: ["httpbin.example.com"],
                // @ts-expect-error a misspelled credentialName inside a Gateway server does not compile either
                tls: { mode: "SIMPLE", credentialNmae: "httpbin-credential" },
            },
        ],
    },
};

export const secret: SecretManifest = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "istio-ingressgateway-certs", namespace: "istio-system" },
    // @ts-expect-error Secrets have stringData, not stringdata
    stringdata: { "tls.crt": "..." },
};
