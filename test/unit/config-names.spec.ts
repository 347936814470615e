// Derived names: every object, Pulumi resource, volume and port name the config derives is unique and in the form
// its kind requires (Kubernetes apimachinery validation), and a refusal names both inputs that collide.
import * as assert from "assert";
import { ConfigError } from "../../components/config/parse";
import { SecureIngress } from "../../components/secureIngress";
import { componentArgs } from "../../components/program";
import { captureResources } from "../support/harness";
import { accepted, host, problemsOf, Refusal } from "../support/configCases";

const mutual = (name: string, h: string) => host(name, h, { tls: "MUTUAL" });
const managed = (extra: object = {}) => ({ workload: "managed", ...extra });
const workloadFix = "give gateway.workloadName another name, or put the sample backends in another backends.namespace";
const serviceForm =
    "which is not a DNS-1035 label, the form of Service names (lower-case letters, digits and '-', starting with a letter); give gateway.workloadName a value of that form";
const caSecret = (hostIndex: number, mutualIndex: number) =>
    `derives Secret istio-system/istio-ingressgateway-ca-certs for the TLS Secret of hosts[${hostIndex}], the same as the CA chain Secret of the mutual-TLS hosts (hosts[${mutualIndex}].tls "MUTUAL"); give hosts[${hostIndex}].name another value`;

const refusals: Refusal[] = [
    {
        title: "a second host named ca makes the CA Secret's name",
        config: { hosts: [mutual("a", "a.example.com"), host("ca", "ca.example.com")] },
        problems: [{ path: "hosts[1].name", value: "ca", message: caSecret(1, 0) }],
    },
    {
        title: "a host named ca that is itself the mutual host",
        config: { hosts: [host("a", "a.example.com"), mutual("ca", "ca.example.com")] },
        problems: [{ path: "hosts[1].name", value: "ca", message: caSecret(1, 1) }],
    },
    {
        title: "a host named ca before a later mutual host",
        config: { hosts: [host("a", "a.example.com"), host("ca", "ca.example.com"), mutual("m", "m.example.com")] },
        problems: [{ path: "hosts[1].name", value: "ca", message: caSecret(1, 2) }],
    },
    {
        title: "a managed gateway named like the httpbin sample in its namespace",
        config: {
            hosts: [host("a", "a.example.com")],
            gateway: managed({ workloadName: "httpbin", workloadNamespace: "default" }),
            backends: { httpbin: true },
        },
        problems: [
            {
                path: "gateway.workloadName",
                value: "httpbin",
                message: `derives Deployment default/httpbin, Service default/httpbin for the managed gateway Deployment, the managed gateway Service, the same as the sample httpbin Deployment, the sample httpbin Service (backends.httpbin true); ${workloadFix}`,
            },
        ],
    },
    {
        title: "a managed gateway named like the productpage sample in the backends' namespace",
        config: {
            hosts: [host("a", "a.example.com")],
            gateway: managed({ workloadName: "productpage", workloadNamespace: "shop" }),
            backends: { productpage: true, httpbin: true, namespace: "shop" },
        },
        problems: [
            {
                path: "gateway.workloadName",
                value: "productpage",
                message: `derives Deployment shop/productpage, Service shop/productpage for the managed gateway Deployment, the managed gateway Service, the same as the sample productpage Deployment, the sample productpage Service (backends.productpage true); ${workloadFix}`,
            },
        ],
    },
    {
        title: "a patched gateway Deployment that is the httpbin sample",
        config: {
            hosts: [host("a", "a.example.com")],
            gateway: { workload: "patch", workloadName: "httpbin", workloadNamespace: "default" },
            backends: { httpbin: true },
        },
        problems: [
            {
                path: "gateway.workloadName",
                value: "httpbin",
                message: `derives Deployment default/httpbin for the patched gateway Deployment, the same as the sample httpbin Deployment (backends.httpbin true); ${workloadFix}`,
            },
        ],
    },
    {
        title: "namespace x + name y-httpbin and namespace x-y + name httpbin join to the same Pulumi names",
        config: {
            hosts: [host("a", "a.example.com")],
            gateway: managed({ workloadName: "y-httpbin", workloadNamespace: "x" }),
            backends: { httpbin: true, namespace: "x-y" },
        },
        problems: [
            {
                path: "gateway.workloadName",
                value: "y-httpbin",
                message: `gives the managed gateway Deployment, the managed gateway Service the Pulumi resource names deployment-x-y-httpbin, service-x-y-httpbin, which the sample httpbin Deployment, the sample httpbin Service (backends.httpbin true) also get; Pulumi names must be unique in a stack; ${workloadFix}`,
            },
        ],
    },
    ...["1gw", "9-0", "0"].map((name) => ({
        title: `a managed Service named ${name}, which does not start with a letter`,
        config: { hosts: [host("a", "a.example.com")], gateway: managed({ workloadName: name }) },
        problems: [
            {
                path: "gateway.workloadName",
                value: name,
                message: `derives the name of the managed gateway Service, Service istio-system/${name}, ${serviceForm}`,
            },
        ],
    })),
    ...[43, 50, 63].map((n) => ({
        title: `a further host whose ${n}-character name makes a ${n + 21}-character volume name`,
        config: { hosts: [host("a", "a.example.com"), host("b".repeat(n), "b.example.com")] },
        problems: [
            {
                path: "hosts[1].name",
                value: "b".repeat(n),
                message: `derives the gateway pod's volume name ingressgateway-${"b".repeat(n)}-certs, which is ${n + 21} characters long; a DNS-1123 label has at most 63; shorten hosts[1].name to at most 42 characters, or use secretDelivery sds (no volumes)`,
            },
        ],
    })),
    {
        title: "the managed Service's HTTP port, listed with HTTP off, equal to the HTTPS port",
        config: { hosts: [host("a", "a.example.com")], gateway: managed({ httpsPort: 80 }) },
        problems: [
            {
                path: "gateway.httpsPort",
                value: 80,
                message:
                    "equals gateway.http.port (80, the managed Service's http2 port, listed even with HTTP off); the API server refuses a Service with a duplicate port; set gateway.http.port to another port",
            },
        ],
    },
    {
        title: "a managed selector whose app label is not the workload's",
        config: { hosts: [host("a", "a.example.com")], gateway: managed({ selector: { istio: "ingressgateway", app: "other" } }) },
        problems: [
            {
                path: "gateway.selector.app",
                value: "other",
                message: `differs from the managed pods' own app label ("istio-ingressgateway"), so the Deployment's selector would not match its pods; remove it from the selector or set it to "istio-ingressgateway"`,
            },
        ],
    },
    {
        title: "a managed selector that turns injection off",
        config: { hosts: [host("a", "a.example.com")], gateway: managed({ selector: { "sidecar.istio.io/inject": "false" } }) },
        problems: [
            {
                path: "gateway.selector.sidecar.istio.io/inject",
                value: "false",
                message: `differs from the managed pods' own sidecar.istio.io/inject label ("true"), so the Deployment's selector would not match its pods; remove it from the selector or set it to "true"`,
            },
        ],
    },
];

const keyFix = "(Kubernetes IsQualifiedName); use e.g. istio or app.kubernetes.io/name";
const badKeys: [string, string][] = [
    ["bad key", "has a name part that is not letters, digits, '-', '_' and '.' starting and ending alphanumeric"],
    ["x/y/z", "has more than one '/'; a label key is [prefix/]name"],
    ["/name", "has an empty prefix before '/'"],
    ["Example.com/app", "has a prefix that is not a DNS-1123 subdomain (dot-separated lower-case labels of letters, digits and '-')"],
    ["example.com/", "has a name part of 0 characters; it must have 1 to 63"],
    ["k".repeat(64), "has a name part of 64 characters; it must have 1 to 63"],
    ["-istio", "has a name part that is not letters, digits, '-', '_' and '.' starting and ending alphanumeric"],
    ["istio.", "has a name part that is not letters, digits, '-', '_' and '.' starting and ending alphanumeric"],
];
const badValues: [string, string][] = [
    ["ingress gateway", "is not a label value (letters, digits, '-', '_' and '.', starting and ending alphanumeric)"],
    ["v".repeat(64), "is 64 characters long; a label value has at most 63"],
    ["-gw", "is not a label value (letters, digits, '-', '_' and '.', starting and ending alphanumeric)"],
    ["gw/1", "is not a label value (letters, digits, '-', '_' and '.', starting and ending alphanumeric)"],
    ["ingreßgateway", "is not a label value (letters, digits, '-', '_' and '.', starting and ending alphanumeric)"],
];

describe("config: derived names", () => {
    for (const r of refusals) {
        it(`refuses ${r.title}`, () => assert.deepStrictEqual(problemsOf(r.config), r.problems));
    }

    for (const [key, why] of badKeys) {
        it(`refuses the selector key ${JSON.stringify(key.length > 20 ? `${key.slice(0, 8)}...` : key)}`, () => {
            assert.deepStrictEqual(
                problemsOf({ hosts: [host("a", "a.example.com")], gateway: { selector: { [key]: "ingressgateway" } } }),
                [{ path: `gateway.selector.${key}`, value: key, message: `is not a label key: it ${why} ${keyFix}` }],
            );
        });
    }

    for (const [value, why] of badValues) {
        it(`refuses the selector value ${JSON.stringify(value.length > 20 ? `${value.slice(0, 8)}...` : value)}`, () => {
            assert.deepStrictEqual(problemsOf({ hosts: [host("a", "a.example.com")], gateway: { selector: { istio: value } } }), [
                { path: "gateway.selector.istio", value, message: `${why} (Kubernetes IsValidLabelValue); use e.g. ingressgateway` },
            ]);
        });
    }

    it("reports a duplicate host name once, not again as the objects it would derive twice", () => {
        const problems = problemsOf({ hosts: [mutual("a", "a.example.com"), host("a", "b.example.com")] });
        assert.deepStrictEqual(
            problems.map((p) => p.path),
            ["hosts[1].name"],
        );
        assert.match(problems[0].message, /^duplicates hosts\[0\]\.name/);
    });

    describe("accepts what no object, volume or port name refuses", () => {
        const ok: [string, Record<string, unknown>][] = [
            [
                "a first host named ca (it gets the task's istio-ingressgateway-certs)",
                { hosts: [host("ca", "ca.example.com", { tls: "MUTUAL" })] },
            ],
            ["a further host named ca when no host is mutual", { hosts: [host("a", "a.example.com"), host("ca", "ca.example.com")] }],
            [
                "a further host named ca with sds delivery (credential Secrets only)",
                {
                    hosts: [mutual("a", "a.example.com"), host("ca", "ca.example.com")],
                    gateway: { secretDelivery: "sds", workload: "none" },
                },
            ],
            [
                "a managed gateway named httpbin when the samples live elsewhere",
                {
                    hosts: [host("a", "a.example.com")],
                    gateway: managed({ workloadName: "httpbin" }),
                    backends: { httpbin: true, namespace: "samples" },
                },
            ],
            [
                "a patched Deployment whose name starts with a digit (no Service is made)",
                { hosts: [host("a", "a.example.com")], gateway: { workloadName: "1gw" } },
            ],
            [
                "a 42-character further host name (volume name of exactly 63)",
                { hosts: [host("a", "a.example.com"), host("d".repeat(42), "d.example.com")] },
            ],
            [
                "a 63-character host name with sds delivery, refused by the old 40-character limit",
                {
                    hosts: [host("a", "a.example.com"), host("e".repeat(63), "e.example.com")],
                    gateway: { secretDelivery: "sds", workload: "none" },
                },
            ],
            [
                "HTTPS on port 80 when the workload is patched (no Service is made)",
                { hosts: [host("a", "a.example.com")], gateway: { httpsPort: 80 } },
            ],
            [
                "prefixed, dotted and empty label keys and values",
                {
                    hosts: [host("a", "a.example.com")],
                    gateway: { selector: { "app.kubernetes.io/name": "gw", istio: "", "a_b.c-d": "X_y.z-9" } },
                },
            ],
            [
                "a managed selector that repeats the pods' own labels",
                {
                    hosts: [host("a", "a.example.com")],
                    gateway: managed({
                        selector: { app: "istio-ingressgateway", "sidecar.istio.io/inject": "true", istio: "ingressgateway" },
                    }),
                },
            ],
        ];
        for (const [title, config] of ok) {
            it(title, () => {
                const c = accepted(config);
                assert.strictEqual(c.hosts.length, (config.hosts as unknown[]).length);
            });
        }
    });

    it("the component refuses a collision in its constructor, before it or any child is registered", async () => {
        const resources = await captureResources();
        const config = accepted({ hosts: [mutual("a", "a.example.com"), host("b", "ca.example.com")] });
        const args = componentArgs(config);
        args.hosts[1].name = "ca";
        assert.throws(
            () => new SecureIngress("si", args),
            (e: unknown) => {
                assert.ok(e instanceof ConfigError);
                assert.deepStrictEqual(
                    e.problems.map((p) => [p.path, p.message]),
                    [["hosts[1].name", caSecret(1, 0)]],
                );
                return true;
            },
        );
        assert.deepStrictEqual(resources, []);
    });
});
