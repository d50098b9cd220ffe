import { readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/** The operations' hashes (written by codegen) go out with the build, for persisted queries. */
function persistedDocuments(): Plugin {
  return {
    name: "channelfin-persisted-documents",
    apply: "build",
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "persisted-documents.json",
        source: readFileSync(new URL("./src/gql/persisted-documents.json", import.meta.url), "utf8"),
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), persistedDocuments()],
  build: { target: "es2022", sourcemap: false, reportCompressedSize: false },
  server: {
    // `npm run dev` next to `channelfin dev` on :8000: the API, config and local signer through the proxy.
    proxy: { "/graphql": "http://127.0.0.1:8000", "/config.json": "http://127.0.0.1:8000", "/esign": "http://127.0.0.1:8000" },
  },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
