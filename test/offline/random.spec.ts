import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import bcrypt from "bcryptjs";
import { RANDOM_TYPES, RandomProviderError, randomMock } from "../../commands/offline/random";
import { isSecretValue } from "../../commands/offline/tls";

const mk = (type: string, inputs: Record<string, any>) => randomMock(type, inputs, { wrapSecrets: false })!;

describe("random double (commands/offline/random.ts)", () => {
    it("returns undefined for other types", () => {
        assert.equal(randomMock("tls:index/privateKey:PrivateKey", {}), undefined);
    });

    it("RandomId: hex/b64Url/b64Std/dec of the same bytes, prefix, id = b64Url", () => {
        const { id, state } = mk(RANDOM_TYPES.randomId, { byteLength: 8, prefix: "p-" });
        assert.match(state.hex, /^p-[0-9a-f]{16}$/);
        const bytes = Buffer.from(state.hex.slice(2), "hex");
        assert.equal(state.b64Url, "p-" + bytes.toString("base64url"));
        assert.equal(state.b64Std, "p-" + bytes.toString("base64"));
        assert.equal(state.dec, "p-" + BigInt("0x" + bytes.toString("hex")).toString());
        assert.equal(id, state.b64Url);
        assert.notEqual(mk(RANDOM_TYPES.randomId, { byteLength: 8 }).state.hex, mk(RANDOM_TYPES.randomId, { byteLength: 8 }).state.hex);
        assert.throws(() => mk(RANDOM_TYPES.randomId, { byteLength: 0 }), RandomProviderError);
    });

    it("RandomUuid: 8-4-4-4-12 hex, id = result", () => {
        const { id, state } = mk(RANDOM_TYPES.randomUuid, { keepers: { a: "b" } });
        assert.match(state.result, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(id, state.result);
        assert.deepEqual(state.keepers, { a: "b" });
    });

    it("RandomString: length, defaults, character classes, minimums", () => {
        const { id, state } = mk(RANDOM_TYPES.randomString, { length: 40, special: false, upper: false });
        assert.equal(state.result.length, 40);
        assert.match(state.result, /^[a-z0-9]+$/);
        assert.equal(id, state.result);
        assert.equal(state.lower, true);
        assert.equal(state.numeric, true);
        assert.equal(state.minUpper, 0);
        const m = mk(RANDOM_TYPES.randomString, { length: 6, minNumeric: 3, minSpecial: 3, overrideSpecial: "_" }).state.result;
        assert.equal(m.replace(/[^0-9]/g, "").length >= 3 && m.replace(/[^_]/g, "").length >= 3, true, m);
        assert.throws(() => mk(RANDOM_TYPES.randomString, { length: 2, minUpper: 3 }), /at least sum/);
        assert.throws(
            () => mk(RANDOM_TYPES.randomString, { length: 4, upper: false, lower: false, numeric: false, special: false }),
            /character set specified is empty/,
        );
    });

    it("RandomPassword: result + bcryptHash (secret), id 'none'", () => {
        const r = randomMock(RANDOM_TYPES.randomPassword, { length: 16 })!;
        assert.equal(r.id, "none");
        assert.ok(isSecretValue(r.state.result) && isSecretValue(r.state.bcryptHash));
        const { result, bcryptHash } = { result: r.state.result.value, bcryptHash: r.state.bcryptHash.value };
        assert.equal(result.length, 16);
        assert.match(bcryptHash, /^\$2[aby]\$10\$/);
        assert.ok(bcrypt.compareSync(result, bcryptHash));
    });

    it("RandomInteger: in [min, max], seed is deterministic, min > max errors", () => {
        for (let i = 0; i < 50; i++) {
            const { id, state } = mk(RANDOM_TYPES.randomInteger, { min: 3, max: 5 });
            assert.ok(state.result >= 3 && state.result <= 5);
            assert.equal(id, String(state.result));
        }
        const a = mk(RANDOM_TYPES.randomInteger, { min: 0, max: 1_000_000, seed: "s" }).state.result;
        assert.equal(mk(RANDOM_TYPES.randomInteger, { min: 0, max: 1_000_000, seed: "s" }).state.result, a);
        assert.throws(() => mk(RANDOM_TYPES.randomInteger, { min: 5, max: 1 }), /smaller than or equal/);
    });

    it("works under pulumi.runtime.setMocks with @pulumi/random resources", async () => {
        await pulumi.runtime.setMocks(
            { newResource: (a) => randomMock(a.type, a.inputs) ?? { id: `${a.name}_id`, state: a.inputs }, call: (a) => a.inputs },
            "project",
            "stack",
            false,
        );
        const random = await import("@pulumi/random");
        const get = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
        const id = new random.RandomId("rid", { byteLength: 4 });
        const pw = new random.RandomPassword("pw", { length: 12, special: false });
        const int = new random.RandomInteger("int", { min: 1, max: 2 });
        assert.match(await get(id.hex), /^[0-9a-f]{8}$/);
        assert.match(await get(pw.result), /^[A-Za-z0-9]{12}$/);
        assert.equal(await (pw.result as unknown as { isSecret: Promise<boolean> }).isSecret, true);
        assert.ok([1, 2].includes(await get(int.result)));
    });
});
