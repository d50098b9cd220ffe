// The bearer token of this tab (sessionStorage: it ends with the tab, and is not shared with other
// sites). On `channelfin dev` it is a dev token from `/?token=` or the sign-in page; in AWS the ID
// token Cognito issued after the authorization-code flow.
const KEY = "channelfin.token";

export function readToken(): string | null {
  try {
    const token = sessionStorage.getItem(KEY);
    return token && !isExpired(token) ? token : null;
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The claims of a JWT, unverified: only to know when it expires (the API checks the signature). */
export function claimsOf(token: string): Record<string, unknown> | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function isExpired(token: string, now: number = Date.now()): boolean {
  const exp = claimsOf(token)?.exp;
  return typeof exp === "number" && exp * 1000 <= now;
}

/** `/?token=…` signs in with that token, then takes it out of the address bar and the history. */
export function takeTokenFromUrl(location: Location, history: History): boolean {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (!token) return false;
  saveToken(token);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
  return true;
}
