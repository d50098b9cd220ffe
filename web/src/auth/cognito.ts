// Cognito's hosted sign-in: the authorization-code flow with PKCE (RFC 7636), through oauth4webapi
// (a small, maintained, standards-checked OAuth library) rather than hand-written crypto. Loaded only
// when config.json says `cognito`, so a dev build's first page does not carry it.
import * as oauth from "oauth4webapi";
import { CALLBACK_PATH, type CognitoAuth } from "../config";

const PENDING_KEY = "channelfin.pkce";

function server(auth: CognitoAuth): oauth.AuthorizationServer {
  return {
    issuer: auth.issuer,
    authorization_endpoint: `${auth.domain}/oauth2/authorize`,
    token_endpoint: `${auth.domain}/oauth2/token`,
  };
}

export function redirectUri(origin: string): string {
  return `${origin}${CALLBACK_PATH}`;
}

/** Where to send the browser to sign in; the verifier and state wait in sessionStorage. */
export async function authorizationUrl(auth: CognitoAuth, origin: string, returnTo: string, storage: Storage): Promise<URL> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(server(auth).authorization_endpoint!);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", auth.clientId);
  url.searchParams.set("redirect_uri", redirectUri(origin));
  url.searchParams.set("scope", (auth.scopes ?? ["openid"]).join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url;
}

/** Back from the hosted page: exchange the code (with the verifier) for tokens; the ID token carries the partner. */
export async function completeSignIn(
  auth: CognitoAuth,
  current: URL,
  storage: Storage,
): Promise<{ idToken: string; returnTo: string }> {
  const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? "null") as { verifier: string; state: string; returnTo: string } | null;
  storage.removeItem(PENDING_KEY);
  if (!pending) throw new Error("no sign-in in progress");
  const as = server(auth);
  const client: oauth.Client = { client_id: auth.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(current.origin),
    pending.verifier,
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
  if (!result.id_token) throw new Error("Cognito returned no ID token");
  return { idToken: result.id_token, returnTo: pending.returnTo || "/" };
}

export function logoutUrl(auth: CognitoAuth, origin: string): URL {
  const url = new URL(`${auth.domain}/logout`);
  url.searchParams.set("client_id", auth.clientId);
  url.searchParams.set("logout_uri", `${origin}/`);
  return url;
}
