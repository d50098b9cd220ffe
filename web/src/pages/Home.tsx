import { Link } from "wouter";
import { useTitle } from "../components/useTitle";
import { NAV } from "../components/Layout";
import { useViewer } from "../components/viewer";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Alert } from "../components/ui";

const BLURBS: Record<string, MessageKey> = {
  "/calculateur": "homeCalculator",
  "/contrats/nouveau": "homeNewContract",
  "/contrats": "homeContracts",
  "/paiements": "homePayments",
  "/programme": "homeEnrolment",
  "/encours": "homeCreditLines",
};

export function Home() {
  const { t } = useI18n();
  const viewer = useViewer();
  useTitle(t("homeTitle"));
  return (
    <>
      <h1>{t("homeTitle")}</h1>
      <p>{t("homeIntro")}</p>
      {!viewer.partner && <Alert tone="info">{t("noPartner")}</Alert>}
      <ul className="cards">
        {NAV.filter(([path]) => path !== "/").map(([path, key]) => (
          <li key={path} className="card">
            <h2>
              <Link href={path}>{t(key)}</Link>
            </h2>
            <p>{t(BLURBS[path] ?? key)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
