// The operations' hashes, shipped with the build (dist/persisted-documents.json): for each, the
// SHA-256 of the exact text the app sends — urql's print of the document once its cache exchange has
// added __typename — so what the API keeps for persisted queries, and a stage's trusted documents
// (`channelfin trust-documents dist/persisted-documents.json --stage STAGE`), match the app's
// requests. Run after codegen (`npm run codegen`), from the documents it generated.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { formatDocument, stringifyDocument } from "@urql/core";

const generated = readFileSync(new URL("../src/gql/graphql.ts", import.meta.url), "utf8");
const documents = [...generated.matchAll(/^export const (\w+)Document = (\{.*\}) as unknown as DocumentNode<.*>;$/gm)];
if (!documents.length) {
  console.error("persisted-documents: no document found in src/gql/graphql.ts (did codegen's output change?)");
  process.exit(1);
}
const manifest = {};
for (const [, , json] of documents) {
  const text = stringifyDocument(formatDocument(JSON.parse(json)));
  manifest[createHash("sha256").update(text).digest("hex")] = text;
}
writeFileSync(new URL("../src/gql/persisted-documents.json", import.meta.url), JSON.stringify(manifest, null, 2) + "\n");
console.log(`persisted-documents: ${documents.length} operations hashed`);
