// The GraphQL client (urql): the bearer token on every request, no cache shared between users, and
// a 401 taken as "sign in again".
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
      fetchExchange,
    ],
    fetchOptions: () => {
      const bearer = token();
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      return { headers };
    },
  });
}
