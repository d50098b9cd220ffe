import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { authorizationUrl, completeSignIn, logoutUrl } from "./cognito";
import { claimsOf, isExpired } from "./session";
import type { CognitoAuth } from "../config";

const auth: CognitoAuth = {
  mode: "cognito",
  domain: "https://channelfin-dev.auth.eu-west-3.amazoncognito.com",
  clientId: "frontend-client",
  issuer: "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_pool",
  scopes: ["openid", "email", "profile"],
};

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const jwt = (claims: object) => `${b64url(JSON.stringify({ alg: "RS256" }))}.${b64url(JSON.stringify(claims))}.sig`;

describe("Cognito hosted sign-in, authorization code + PKCE", () => {
  it("sends the browser to the hosted page with an S256 challenge of a verifier it keeps", async () => {
    const storage = new MemoryStorage();
    const url = await authorizationUrl(auth, "https://extranet.example", "/contrats", storage);
    expect(url.origin + url.pathname).toBe(`${auth.domain}/oauth2/authorize`);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("client_id")).toBe("frontend-client");
    expect(url.searchParams.get("redirect_uri")).toBe("https://extranet.example/auth/callback");
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const pending = JSON.parse(storage.getItem("channelfin.pkce")!) as { verifier: string; state: string };
    expect(url.searchParams.get("state")).toBe(pending.state);
    expect(url.searchParams.get("code_challenge")).toBe(createHash("sha256").update(pending.verifier).digest("base64url"));
  });

  it("exchanges the code with the verifier and keeps the ID token", async () => {
    const storage = new MemoryStorage();
    const start = await authorizationUrl(auth, "https://extranet.example", "/paiements", storage);
    const { verifier } = JSON.parse(storage.getItem("channelfin.pkce")!) as { verifier: string };
    const now = Math.floor(Date.now() / 1000);
    const idToken = jwt({ iss: auth.issuer, aud: auth.clientId, sub: "u1", iat: now, exp: now + 3600, "custom:partner_id": "p1" });
    const fetchMock = vi.fn((_url: string | URL | Request, init?: RequestInit) => {
      const body = new URLSearchParams(init?.body as string);
      expect(body.get("grant_type")).toBe("authorization_code");
      expect(body.get("code")).toBe("the-code");
      expect(body.get("code_verifier")).toBe(verifier);
      expect(body.get("client_id")).toBe("frontend-client");
      return Promise.resolve(
        new Response(JSON.stringify({ access_token: "a", id_token: idToken, token_type: "Bearer", expires_in: 3600 }), {
          headers: { "content-type": "application/json" },
        }),
      );
    });
    vi.stubGlobal("fetch", fetchMock);
    try {
      const callback = new URL(`https://extranet.example/auth/callback?code=the-code&state=${start.searchParams.get("state")}`);
      const result = await completeSignIn(auth, callback, storage);
      expect(result).toEqual({ idToken, returnTo: "/paiements" });
      expect(new Request(fetchMock.mock.calls[0]![0]).url).toBe(`${auth.domain}/oauth2/token`);
      expect(storage.getItem("channelfin.pkce")).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("refuses a callback whose state is not the one sent", async () => {
    const storage = new MemoryStorage();
    await authorizationUrl(auth, "https://extranet.example", "/", storage);
    await expect(completeSignIn(auth, new URL("https://extranet.example/auth/callback?code=c&state=forged"), storage)).rejects.toThrow();
  });

  it("signs out at Cognito's logout endpoint", () => {
    expect(logoutUrl(auth, "https://extranet.example").toString()).toBe(
      `${auth.domain}/logout?client_id=frontend-client&logout_uri=https%3A%2F%2Fextranet.example%2F`,
    );
  });
});

describe("session tokens", () => {
  it("reads a token's expiry", () => {
    const token = jwt({ sub: "u", exp: 1000 });
    expect(claimsOf(token)).toMatchObject({ sub: "u" });
    expect(isExpired(token, 999_000)).toBe(false);
    expect(isExpired(token, 1_000_000)).toBe(true);
  });
});
