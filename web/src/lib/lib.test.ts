import { describe, expect, it } from "vitest";
import { checkSiren, luhnValid } from "./siren";
import { toCsv } from "./csv";
import { formatDate, formatMoney } from "../i18n/format";
import { decimalInput } from "../pages/Calculator";
import { saleYear } from "../pages/Enrolments";

const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("SIREN check digit", () => {
  it("accepts the SIRENs of the tests and seed data", () => {
    expect(checkSiren("732 829 320")).toBe("valid");
    expect(checkSiren("552100554")).toBe("valid");
  });
  it("flags a wrong check digit once nine digits are typed, not before", () => {
    expect(checkSiren("732 829 32")).toBe("incomplete");
    expect(checkSiren("732 829 321")).toBe("invalid");
    expect(checkSiren("73282932O")).toBe("invalid");
    expect(checkSiren("")).toBe("empty");
  });
  it("is Luhn", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });
});

describe("amounts and dates per locale", () => {
  it("gives DESIGN 2's worked example in French and English", () => {
    expect(spaces(formatMoney({ amount: "33035.37", currency: "EUR" }, "fr"))).toBe("33 035,37 €");
    expect(formatMoney({ amount: "33035.37", currency: "EUR" }, "en")).toBe("€33,035.37");
  });
  it("formats the exact decimal string, never through a float", () => {
    expect(formatMoney({ amount: "12345678901234567.89", currency: "EUR" }, "en")).toBe("€12,345,678,901,234,567.89");
  });
  it("reads a bare date as that calendar day", () => {
    expect(spaces(formatDate("2027-01-01", "fr"))).toBe("1 janv. 2027");
    expect(formatDate("2027-01-01", "en")).toBe("1 Jan 2027");
  });
  it("takes amounts as typed in either language", () => {
    expect(decimalInput("1 000,50")).toBe("1000.50");
    expect(decimalInput("1,000.50")).toBe("1000.50");
    expect(decimalInput("1000")).toBe("1000");
  });
});

describe("CSV export", () => {
  it("uses ; in French and quotes what needs it", () => {
    const csv = toCsv(["a", "b"], [["1,5", 'dit "oui"'], ["x;y", "z"]], "fr");
    expect(csv).toBe('\uFEFFa;b\r\n1,5;"dit ""oui"""\r\n"x;y";z\r\n');
  });
  it("uses , in English", () => {
    expect(toCsv(["a"], [["1,5"]], "en")).toBe('\uFEFFa\r\n"1,5"\r\n');
  });
});

describe("sales of a year", () => {
  it("counts a sale when the sale contract was signed, and not once cancelled", () => {
    const timeline = [
      { status: "AWAITING_SIGNATURES" as const, at: "2026-12-30T10:00:00Z" },
      { status: "AWAITING_DELIVERY" as const, at: "2027-01-02T10:00:00Z" },
    ];
    expect(saleYear({ status: "ACTIVE", timeline })).toBe(2027);
    expect(saleYear({ status: "CANCELLED", timeline })).toBeNull();
    expect(saleYear({ status: "AWAITING_SIGNATURES", timeline: timeline.slice(0, 1) })).toBeNull();
  });
});
