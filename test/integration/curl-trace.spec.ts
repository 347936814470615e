// The statuses the printed-command checks read from curl's output, against real curl: curl -v without -s draws
// its progress meter on stderr whenever its clock has entered a new second since the last draw, and the trace
// line written next then continues the meter's line. A server that makes curl read a frame more than a second
// into the transfer, before the response, puts the meter right in front of `< HTTP/2 418` every time.
import * as assert from "assert";
import * as fs from "fs";
import * as http2 from "http2";
import { AddressInfo } from "net";
import { curlTrace, httpStatuses, sh } from "../support/curl";
import { openssl, Scratch } from "../support/openssl";

describe("curl's output as the command checks read it", function () {
    this.timeout(20_000);
    const scratch = new Scratch();
    let server: http2.Http2SecureServer;
    let port: number;
    const key = `${scratch.dir}/key.pem`;
    const cert = `${scratch.dir}/cert.pem`;

    before(async () => {
        const r = openssl([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            "1",
            "-subj",
            "/CN=teapot.test",
            "-addext",
            "subjectAltName=DNS:teapot.test",
        ]);
        assert.strictEqual(r.status, 0, r.stderr);
        server = http2.createSecureServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) });
        server.on("stream", (stream) => {
            // A PING 1.1 s in: curl reads it in a new second, so its next turn draws the meter; the response
            // follows a moment after the PING's acknowledgement, once curl has had that turn.
            setTimeout(() => {
                stream.session?.ping(() =>
                    setTimeout(() => {
                        stream.respond({ ":status": 418, "content-type": "text/plain" });
                        stream.end("I'm a teapot\n");
                    }, 200),
                );
            }, 1100);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });

    after(async () => {
        await new Promise<void>((r) => server?.close(() => r()));
        scratch.dispose();
    });

    it("finds the status line that follows curl's progress meter on the same line", async () => {
        const command = `curl -v --cacert ${cert} --resolve teapot.test:${port}:127.0.0.1 https://teapot.test:${port}/status/418`;
        // The meter before the status line is the case under test; a loaded machine can delay curl's turn past
        // the response, so the command is run until curl shows it (the first run, as a rule).
        const meterThenStatus = /--:--:--\s+\d+< HTTP\/2 418 /;
        let r = await sh(command, { cwd: scratch.dir, env: { PATH: process.env.PATH ?? "", HOME: scratch.dir } });
        for (let i = 0; i < 3 && !meterThenStatus.test(r.stderr); i++) {
            r = await sh(command, { cwd: scratch.dir, env: { PATH: process.env.PATH ?? "", HOME: scratch.dir } });
        }
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(r.stdout.includes("teapot"), r.stdout);
        assert.match(r.stderr, meterThenStatus, r.stderr);
        assert.deepStrictEqual(httpStatuses(r), [418]);
        assert.match(curlTrace(r.stderr), /^< HTTP\/2 418 /m);
    });

    it("leaves the trace lines as curl wrote them when no meter was drawn", async () => {
        const stderr = "* Connected\n> GET / HTTP/1.1\r\n< HTTP/1.1 200 OK\r\n< content-type: text/plain\r\n";
        assert.strictEqual(curlTrace(stderr), stderr);
        assert.deepStrictEqual(httpStatuses({ command: "curl -v x", code: 0, stdout: "", stderr }), [200]);
    });
});
