import { describe, expect, it } from "vitest";
import { FieldErrors, fieldKey } from "./errors";
import { parseConfig } from "../config";

describe("userErrors next to their fields", () => {
  it("keys an error by its field path, input prefix dropped", () => {
    expect(fieldKey(["customer", "registrationNumber"])).toBe("customer.registrationNumber");
    expect(fieldKey(["input", "termMonths"])).toBe("termMonths");
    expect(fieldKey(null)).toBeNull();
  });
  it("keeps errors of unknown fields for the form's summary", () => {
    const errors = FieldErrors.from(
      [
        { field: ["termMonths"], code: "INVALID_TERM", message: "m" },
        { field: null, code: "NO_ACTIVE_AGREEMENT", message: "m" },
        { field: ["somethingElse"], code: "INVALID_INPUT", message: "m" },
      ],
      ["termMonths"],
    );
    expect(errors.for("termMonths").map((e) => e.code)).toEqual(["INVALID_TERM"]);
    expect(errors.general.map((e) => e.code)).toEqual(["NO_ACTIVE_AGREEMENT", "INVALID_INPUT"]);
    expect(errors.empty).toBe(false);
  });
});

describe("runtime configuration", () => {
  it("reads the dev server's and a deployed stage's config.json", () => {
    expect(parseConfig({ apiUrl: "/graphql", auth: { mode: "dev" } })).toEqual({ apiUrl: "/graphql", auth: { mode: "dev" } });
    const cognito = parseConfig({
      apiUrl: "https://api.example/graphql",
      auth: { mode: "cognito", domain: "https://x.auth.eu-west-3.amazoncognito.com/", clientId: "abc", issuer: "https://cognito-idp.eu-west-3.amazonaws.com/pool" },
    });
    expect(cognito.auth).toMatchObject({ domain: "https://x.auth.eu-west-3.amazoncognito.com", scopes: ["openid", "email", "profile"] });
  });
  it("refuses a config without the API or with an unknown sign-in", () => {
    expect(() => parseConfig({ auth: { mode: "dev" } })).toThrow();
    expect(() => parseConfig({ apiUrl: "/graphql", auth: { mode: "saml" } })).toThrow();
  });
});
