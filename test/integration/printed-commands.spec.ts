// The printed-command check (test/support/printedCommands.ts) says no to each way a run can break its promise:
// curl output as curl 7.88 writes it, one field wrong at a time.
import * as assert from "assert";
import { ShellResult } from "../support/curl";
import { PrintedCommand, plainHttpCommands, problems } from "../support/printedCommands";
import { config, taskHosts } from "../support/configs";

const verbose = (status: number, cn: string) =>
    [
        "*  subject: C=US; ST=Denial; O=Dis; CN=" + cn,
        "*  SSL certificate verify ok.",
        "> GET /status/418 HTTP/2",
        `< HTTP/2 ${status} `,
        "< content-type: text/plain",
        "",
    ].join("\n");
const teapot: PrintedCommand = {
    id: "httpbin-mutual-with-client-cert",
    host: "httpbin.example.com",
    command: "curl -v -HHost:httpbin.example.com https://httpbin.example.com:$SECURE_INGRESS_PORT/status/418",
    expect: { status: 418, bodyContains: "teapot" },
};
const run = (over: Partial<ShellResult>): ShellResult => ({
    command: teapot.command,
    code: 0,
    stdout: "-=[ teapot ]=-",
    stderr: verbose(418, "httpbin.example.com"),
    ...over,
});

describe("the printed-command check", () => {
    it("accepts a run that keeps the promise", () => {
        assert.deepStrictEqual(problems(teapot, run({})), []);
    });

    it("refuses a wrong status, a missing body, a failed curl, another host's certificate, an unverified server", () => {
        assert.deepStrictEqual(problems(teapot, run({ stderr: verbose(200, "httpbin.example.com") })), ["status 200, expected 418"]);
        assert.deepStrictEqual(problems(teapot, run({ stdout: "" })), ['the body lacks "teapot"']);
        assert.ok(problems(teapot, run({ code: 7, stderr: "", stdout: "" })).includes("curl exit 7"));
        assert.match(problems(teapot, run({ stderr: verbose(418, "bookinfo.com") })).join(), /not CN=httpbin\.example\.com/);
        assert.match(
            problems(teapot, run({ stderr: verbose(418, "httpbin.example.com").replace("*  SSL certificate verify ok.\n", "") })).join(),
            /did not report the server certificate verified/,
        );
    });

    it("a refused handshake: the exit must be one listed, and no response may arrive", () => {
        const refused: PrintedCommand = { ...teapot, expect: { curlExitCodes: [16, 35, 55, 56] } };
        assert.deepStrictEqual(
            problems(refused, run({ code: 56, stdout: "", stderr: "* OpenSSL SSL_read: tlsv13 alert certificate required\n" })),
            [],
        );
        assert.deepStrictEqual(problems(refused, run({ code: 60, stdout: "", stderr: "" })), [
            "curl exit 60, expected one of [16, 35, 55, 56]",
        ]);
        assert.match(problems(refused, run({ code: 56 })).join(), /an HTTP response arrived \(status 418\)/);
    });

    it("plain HTTP: a redirect must name the same host and path over https", () => {
        const c = config(taskHosts, { gateway: { http: { enabled: true, httpsRedirect: true } } });
        const [httpbin] = plainHttpCommands(c);
        assert.deepStrictEqual(httpbin.expect, { status: 301, redirectTo: "https://httpbin.example.com/status/418" });
        const r = (stdout: string): ShellResult => ({ command: httpbin.command, code: 0, stdout, stderr: "" });
        assert.deepStrictEqual(problems(httpbin, r("https://httpbin.example.com/status/418\n301\n")), []);
        assert.match(problems(httpbin, r("https://bookinfo.com/status/418\n301\n")).join(), /redirected to/);
        assert.match(problems(httpbin, r("\n200\n")).join(), /status 200, expected 301/);
    });

    it("plain HTTP without a redirect: the probe's answer; a JWT-protected host denies a request without a token", () => {
        const jwks = JSON.stringify({
            keys: [
                {
                    kty: "EC",
                    crv: "P-256",
                    x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                    y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
                },
            ],
        });
        const c = config(taskHosts, {
            gateway: { http: { enabled: true } },
            jwt: { enabled: true, issuer: "i", jwks, hosts: ["httpbin"] },
        });
        assert.deepStrictEqual(
            plainHttpCommands(c).map((x) => [x.id, x.expect]),
            [
                ["httpbin-http", { status: 403 }],
                ["httpbin-http-with-token", { status: 418 }],
                ["bookinfo-http", { status: 200 }],
            ],
        );
    });
});
