import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_MESSAGES, errorMessage } from "./errorMessages";
import { ENUM_LABELS, MESSAGES } from "./messages";
import { interpolate } from "./i18n";

// The catalogue the API answers with: every code of src/channelfin/domain/error_codes.py.
const catalogue = readFileSync(new URL("../../../src/channelfin/domain/error_codes.py", import.meta.url), "utf8");
const apiCodes = [...catalogue.matchAll(/^\s+([A-Z][A-Z0-9_]+) = "([A-Z0-9_]+)"$/gm)].map((m) => m[2]!);

describe("error codes", () => {
  it("reads the API's catalogue", () => {
    expect(apiCodes.length).toBeGreaterThan(60);
    expect(apiCodes).toContain("INVALID_TERM");
  });
  it("has a French and an English message for every code of the API's catalogue", () => {
    const missing = apiCodes.filter((code) => !ERROR_MESSAGES[code]);
    expect(missing).toEqual([]);
    for (const [code, [fr, en]] of Object.entries(ERROR_MESSAGES)) {
      expect(fr.trim(), code).not.toBe("");
      expect(en.trim(), code).not.toBe("");
      expect(fr, code).not.toBe(en);
    }
  });
  it("falls back to the API's message for a code it does not know", () => {
    expect(errorMessage("INVALID_TERM", "fr")).toMatch(/Durée invalide/);
    expect(errorMessage("SOMETHING_NEW", "fr", "the API says")).toBe("the API says");
  });
});

describe("interface words", () => {
  it("has every key in both languages, none empty", () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.fr).sort());
    for (const lang of ["fr", "en"] as const) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) expect(text.trim(), `${lang}.${key}`).not.toBe("");
    }
  });
  it("labels every contract status in both languages", () => {
    const schema = readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8");
    const block = /enum ContractStatus \{([^}]*)\}/.exec(schema)![1]!;
    // The values, without their descriptions ("""...""" blocks).
    const values = block.replace(/"""[\s\S]*?"""/g, "").trim().split(/\s+/);
    expect(values).toContain("ACTIVE");
    for (const status of values) expect(ENUM_LABELS[status], status).toBeDefined();
  });
  it("fills placeholders", () => {
    expect(interpolate("Contrat {customer}", { customer: "Boulangerie" })).toBe("Contrat Boulangerie");
  });
});
