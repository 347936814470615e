/**
 * A test double for the `@pulumi/random` provider (4.x, terraform-provider-random) for use under
 * `pulumi.runtime.setMocks`: real randomness from node:crypto, the provider's output names, defaults and
 * validation, and the provider's `id` conventions.
 *
 * Types handled: RandomId, RandomUuid, RandomString, RandomPassword, RandomInteger.
 */
import * as crypto from "node:crypto";
import bcrypt from "bcryptjs";
import { unwrapSecrets, wrapSecretState } from "./tls";

export const RANDOM_TYPES = {
    randomId: "random:index/randomId:RandomId",
    randomUuid: "random:index/randomUuid:RandomUuid",
    randomString: "random:index/randomString:RandomString",
    randomPassword: "random:index/randomPassword:RandomPassword",
    randomInteger: "random:index/randomInteger:RandomInteger",
} as const;

/** Thrown where the provider would fail the create (summary + detail, like Terraform's diagnostics). */
export class RandomProviderError extends Error {
    constructor(
        public readonly summary: string,
        public readonly detail: string,
    ) {
        super(`${summary}: ${detail}`);
        this.name = "RandomProviderError";
    }
}

export interface MockResult {
    id: string;
    state: Record<string, any>;
}

/** Outputs the SDK lists in `additionalSecretOutputs`. */
export const RANDOM_SECRET_OUTPUTS: Record<string, string[]> = {
    [RANDOM_TYPES.randomPassword]: ["bcryptHash", "result"],
};

function requiredInt(name: string, v: unknown, min?: number): number {
    if (v === undefined || v === null) {
        throw new RandomProviderError("Missing required argument", `The argument "${name}" is required, but no definition was found.`);
    }
    const n = Number(v);
    if (!Number.isInteger(n)) {
        throw new RandomProviderError("Incorrect attribute value type", `Attribute ${name} must be a whole number, got: ${v}`);
    }
    if (min !== undefined && n < min) {
        throw new RandomProviderError("Invalid Attribute Value", `Attribute ${name} value must be at least ${min}, got: ${n}`);
    }
    return n;
}

function randomId(inputs: Record<string, any>): MockResult {
    const byteLength = requiredInt("byte_length", inputs.byteLength, 1);
    const prefix: string = inputs.prefix ?? "";
    const bytes = crypto.randomBytes(byteLength);
    const b64Url = prefix + bytes.toString("base64url");
    const b64Std = prefix + bytes.toString("base64");
    const hex = prefix + bytes.toString("hex");
    const dec = prefix + BigInt("0x" + bytes.toString("hex")).toString(10);
    return { id: b64Url, state: { ...inputs, byteLength, b64Url, b64Std, hex, dec } };
}

/** hashicorp/go-uuid GenerateUUID: 16 random bytes formatted 8-4-4-4-12 (no version/variant bits are set). */
function randomUuid(inputs: Record<string, any>): MockResult {
    const h = crypto.randomBytes(16).toString("hex");
    const result = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    return { id: result, state: { ...inputs, result } };
}

const NUM = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

function randomChars(charset: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) {
        out += charset[crypto.randomInt(charset.length)];
    }
    return out;
}

/** terraform-provider-random `CreateString`, with its schema defaults and validation. */
function stringParams(inputs: Record<string, any>) {
    const length = requiredInt("length", inputs.length, 1);
    const bool = (v: unknown) => (v === undefined || v === null ? true : Boolean(v));
    const upper = bool(inputs.upper);
    const lower = bool(inputs.lower);
    // `number` is the deprecated alias of `numeric`; the provider keeps them in sync.
    const numeric = inputs.numeric ?? inputs.number ?? true;
    const special = bool(inputs.special);
    const minInt = (name: string, v: unknown) => (v === undefined || v === null ? 0 : requiredInt(name, v, 0));
    const minUpper = minInt("min_upper", inputs.minUpper);
    const minLower = minInt("min_lower", inputs.minLower);
    const minNumeric = minInt("min_numeric", inputs.minNumeric);
    const minSpecial = minInt("min_special", inputs.minSpecial);
    if (length < minUpper + minLower + minNumeric + minSpecial) {
        throw new RandomProviderError(
            "Invalid Attribute Value",
            `Attribute length value must be at least sum of min_upper + min_lower + min_numeric + min_special, got: ${length}`,
        );
    }
    return {
        length,
        upper,
        lower,
        numeric: Boolean(numeric),
        number: Boolean(numeric),
        special,
        minUpper,
        minLower,
        minNumeric,
        minSpecial,
        overrideSpecial: inputs.overrideSpecial as string | undefined,
    };
}

function createString(p: ReturnType<typeof stringParams>): string {
    const specialChars = p.overrideSpecial ? p.overrideSpecial : DEFAULT_SPECIAL;
    let chars = "";
    if (p.upper) {
        chars += UPPER;
    }
    if (p.lower) {
        chars += LOWER;
    }
    if (p.numeric) {
        chars += NUM;
    }
    if (p.special) {
        chars += specialChars;
    }
    if (chars === "") {
        throw new RandomProviderError("Random Read Error", "the character set specified is empty");
    }
    // minimums are drawn from their class even when the class itself is disabled (as the provider does)
    let result =
        randomChars(NUM, p.minNumeric) +
        randomChars(LOWER, p.minLower) +
        randomChars(UPPER, p.minUpper) +
        randomChars(specialChars, p.minSpecial);
    result += randomChars(chars, p.length - result.length);
    // shuffle (the provider sorts by random keys)
    const arr = [...result];
    for (let i = arr.length - 1; i > 0; i--) {
        const j = crypto.randomInt(i + 1);
        [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr.join("");
}

function randomString(inputs: Record<string, any>): MockResult {
    const p = stringParams(inputs);
    const result = createString(p);
    return { id: result, state: { ...inputs, ...stripUndefined(p), result } };
}

function randomPassword(inputs: Record<string, any>): MockResult {
    const p = stringParams(inputs);
    const result = createString(p);
    // bcrypt (default cost 10) of at most the first 72 bytes
    const bcryptHash = bcrypt.hashSync(Buffer.from(result).subarray(0, 72).toString(), 10);
    return { id: "none", state: { ...inputs, ...stripUndefined(p), result, bcryptHash } };
}

function randomInteger(inputs: Record<string, any>): MockResult {
    const min = requiredInt("min", inputs.min);
    const max = requiredInt("max", inputs.max);
    if (max < min) {
        throw new RandomProviderError(
            "Create Random Integer Error",
            "The minimum (min) value needs to be smaller than or equal to maximum (max) value.",
        );
    }
    let result: number;
    if (inputs.seed !== undefined && inputs.seed !== null && inputs.seed !== "") {
        // Deterministic for a given seed (the provider seeds Go's math/rand; the sequence itself is not reproduced).
        const h = crypto.createHash("sha256").update(String(inputs.seed)).digest();
        result = min + Number(h.readBigUInt64BE() % BigInt(max - min + 1));
    } else {
        result = min + crypto.randomInt(max - min + 1);
    }
    return { id: String(result), state: { ...inputs, min, max, result } };
}

function stripUndefined<T extends Record<string, any>>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface RandomMockOptions {
    /** Wrap secret outputs (RandomPassword `result`/`bcryptHash`) as Pulumi secrets in state. Default true. */
    wrapSecrets?: boolean;
}

/**
 * The mock entry point: `{id, state}` for the five `@pulumi/random` types above, `undefined` for other types.
 * Throws {@link RandomProviderError} where the provider would fail the create.
 */
export function randomMock(type: string, inputs: Record<string, any>, options: RandomMockOptions = {}): MockResult | undefined {
    const raw = inputs ?? {};
    const plain = unwrapSecrets(raw);
    let r: MockResult;
    switch (type) {
        case RANDOM_TYPES.randomId:
            r = randomId(plain);
            break;
        case RANDOM_TYPES.randomUuid:
            r = randomUuid(plain);
            break;
        case RANDOM_TYPES.randomString:
            r = randomString(plain);
            break;
        case RANDOM_TYPES.randomPassword:
            r = randomPassword(plain);
            break;
        case RANDOM_TYPES.randomInteger:
            r = randomInteger(plain);
            break;
        default:
            return undefined;
    }
    return options.wrapSecrets === false ? r : wrapSecretState(r, raw, RANDOM_SECRET_OUTPUTS[type] ?? []);
}
