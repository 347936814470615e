// The library entry: the SecureIngress component, its args and enums, and the pieces a program composes it from.
export * from "./args";
export * from "./config/enums";
export { ConfigError, ConfigProblem } from "./config/parse";
export * from "./secureIngress";
export { IngressPki, HostMaterial } from "./pki/ingressPki";
export { CertificateAuthority } from "./pki/certificateAuthority";
export { HostCertificates, LeafResources } from "./pki/hostCertificates";
export { SelfIssuer } from "./jwt/selfIssuer";
export { IssuedCertificate } from "./certManager/register";
export { TestCommand, Expectation } from "./outputs/commands";
export { createProgram, componentArgs } from "./program";
export { loadConfig } from "./config/load";
export { certificateExpiry, HostCertificateExpiry } from "./outputs/expiry";
