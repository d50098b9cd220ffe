// The chosen language (French by default, English kept per browser in localStorage) and the
// formatters bound to it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { errorMessage, type Lang } from "./errorMessages";
import { formatDate, formatDateTime, formatMoney, formatPercent } from "./format";
import { ENUM_LABELS, MESSAGES, type MessageKey } from "./messages";

const STORAGE_KEY = "channelfin.lang";

export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "fr";
  } catch {
    return "fr";
  }
}

export function interpolate(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : text;
}

export type I18n = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  label: (value: string | null | undefined) => string;
  error: (code: string, fallback?: string) => string;
  money: (value: { amount: string; currency: string } | null | undefined) => string;
  date: (value: string | null | undefined) => string;
  dateTime: (value: string | null | undefined) => string;
  percent: (fraction: string) => string;
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => interpolate(MESSAGES[lang][key], vars),
      label: (v) => {
        if (!v) return "—";
        const pair = ENUM_LABELS[v];
        return pair ? pair[lang === "fr" ? 0 : 1] : v;
      },
      error: (code, fallback) => errorMessage(code, lang, fallback),
      money: (m) => formatMoney(m, lang),
      date: (d) => formatDate(d, lang),
      dateTime: (d) => formatDateTime(d, lang),
      percent: (f) => formatPercent(f, lang),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
