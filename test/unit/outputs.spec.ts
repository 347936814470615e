// The printed test commands are the task's own curl lines, filled in; checked argument by argument.
import * as assert from "assert";
import { parseConfig } from "../../components/config/parse";
import { environmentCommands, testCommands, troubleshootingCommands } from "../../components/outputs/commands";
import { stackConfig } from "../../commands/offline/stacks";

/** Shell words of a command line (double quotes group, as the shell would). */
function words(line: string): string[] {
    return (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, "$1"));
}

/** Pairs an option with its value so the comparison ignores order but not pairing. */
function args(line: string): string[] {
    const w = words(line);
    const out: string[] = [];
    for (let i = 1; i < w.length; i++) {
        if (/^--?(resolve|cacert|cert|key|header|o|w)$/.test(w[i])) {
            out.push(`${w[i]} ${w[++i]}`);
        } else {
            out.push(w[i]);
        }
    }
    return out.sort();
}

// The task's lines, verbatim.
const task = {
    simple: "curl -v -HHost:httpbin.example.com --resolve httpbin.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST --cacert httpbin.example.com/2_intermediate/certs/ca-chain.cert.pem https://httpbin.example.com:$SECURE_INGRESS_PORT/status/418",
    mutualNoCert:
        "curl -HHost:httpbin.example.com --resolve httpbin.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST  --cacert httpbin.example.com/2_intermediate/certs/ca-chain.cert.pem https://httpbin.example.com:$SECURE_INGRESS_PORT/status/418",
    mutualCert:
        "curl -HHost:httpbin.example.com --resolve httpbin.example.com:$SECURE_INGRESS_PORT:$INGRESS_HOST  --cacert httpbin.example.com/2_intermediate/certs/ca-chain.cert.pem --cert httpbin.example.com/4_client/certs/httpbin.example.com.cert.pem --key httpbin.example.com/4_client/private/httpbin.example.com.key.pem https://httpbin.example.com:$SECURE_INGRESS_PORT/status/418",
    bookinfo:
        'curl -o /dev/null -s -v -w "%{http_code}\\n" --resolve bookinfo.com:$SECURE_INGRESS_PORT:$INGRESS_HOST --cacert bookinfo.com/2_intermediate/certs/ca-chain.cert.pem -HHost:bookinfo.com https://bookinfo.com:$SECURE_INGRESS_PORT/productpage',
    jwtNoToken: "curl -I -HHost:httpbin.example.com http://$INGRESS_HOST:$INGRESS_PORT/status/200",
    jwtToken: 'curl --header "Authorization: Bearer $TOKEN" -I -HHost:httpbin.example.com http://$INGRESS_HOST:$INGRESS_PORT/status/200',
};
const token = "--header Authorization: Bearer $TOKEN";

describe("test commands", () => {
    const legacy = parseConfig(stackConfig("legacy"));
    const byId = (c: ReturnType<typeof parseConfig>) => new Map(testCommands(c).map((t) => [t.id, t]));

    it("legacy: every case of the task, with the task's arguments and expected results", () => {
        const cmds = byId(legacy);
        assert.deepStrictEqual(
            [...cmds.keys()],
            [
                "httpbin-mutual-without-client-cert",
                "httpbin-mutual-with-client-cert",
                "bookinfo-simple",
                "httpbin-jwt-without-token",
                "httpbin-jwt-with-token",
            ],
        );
        // The v1alpha1 Policy guards every host, so the HTTPS lines also carry the token.
        assert.deepStrictEqual(
            args(cmds.get("httpbin-mutual-without-client-cert")!.command),
            [...args(task.mutualNoCert), "-v", token].sort(),
        );
        assert.deepStrictEqual(args(cmds.get("httpbin-mutual-with-client-cert")!.command), [...args(task.mutualCert), "-v", token].sort());
        assert.deepStrictEqual(args(cmds.get("bookinfo-simple")!.command), [...args(task.bookinfo), token].sort());
        assert.deepStrictEqual(args(cmds.get("httpbin-jwt-without-token")!.command), args(task.jwtNoToken));
        assert.deepStrictEqual(args(cmds.get("httpbin-jwt-with-token")!.command), args(task.jwtToken));
        assert.deepStrictEqual(cmds.get("httpbin-mutual-without-client-cert")!.expect, { curlExitCodes: [16, 35, 55, 56] });
        assert.deepStrictEqual(cmds.get("httpbin-mutual-with-client-cert")!.expect, { status: 418, bodyContains: "teapot" });
        assert.deepStrictEqual(cmds.get("bookinfo-simple")!.expect, { status: 200 });
        assert.deepStrictEqual(cmds.get("httpbin-jwt-without-token")!.expect, { status: 401 });
        assert.deepStrictEqual(cmds.get("httpbin-jwt-with-token")!.expect, { status: 200 });
    });

    it("current API level: a missing token is refused with 403 (AuthorizationPolicy), not 401", () => {
        const cmds = byId(parseConfig(stackConfig("dev")));
        assert.deepStrictEqual(cmds.get("httpbin-jwt-without-token")!.expect, { status: 403 });
    });

    it("a SIMPLE httpbin host without JWT gets the task's first curl exactly", () => {
        const c = parseConfig({
            hosts: [
                {
                    name: "httpbin",
                    host: "httpbin.example.com",
                    routes: [{ match: [{ prefix: "/status" }, { prefix: "/delay" }], destination: { host: "httpbin", port: 8000 } }],
                },
            ],
        });
        const [only] = testCommands(c);
        assert.strictEqual(only.id, "httpbin-simple");
        assert.deepStrictEqual(args(only.command), args(task.simple));
        assert.deepStrictEqual(only.expect, { status: 418, bodyContains: "teapot" });
    });

    it("uses the gateway's address and ports when known", () => {
        const cmds = testCommands(legacy, { host: "203.0.113.7", httpPort: 8080, httpsPort: 8443 });
        assert.ok(cmds[0].command.includes("--resolve httpbin.example.com:8443:203.0.113.7"));
        assert.ok(cmds[0].command.endsWith("https://httpbin.example.com:8443/status/418"));
        assert.ok(cmds[3].command.endsWith("http://203.0.113.7:8080/status/200"));
        assert.ok(!cmds.some((c) => c.command.includes("$INGRESS_HOST")));
    });

    it("a configured probe overrides the derived one", () => {
        const c = parseConfig({
            hosts: [
                {
                    name: "api",
                    host: "api.example.com",
                    probe: { path: "/healthz", status: 204 },
                    routes: [{ match: [{ prefix: "/" }], destination: { host: "api", port: 80 } }],
                },
            ],
        });
        const [only] = testCommands(c);
        assert.ok(only.command.endsWith("https://api.example.com:$SECURE_INGRESS_PORT/healthz"));
        assert.deepStrictEqual(only.expect, { status: 204 });
    });

    it("environment: the task's variable setup, the certificate files and the token source", () => {
        const env = environmentCommands(legacy);
        assert.ok(
            env.includes(
                "export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')",
            ),
        );
        assert.ok(
            env.includes(
                "export TOKEN=$(curl https://raw.githubusercontent.com/istio/istio/release-1.0/security/tools/jwt/samples/demo.jwt -s)",
            ),
        );
        assert.ok(
            environmentCommands(parseConfig(stackConfig("dev"))).includes("export TOKEN=$(pulumi stack output jwtToken --show-secrets)"),
        );
    });

    it("troubleshooting: the task's steps with this stack's namespace, labels and mount paths", () => {
        const t = troubleshootingCommands(legacy);
        const pod = "$(kubectl -n istio-system get pods -l istio=ingressgateway -o jsonpath='{.items[0].metadata.name}')";
        assert.ok(t.includes("kubectl get svc -n istio-system"));
        assert.ok(t.includes(`kubectl exec -i -n istio-system ${pod} -- ls -al /etc/istio/ingressgateway-certs`));
        assert.ok(t.includes(`kubectl exec -i -n istio-system ${pod} -- ls -al /etc/istio/ingressgateway-bookinfo-certs`));
        assert.ok(
            t.includes(
                `kubectl exec -i -n istio-system ${pod} -- cat /etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem | openssl x509 -text -noout | grep 'Subject:'`,
            ),
        );
        assert.ok(t.includes(`kubectl exec -i -n istio-system ${pod} -- curl 127.0.0.1:15000/certs`));
        assert.ok(t.includes("kubectl logs -n istio-system -l istio=ingressgateway"));
        assert.ok(t.includes("kubectl delete pod -n istio-system -l istio=ingressgateway"));
    });
});
