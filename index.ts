// The secure-ingress program: read and validate the stack config, build one SecureIngress, export its outputs.
import * as pulumi from "@pulumi/pulumi";
import { createProgram, loadConfig } from "./components";

// Validation runs first and throws one error listing every problem, before any resource is registered.
const { outputs } = createProgram(loadConfig(), pulumi.getStack());

export const apiLevel = outputs.apiLevel;
export const gateway = outputs.gateway;
export const renderedTo = outputs.renderedTo;
export const secretNames = outputs.secretNames;
export const certificates = outputs.certificates;
export const certificateExpiry = outputs.certificateExpiry;
export const privateKeys = outputs.privateKeys;
export const issuedCertificates = outputs.issuedCertificates;
export const jwks = outputs.jwks;
export const jwtToken = outputs.jwtToken;
export const environment = outputs.environment;
export const testCommands = outputs.testCommands;
export const troubleshooting = outputs.troubleshooting;
export const cleanup = outputs.cleanup;
