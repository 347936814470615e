/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry the engine requires */
// What the engine starts (package.json `main`): index.ts through ts-node with this directory's tsconfig, wherever
// the CLI runs. Transpiled only: `npm run typecheck` checks these sources, and a type check here costs every run.
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "tsconfig.json") });
require("./index.ts");
