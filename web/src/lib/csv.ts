// CSV as French and English spreadsheets open it: `;` and decimal commas in French, `,` in English,
// fields quoted when needed (RFC 4180), a byte-order mark so Excel reads UTF-8.
import type { Lang } from "../i18n/errorMessages";

export function csvField(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(header: string[], rows: string[][], lang: Lang): string {
  const separator = lang === "fr" ? ";" : ",";
  const lines = [header, ...rows].map((row) => row.map((field) => csvField(field, separator)).join(separator));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

export function downloadCsv(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
