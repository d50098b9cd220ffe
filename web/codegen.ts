// Typed operations from the API's exported schema: `npm run codegen` after schema.graphql changes.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      // No persistedDocuments here: its hashes are of a normalized print, not of the text urql sends;
      // scripts/persisted-documents.mjs hashes that text instead.
      presetConfig: { fragmentMasking: false },
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
