// An offline stand-in for @pulumi/random under Pulumi mocks: RandomUuid, the one random resource the program
// registers. Any other random type is refused rather than echoed back without a result.
import * as crypto from "node:crypto";

export const RANDOM_UUID = "random:index/randomUuid:RandomUuid";

/** `{id, state}` of a RandomUuid; undefined for other providers' types. */
export function randomMock(type: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } | undefined {
    if (!type.startsWith("random:")) {
        return undefined;
    }
    if (type !== RANDOM_UUID) {
        throw new Error(`offline random double: ${type} is not covered; it covers only ${RANDOM_UUID}`);
    }
    const result = crypto.randomUUID();
    return { id: result, state: { ...inputs, result } };
}
