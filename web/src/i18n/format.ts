// Amounts and dates in the chosen locale, through Intl. Amounts are the API's exact decimal strings:
// Intl.NumberFormat formats a numeric string exactly (no float on the way).
import type { Lang } from "./errorMessages";

export const LOCALES: Record<Lang, string> = { fr: "fr-FR", en: "en-GB" };

type Amount = { amount: string; currency: string };

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(money: Amount | null | undefined, lang: Lang): string {
  if (!money) return "—";
  const key = `${lang}|${money.currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], { style: "currency", currency: money.currency });
    moneyFormats.set(key, format);
  }
  return format.format(money.amount as `${number}`);
}

/** A decimal string for CSV: no grouping, the locale's decimal separator. */
export function plainDecimal(amount: string, lang: Lang): string {
  return lang === "fr" ? amount.replace(".", ",") : amount;
}

export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return "—";
  // A bare date is a calendar day: read it as such, not as UTC midnight shifted by the time zone.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium" }).format(date);
}

export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function formatPercent(fraction: string, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: "percent", maximumFractionDigits: 2 }).format(
    fraction as `${number}`,
  );
}
