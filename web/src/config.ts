// The runtime configuration, fetched from /config.json at start, never baked into the build: the same
// files run on `channelfin dev` (which serves its own config.json) and in AWS (CloudFront answers
// config.json with the values of the deployed stack, see serverless.yml).

/** Where Cognito sends the browser back with the authorization code. */
export const CALLBACK_PATH = "/auth/callback";

export type DevAuth = { mode: "dev" };
export type CognitoAuth = {
  mode: "cognito";
  /** The hosted sign-in domain, e.g. https://channelfin-dev.auth.eu-west-3.amazoncognito.com */
  domain: string;
  clientId: string;
  /** The user pool's issuer, https://cognito-idp.<region>.amazonaws.com/<pool id> */
  issuer: string;
  scopes?: string[];
};
export type AppConfig = { apiUrl: string; auth: DevAuth | CognitoAuth };

export function parseConfig(raw: unknown): AppConfig {
  const value = raw as Partial<AppConfig> | null;
  if (!value || typeof value.apiUrl !== "string" || !value.auth) throw new Error("config.json: apiUrl and auth are required");
  const auth = value.auth as Partial<Omit<CognitoAuth, "mode">> & { mode?: string };
  if (auth.mode === "dev") return { apiUrl: value.apiUrl, auth: { mode: "dev" } };
  if (auth.mode === "cognito" && auth.domain && auth.clientId && auth.issuer) {
    return {
      apiUrl: value.apiUrl,
      auth: { mode: "cognito", domain: auth.domain.replace(/\/$/, ""), clientId: auth.clientId, issuer: auth.issuer, scopes: auth.scopes ?? ["openid", "email", "profile"] },
    };
  }
  throw new Error(`config.json: unknown auth mode ${String(auth.mode)}`);
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return parseConfig(await response.json());
}
