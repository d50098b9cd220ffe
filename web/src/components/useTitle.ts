import { useEffect } from "react";
import { useI18n } from "../i18n/i18n";

/** The document's title follows the page's heading, so a screen reader and the tab say where one is. */
export function useTitle(title: string) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} — ${t("appName")}`;
  }, [title, t]);
}
