// Start: read the runtime configuration, find the session (a `?token=` on `channelfin dev`, the
// Cognito callback in AWS, or the token this tab already has), then show the app or the sign-in page.
import { StrictMode, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "urql";
import { App } from "./App";
import { createClient } from "./api/client";
import { clearToken, readToken, saveToken, takeTokenFromUrl } from "./auth/session";
import { CALLBACK_PATH, loadConfig, type AppConfig } from "./config";
import { I18nProvider } from "./i18n/i18n";
import { SignIn } from "./pages/SignIn";
import "./styles.css";

function Root({ config, failure }: { config: AppConfig; failure?: string }) {
  const [token, setToken] = useState<string | null>(readToken);
  const client = useMemo(
    () =>
      createClient(config.apiUrl, readToken, () => {
        clearToken();
        setToken(null);
      }),
    // A new client per token: nothing cached for one user is shown to the next.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [config.apiUrl, token],
  );
  const signOut = async () => {
    clearToken();
    setToken(null);
    if (config.auth.mode === "cognito") {
      const { logoutUrl } = await import("./auth/cognito");
      location.assign(logoutUrl(config.auth, location.origin).toString());
    }
  };
  if (!token) {
    return (
      <SignIn
        config={config}
        failure={failure}
        onToken={(value) => {
          saveToken(value);
          setToken(readToken() ?? null);
        }}
      />
    );
  }
  return (
    <Provider value={client}>
      <App onSignOut={() => void signOut()} />
    </Provider>
  );
}

async function start() {
  const root = createRoot(document.getElementById("root")!);
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    root.render(<p role="alert">{String(error)}</p>);
    return;
  }
  let failure: string | undefined;
  if (config.auth.mode === "dev") {
    takeTokenFromUrl(location, history);
  } else {
    if (location.pathname === CALLBACK_PATH) {
      const { completeSignIn } = await import("./auth/cognito");
      try {
        const { idToken, returnTo } = await completeSignIn(config.auth, new URL(location.href), sessionStorage);
        saveToken(idToken);
        history.replaceState(null, "", returnTo);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
        history.replaceState(null, "", "/");
      }
    }
  }
  root.render(
    <StrictMode>
      <I18nProvider>
        <Root config={config} failure={failure} />
      </I18nProvider>
    </StrictMode>,
  );
}

void start();
