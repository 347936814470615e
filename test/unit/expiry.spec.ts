// The certificateExpiry stack output and the function behind it (also `fleet outputs`'s): certificates made by the
// openssl CLI with chosen dates, and the program's own certificates, each compared with OpenSSL's reading.
import * as assert from "assert";
import { certificateExpiry } from "../../components/outputs/expiry";
import { runStack } from "../support/harness";
import { datedCertificate, openssl, opensslIdentity, Scratch } from "../support/openssl";

const DAY = 86400000;

describe("certificate expiry", () => {
    let scratch: Scratch;
    beforeEach(() => (scratch = new Scratch()));
    afterEach(() => scratch.dispose());

    it("reads notAfter, serial and subject from the PEMs, splits chains, lists a repeated certificate once per host", () => {
        const now = Date.parse("2026-12-02T12:00:00Z");
        const soon = datedCertificate(scratch, "soon.example.com", new Date("2026-11-01T00:00:00Z"), new Date("2026-12-12T06:00:00Z"));
        const root = datedCertificate(scratch, "Root CA", new Date("2026-01-01T00:00:00Z"), new Date("2036-01-01T00:00:00Z"));
        const gone = datedCertificate(scratch, "gone.example.com", new Date("2026-01-01T00:00:00Z"), new Date("2026-11-29T00:00:00Z"));
        const rows = certificateExpiry(
            { "a.example.com": { serverCert: soon + root, rootCert: root }, "b.example.com": { serverCert: gone, caChain: undefined } },
            now,
        );
        const id = (pem: string) => opensslIdentity(scratch, pem);
        const days = (pem: string) => Math.floor((Date.parse(id(pem).notAfter) - now) / DAY);
        assert.deepStrictEqual(rows, [
            {
                host: "a.example.com",
                field: "serverCert",
                subject: "soon.example.com",
                serial: id(soon).serial,
                notAfter: id(soon).notAfter,
                daysLeft: days(soon),
            },
            {
                host: "a.example.com",
                field: "serverCert",
                subject: "Root CA",
                serial: id(root).serial,
                notAfter: id(root).notAfter,
                daysLeft: days(root),
            },
            {
                host: "b.example.com",
                field: "serverCert",
                subject: "gone.example.com",
                serial: id(gone).serial,
                notAfter: id(gone).notAfter,
                daysLeft: days(gone),
            },
        ]);
        // by hand: 9.75 days left rounds down to 9; 3316.5 to 3316; 3.5 days past is -4 (the 4th day since expiry has begun)
        assert.deepStrictEqual(
            rows.map((r) => r.daysLeft),
            [9, 3316, -4],
        );
    });

    it("the certificateExpiry stack output covers every certificate of the certificates output, as OpenSSL reads it", async function () {
        this.timeout(60000);
        const before = Date.now();
        const run = await runStack("dev");
        const after = Date.now();
        const got = run.outputs.certificateExpiry as Record<string, unknown>[];
        const certs = run.outputs.certificates as Record<string, Record<string, string>>;
        let n = 0;
        for (const [host, fields] of Object.entries(certs)) {
            const expected = new Map<string, ReturnType<typeof opensslIdentity>>();
            for (const pem of Object.values(fields)) {
                for (const one of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
                    const i = opensslIdentity(scratch, one + "\n");
                    expected.set(i.fingerprint, i);
                }
            }
            const mine = got.filter((r) => r.host === host);
            assert.deepStrictEqual(
                mine.map((r) => `${r.serial} ${r.notAfter} ${r.subject}`).sort(),
                [...expected.values()].map((i) => `${i.serial} ${i.notAfter} ${i.cn}`).sort(),
                host,
            );
            for (const r of mine) {
                const left = (Date.parse(r.notAfter as string) - before) / DAY;
                assert.ok(
                    [Math.floor(left), Math.floor(left - (after - before) / DAY)].includes(r.daysLeft as number),
                    `${host} ${r.serial}: ${r.daysLeft}`,
                );
            }
            n += mine.length;
        }
        assert.ok(n >= 8, `only ${n} certificates`);
        const server = got.find((r) => r.host === "httpbin.example.com" && r.field === "serverCert")!;
        assert.strictEqual(server.subject, "httpbin.example.com");
        // the dev stack's server certificates live pki.validityHours.server hours, as openssl's own dates show
        const pem = certs["httpbin.example.com"].serverCert;
        const dates = openssl(["x509", "-in", scratch.file(pem), "-noout", "-startdate", "-enddate"]).stdout;
        const span = Date.parse(/notAfter=(.*)/.exec(dates)![1]) - Date.parse(/notBefore=(.*)/.exec(dates)![1]);
        assert.ok(Math.abs(Date.parse(server.notAfter as string) - before - span) < 120000, "notAfter is not notBefore + validity");
        assert.ok(!JSON.stringify(got).includes("PRIVATE KEY"));
    });
});
