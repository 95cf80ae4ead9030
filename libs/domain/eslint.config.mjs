import baseConfig, { platformNeutral } from "../../eslint.config.mjs";

export default [
    ...baseConfig,
    platformNeutral,
    {
        files: ["src/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    paths: [
                        {
                            name: "@concord/contracts",
                            message: "The domain uses only the types of @concord/contracts: write `import type`.",
                            allowTypeImports: true
                        }
                    ]
                }
            ]
        }
    }
];
