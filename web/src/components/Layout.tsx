// Every page's frame: a skip link, the header (the partner's name, the user's role, the language,
// sign-out) and the navigation, so every page is one click from any other.
import type { ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { useViewer } from "./viewer";

export const NAV: [path: string, key: MessageKey][] = [
  ["/", "navHome"],
  ["/calculateur", "navCalculator"],
  ["/contrats/nouveau", "navNewContract"],
  ["/contrats", "navContracts"],
  ["/paiements", "navPayments"],
  ["/programme", "navEnrolment"],
  ["/encours", "navCreditLines"],
];

function current(path: string, location: string): boolean {
  if (path === "/") return location === "/";
  if (path === "/contrats") return location === "/contrats" || (location.startsWith("/contrats/") && location !== "/contrats/nouveau");
  return location === path || location.startsWith(`${path}/`);
}

export function Layout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const { t, label, lang, setLang } = useI18n();
  const viewer = useViewer();
  const [location] = useLocation();
  const roles = viewer.roles.map(label).join(", ");
  return (
    <>
      <a className="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header className="top">
        <div className="brand">
          <Link href="/">channelfin</Link>
        </div>
        <div className="who" data-testid="who">
          <span className="partner" data-testid="partner-name">
            {viewer.partner?.name ?? "—"}
          </span>
          <span className="role" data-testid="user-role">
            {roles}
          </span>
        </div>
        <div className="tools">
          <label className="lang">
            <span>{t("language")}</span>
            <select value={lang} onChange={(e) => setLang(e.currentTarget.value === "en" ? "en" : "fr")} data-testid="language">
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" className="link" onClick={onSignOut}>
            {t("signOut")}
          </button>
        </div>
      </header>
      <nav aria-label={t("mainNav")} className="main-nav">
        <ul>
          {NAV.map(([path, key]) => (
            <li key={path}>
              <Link href={path} aria-current={current(path, location) ? "page" : undefined}>
                {t(key)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
