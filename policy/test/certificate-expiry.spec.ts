// certificate-expiry over certificates made by the openssl CLI with chosen dates, in the places a stack holds them.
import * as assert from "assert";
import { runPolicies, validatePackConfig } from "../rules";
import { datedCertificate, opensslIdentity, Scratch } from "../../test/support/openssl";
import * as f from "./fixtures";

const DAY = 86400000;
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("certificate-expiry", () => {
    const rule = "certificate-expiry";
    let scratch: Scratch;
    let soon: string; // 10 days left
    let gone: string; // expired 3 days ago
    let fine: string; // a year left
    const at = (days: number) => new Date(Date.now() + days * DAY);
    before(() => {
        scratch = new Scratch();
        soon = datedCertificate(scratch, "soon.example.com", at(-80), at(10.5));
        gone = datedCertificate(scratch, "gone.example.com", at(-90), at(-2.5));
        fine = datedCertificate(scratch, "fine.example.com", at(-1), at(365.5));
    });
    after(() => scratch.dispose());

    it("passes certificates with more than withinDays left, and stacks whose certificates are not known yet", () => {
        const cert = f.locallySignedCert("fine-server", { certPem: fine });
        const secret = f.secret("fine", { "tls.crt": b64(fine) }, { type: "kubernetes.io/tls" });
        assert.deepStrictEqual(f.messages(rule, [cert, secret]), []);
        assert.deepStrictEqual(f.messages(rule, [f.locallySignedCert("new", {}), ...f.mountedSecrets()]), []);
        assert.deepStrictEqual(f.messages(rule, [f.locallySignedCert("soon-server", { certPem: soon })], { withinDays: 5 }), []);
    });

    it("reports a generated certificate, a Secret's (data and stringData) and an expired one, each once, on its source", () => {
        const s = opensslIdentity(scratch, soon);
        const g = opensslIdentity(scratch, gone);
        const days = (iso: string) => Math.floor((Date.parse(iso) - Date.now()) / DAY);
        const resources = [
            f.secret("copy", { "tls.crt": b64(soon + fine) }, { type: "kubernetes.io/tls" }),
            f.locallySignedCert("soon-server", { certPem: soon }),
            f.secret(
                "provided",
                { "tls.crt": gone, "tls.key": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n" },
                { plain: true },
            ),
        ];
        assert.deepStrictEqual(f.messages(rule, resources), [
            `tls.LocallySignedCert "soon-server": certificate CN=soon.example.com (serial ${s.serial}) expires ${s.notAfter} (${days(s.notAfter)} days left), within 30 days; the next pulumi up replaces a generated certificate once it is within pki.earlyRenewalHours; run it, or raise pki.earlyRenewalHours`,
            `Secret istio-system/provided: certificate CN=gone.example.com (serial ${g.serial}) expires ${g.notAfter} (EXPIRED ${-days(g.notAfter)} days ago), within 30 days; give this Secret a renewed certificate (a provided certificate: its entry in secure-ingress:certificates)`,
        ]);
        assert.strictEqual(days(s.notAfter), 10);
        assert.strictEqual(-days(g.notAfter), 3);
        const v = runPolicies(resources);
        assert.deepStrictEqual(
            v.filter((x) => x.policy === rule).map((x) => [x.enforcementLevel, x.urn]),
            [
                ["advisory", resources[1].urn],
                ["advisory", resources[2].urn],
            ],
        );
        assert.ok(!v.some((x) => x.message.includes("PRIVATE KEY") || x.message.includes("BEGIN")));
        assert.strictEqual(f.messages(rule, resources, { withinDays: 400 }).length, 3);
    });

    it("skips a PEM block that does not parse and still checks the rest", () => {
        const bad = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert.strictEqual(f.messages(rule, [f.secret("mixed", { "ca.crt": bad + soon }, { plain: true })]).length, 1);
    });

    it("takes withinDays as a whole number of days, 0 or more", () => {
        assert.deepStrictEqual(validatePackConfig({ [rule]: { withinDays: 14 } }), []);
        assert.deepStrictEqual(validatePackConfig({ [rule]: { withinDays: "14" } as never }), [
            `${rule}.withinDays: expected integer, got "14"`,
        ]);
        assert.deepStrictEqual(validatePackConfig({ [rule]: { withinDays: 1.5 } }), [`${rule}.withinDays: expected integer, got 1.5`]);
        assert.deepStrictEqual(validatePackConfig({ [rule]: { withinDays: -1 } }), [`${rule}.withinDays: -1 is below the minimum 0`]);
    });
});
