/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry the engine requires */
// What the engine starts (package.json `main`): index.ts, transpiled with this directory's tsconfig wherever the CLI
// runs. The SDK's run-plugin has already hooked a type-checking ts-node with the options of the CLI's working
// directory (ES2020 when it has no tsconfig); this hook replaces it. `npm run typecheck` checks these sources, and a
// type check here would cost every run.
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const config = ts.getParsedCommandLineOfConfigFile(
    path.join(__dirname, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
);
require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), { compilerOptions: config.options, fileName: filename });
    module._compile(outputText, filename);
};
require("./index.ts");
