// Type-level checks that `npm run typecheck` runs: the args interface is the schema's input type with Input
// leaves, field for field (a field added, dropped, retyped or made required on one side fails to compile).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SecureIngressArgs } from "../../components/args";
import { configSchema } from "../../components/config/schema";

/** True only when A and B are the same type (optional modifiers included). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Expand<T> = T extends object ? (T extends infer O ? { [K in keyof O]: Expand<O[K]> } : never) : T;

type ArgsAsPlain = Expand<pulumi.Unwrap<SecureIngressArgs>>;
type ConfigInput = z.input<typeof configSchema>;
/** The component takes the stack config without `kubernetes`, whose skipAwait it takes at the top level. */
type SchemaInput = Expand<Omit<ConfigInput, "kubernetes"> & { skipAwait?: NonNullable<ConfigInput["kubernetes"]>["skipAwait"] }>;

export const argsMatchSchema: Equals<ArgsAsPlain, SchemaInput> = true;
