// The Gateway API builders, case by case, and every object they return validated against the upstream CRD schemas
// (sigs.k8s.io/gateway-api v1.6.3, vendored in test/fixtures/gateway-api) with ajv.
import * as assert from "assert";
import { parseConfig } from "../../components/config/parse";
import { kubeGatewayObject } from "../../components/gatewayApi/gateway";
import { hostRouteObject, redirectRouteObject } from "../../components/gatewayApi/httpRoute";
import { referenceGrantObjects } from "../../components/gatewayApi/referenceGrant";
import { clientCaConfigMap } from "../../components/gatewayApi/clientCa";
import { secretPlans } from "../../components/secrets/specs";
import { jwtObjects } from "../../components/jwt/specs";
import { gatewayApiValidators } from "../support/gatewayApiCrds";
import { loadValidators, Validator } from "../support/models";

const httpbin = {
    name: "httpbin",
    host: "httpbin.example.com",
    tls: "MUTUAL",
    routes: [{ match: [{ prefix: "/status" }, { prefix: "/delay" }], destination: { host: "httpbin", port: 8000 } }],
};
const bookinfo = {
    name: "bookinfo",
    host: "bookinfo.com",
    routes: [
        { match: [{ exact: "/productpage" }, { regex: "/api/v1/products/[0-9]+" }], destination: { host: "productpage", port: 9080 } },
    ],
};
const base = {
    target: "gateway-api",
    gateway: { workload: "managed", secretDelivery: "sds", http: { enabled: true, httpsRedirect: true } },
};
const config = (extra: Record<string, unknown> = {}) => parseConfig({ ...base, hosts: [httpbin, bookinfo], ...extra });
const material = (names: string[]) =>
    new Map(names.map((n) => [n, { serverChainPem: `${n}-chain`, serverKeyPem: `${n}-key`, caChainPem: `${n}-ca` }]));

describe("Gateway API builders", () => {
    let standard: Map<string, Validator>;
    let experimental: Map<string, Validator>;
    let istio: Map<string, Validator>;
    const valid = (obj: any, v = standard) => {
        const key = `${obj.apiVersion}/${obj.kind}`;
        const validate = v.get(key);
        assert.ok(validate, `no schema for ${key}`);
        validate(obj);
    };
    before(async () => {
        standard = gatewayApiValidators("standard");
        experimental = gatewayApiValidators("experimental");
        istio = await loadValidators();
    });

    it("has CRD validators that refuse a wrong object (the check can fail)", () => {
        const gw = kubeGatewayObject(config()) as any;
        assert.throws(
            () => valid({ ...gw, spec: { ...gw.spec, listeners: [{ ...gw.spec.listeners[0], tls: { mode: "Simple" } }] } }),
            /mode/,
        );
        assert.throws(() => valid({ ...gw, spec: { ...gw.spec, listener: gw.spec.listeners } }), /additional properties|listeners/);
        const route = hostRouteObject(config(), config().hosts[0]) as any;
        assert.throws(
            () => valid({ ...route, spec: { ...route.spec, rules: [{ matches: [{ path: { type: "Prefix", value: "/" } }] }] } }),
            /type/,
        );
    });

    it("writes one HTTPS listener per host and an HTTP listener, routes limited to the routes' namespace", () => {
        const c = config();
        const gw = kubeGatewayObject(c) as any;
        valid(gw);
        assert.strictEqual(gw.metadata.namespace, "istio-system");
        assert.strictEqual(gw.spec.gatewayClassName, "istio");
        assert.deepStrictEqual(
            gw.spec.listeners.map((l: any) => [l.name, l.hostname, l.port, l.protocol, l.tls?.mode, l.tls?.certificateRefs?.[0]?.name]),
            [
                ["https-httpbin", "httpbin.example.com", 443, "HTTPS", "Terminate", "httpbin-credential"],
                ["https-bookinfo", "bookinfo.com", 443, "HTTPS", "Terminate", "bookinfo-credential"],
                ["http", undefined, 80, "HTTP", undefined, undefined],
            ],
        );
        for (const l of gw.spec.listeners) {
            assert.deepStrictEqual(l.allowedRoutes.namespaces, {
                from: "Selector",
                selector: { matchLabels: { "kubernetes.io/metadata.name": "default" } },
            });
        }
        assert.strictEqual(gw.spec.addresses, undefined, "Istio deploys the workload");
    });

    it("verifies client certificates through the listener option (ca.crt in the Secret) on Istio before 1.28", () => {
        const c = config({ istioVersion: "1.26" });
        const gw = kubeGatewayObject(c) as any;
        assert.deepStrictEqual(gw.spec.listeners[0].tls.options, { "gateway.istio.io/tls-terminate-mode": "MUTUAL" });
        assert.strictEqual(gw.spec.listeners[1].tls.options, undefined, "the SIMPLE host verifies no client");
        assert.strictEqual(gw.spec.tls, undefined);
        const secrets = secretPlans(c, material(["httpbin", "bookinfo"])).map((p) => p.object!);
        assert.strictEqual(secrets[0].stringData["ca.crt"], "httpbin-ca");
        assert.strictEqual(secrets[1].stringData["ca.crt"], undefined);
        assert.strictEqual(clientCaConfigMap(c, material(["httpbin", "bookinfo"])), undefined);
    });

    it("verifies client certificates at the Gateway level with a ConfigMap CA on Istio 1.30 when every host is mutual under one CA", () => {
        const c = parseConfig({
            ...base,
            istioVersion: "1.30",
            pki: { caMode: "shared" },
            hosts: [httpbin, { ...bookinfo, tls: "MUTUAL" }],
        });
        const gw = kubeGatewayObject(c) as any;
        valid(gw);
        valid(gw, experimental);
        assert.deepStrictEqual(gw.spec.tls, {
            frontend: { default: { validation: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "mygateway-client-ca" }] } } },
        });
        assert.ok(gw.spec.listeners.every((l: any) => l.tls?.options === undefined));
        const cm = clientCaConfigMap(c, material(["httpbin", "bookinfo"]))!;
        assert.deepStrictEqual(
            [cm.metadata.namespace, cm.metadata.name, cm.data],
            ["istio-system", "mygateway-client-ca", { "ca.crt": "httpbin-ca" }],
        );
        const secrets = secretPlans(c, material(["httpbin", "bookinfo"])).map((p) => p.object!);
        assert.ok(
            secrets.every((s) => s.stringData["ca.crt"] === undefined),
            "the CA lives in the ConfigMap",
        );
    });

    it("routes each host from its listener with Exact, PathPrefix and RegularExpression matches and ported backendRefs", () => {
        const c = config();
        const routes = c.hosts.map((h) => hostRouteObject(c, h) as any);
        routes.forEach((r) => valid(r));
        assert.deepStrictEqual(routes[0].spec.parentRefs, [
            {
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: "mygateway",
                namespace: "istio-system",
                sectionName: "https-httpbin",
            },
        ]);
        assert.deepStrictEqual(routes[0].spec.hostnames, ["httpbin.example.com"]);
        assert.deepStrictEqual(routes[1].spec.rules, [
            {
                matches: [
                    { path: { type: "Exact", value: "/productpage" } },
                    { path: { type: "RegularExpression", value: "/api/v1/products/[0-9]+" } },
                ],
                backendRefs: [{ name: "productpage", port: 9080 }],
            },
        ]);
        assert.deepStrictEqual(routes[0].spec.rules[0].matches[1], { path: { type: "PathPrefix", value: "/delay" } });
        // Every sectionName names a listener of the Gateway.
        const listeners = new Set((kubeGatewayObject(c) as any).spec.listeners.map((l: any) => l.name));
        for (const r of [...routes, redirectRouteObject(c) as any]) {
            for (const p of r.spec.parentRefs) {
                assert.ok(listeners.has(p.sectionName), `${r.metadata.name} -> ${p.sectionName}`);
            }
        }
    });

    it("attaches the host routes to the HTTP listener too when it serves routes instead of redirecting", () => {
        const c = config({ gateway: { ...base.gateway, http: { enabled: true } } });
        assert.strictEqual(redirectRouteObject(c), undefined);
        assert.deepStrictEqual(
            (hostRouteObject(c, c.hosts[1]) as any).spec.parentRefs.map((p: any) => p.sectionName),
            ["https-bookinfo", "http"],
        );
    });

    it("redirects plain HTTP with a RequestRedirect filter (https, 301), writing out a port other than 443", () => {
        const r = redirectRouteObject(config()) as any;
        valid(r);
        assert.deepStrictEqual(r.spec.rules, [
            { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
        ]);
        assert.deepStrictEqual(r.spec.hostnames, ["httpbin.example.com", "bookinfo.com"]);
        const other = redirectRouteObject(config({ gateway: { ...base.gateway, httpsPort: 8443 } })) as any;
        assert.deepStrictEqual(other.spec.rules[0].filters[0].requestRedirect, { scheme: "https", statusCode: 301, port: 8443 });
    });

    it("grants the routes access to Services in another namespace, and grants nothing within one", () => {
        assert.deepStrictEqual(referenceGrantObjects(config()), []);
        const far = {
            ...bookinfo,
            routes: [{ match: [{ prefix: "/" }], destination: { host: "productpage.shop.svc.cluster.local", port: 9080 } }],
        };
        const c = parseConfig({ ...base, hosts: [httpbin, far] });
        const grants = referenceGrantObjects(c) as any[];
        grants.forEach((g) => valid(g));
        assert.deepStrictEqual(
            grants.map((g) => [g.metadata.namespace, g.spec.from, g.spec.to]),
            [
                [
                    "shop",
                    [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "default" }],
                    [{ group: "", kind: "Service", name: "productpage" }],
                ],
            ],
        );
        assert.deepStrictEqual((hostRouteObject(c, c.hosts[1]) as any).spec.rules[0].backendRefs, [
            { name: "productpage", namespace: "shop", port: 9080 },
        ]);
    });

    it("names an existing gateway Service through spec.addresses (workload none) and sets the deployed Service's type", () => {
        const existing = kubeGatewayObject(config({ gateway: { ...base.gateway, workload: "none" } })) as any;
        valid(existing);
        assert.deepStrictEqual(existing.spec.addresses, [
            { type: "Hostname", value: "istio-ingressgateway.istio-system.svc.cluster.local" },
        ]);
        const clusterIp = kubeGatewayObject(config({ gateway: { ...base.gateway, serviceType: "ClusterIP" } })) as any;
        assert.strictEqual(clusterIp.metadata.annotations["networking.istio.io/service-type"], "ClusterIP");
    });

    it("attaches the JWT policies to the Gateway by targetRefs, in its namespace, leaving the redirect port open", () => {
        const c = config({ jwt: { enabled: true, issuer: "me", jwksUri: "https://example.com/jwks.json" } });
        const [ra, ap] = jwtObjects(c, { jwksUri: c.jwt.jwksUri }) as any[];
        for (const o of [ra, ap]) {
            istio.get(`${o.apiVersion}/${o.kind}`)!(o);
            assert.strictEqual(o.metadata.namespace, "istio-system");
            assert.deepStrictEqual(o.spec.targetRefs, [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mygateway" }]);
            assert.strictEqual(o.spec.selector, undefined);
        }
        assert.deepStrictEqual(ap.spec.rules[0].to, [{ operation: { notPorts: ["80"] } }]);
    });
});
