// Signing in: on `channelfin dev`, paste a dev token (or open `/?token=…`); in AWS, Cognito's hosted page.
import { useState, type FormEvent } from "react";
import type { AppConfig } from "../config";
import { useI18n } from "../i18n/i18n";
import { Alert } from "../components/ui";
import { useTitle } from "../components/useTitle";

export function SignIn({ config, onToken, failure }: { config: AppConfig; onToken: (token: string) => void; failure?: string }) {
  const { t, lang, setLang } = useI18n();
  const [token, setToken] = useState("");
  useTitle(t("signInTitle"));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  const cognito = async () => {
    if (config.auth.mode !== "cognito") return;
    const { authorizationUrl } = await import("../auth/cognito");
    const url = await authorizationUrl(config.auth, location.origin, location.pathname, sessionStorage);
    location.assign(url.toString());
  };
  return (
    <main id="main" className="signin">
      <h1>{t("signInTitle")}</h1>
      <p>
        <label className="lang">
          <span>{t("language")}</span>{" "}
          <select value={lang} onChange={(e) => setLang(e.currentTarget.value === "en" ? "en" : "fr")}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
      </p>
      {failure && <Alert>{`${t("signInFailed")} ${failure}`}</Alert>}
      {config.auth.mode === "cognito" ? (
        <>
          <p>{t("signInCognitoIntro")}</p>
          <button type="button" onClick={() => void cognito()}>
            {t("signInCognito")}
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <p>{t("signInIntro")}</p>
          <label htmlFor="token">{t("tokenLabel")}</label>
          <textarea id="token" name="token" rows={4} value={token} onChange={(e) => setToken(e.currentTarget.value)} required />
          <button type="submit">{t("signInSubmit")}</button>
        </form>
      )}
    </main>
  );
}
