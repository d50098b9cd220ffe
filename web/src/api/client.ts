// The GraphQL client (urql): the bearer token on every request, no cache shared between users, a 401
// taken as "sign in again", and queries sent by hash (the API's automatic persisted queries: the
// text travels once, on a miss; GET when the URL is short enough). The hashes are those of
// dist/persisted-documents.json (scripts/persisted-documents.mjs), so a stage running only trusted
// documents accepts them.
import { persistedExchange } from "@urql/exchange-persisted";
import { Client, cacheExchange, fetchExchange, mapExchange } from "urql";

export function createClient(apiUrl: string, token: () => string | null, onUnauthenticated: () => void): Client {
  return new Client({
    url: apiUrl,
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      mapExchange({
        onError(error) {
          if ((error.response as Response | undefined)?.status === 401) onUnauthenticated();
        },
      }),
      cacheExchange,
      persistedExchange({ preferGetForPersistedQueries: "within-url-limit" }),
      fetchExchange,
    ],
    fetchOptions: () => {
      const bearer = token();
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      return { headers };
    },
  });
}
