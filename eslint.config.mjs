// One style for the library, the commands, the policy pack and the tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "dist/", "lib/", "rendered/", ".cache/", "**/node_modules/", "examples/**/sdks/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            curly: ["error", "all"],
            eqeqeq: ["error", "always", { null: "ignore" }],
            "max-len": [
                "error",
                { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
            ],
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "no-restricted-imports": [
                "error",
                { patterns: [{ group: ["**/test/**", "../test/*", "./test/*"], message: "shipped code never imports from test/" }] },
            ],
        },
    },
    {
        files: ["test/**", "policy/test/**", "**/*.spec.ts"],
        rules: {
            "no-restricted-imports": "off",
            "@typescript-eslint/no-unused-expressions": "off",
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
        },
    },
);
