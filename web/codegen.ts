// Typed operations from the API's exported schema: `npm run codegen` after schema.graphql changes.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        // sha256 of each operation, shipped with the build (dist/persisted-documents.json) so the
        // API can accept hashes once it takes persisted queries.
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Decimal: "string", Date: "string", DateTime: "string" },
      },
    },
  },
};

export default config;
