// A SIREN (French company number) is 9 digits whose last is a Luhn check digit, as INSEE issues them
// and as the API checks (domain/customers.py): checked as the user types, before anything is sent.

export type SirenCheck = "empty" | "incomplete" | "invalid" | "valid";

export function normaliseSiren(value: string): string {
  return value.replace(/[\s.]/g, "");
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    total += digit;
  }
  return total % 10 === 0;
}

export function checkSiren(value: string): SirenCheck {
  const digits = normaliseSiren(value);
  if (digits === "") return "empty";
  if (!/^\d*$/.test(digits) || digits.length > 9) return "invalid";
  if (digits.length < 9) return "incomplete";
  return luhnValid(digits) ? "valid" : "invalid";
}
