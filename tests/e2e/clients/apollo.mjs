// Apollo Client 4 with the automatic persisted queries link, hashed queries over GET, against a
// running `channelfin dev`: node tests/e2e/clients/apollo.mjs URL TOKEN. It lists contracts twice
// (network-only) and prints {pages, requests}: what each list returned and every HTTP request
// sent (method, whether the URL or body carried the query text, the persisted query's hash).
// README's "For client developers" shows the same client.
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const [url, token] = process.argv.slice(2);
const requests = [];

async function recordingFetch(input, init = {}) {
  const target = new URL(String(input));
  const body = init.body ? JSON.parse(init.body) : {};
  const extensions = target.searchParams.get("extensions") ?? JSON.stringify(body.extensions ?? {});
  requests.push({
    method: init.method ?? "GET",
    sentQuery: target.searchParams.has("query") || "query" in body,
    hash: JSON.parse(extensions).persistedQuery?.sha256Hash ?? null,
  });
  return fetch(input, init);
}

const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: new PersistedQueryLink({
    sha256: (text) => createHash("sha256").update(text).digest("hex"),
    useGETForHashedQueries: true,
  }).concat(new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, fetch: recordingFetch })),
});

const CONTRACTS = gql`
  query Contracts($first: Int!) {
    contracts(first: $first) {
      edges {
        node {
          id
          status
          customer {
            name
          }
        }
      }
    }
  }
`;

const pages = [];
for (let time = 0; time < 2; time++) {
  const { data } = await client.query({ query: CONTRACTS, variables: { first: 10 }, fetchPolicy: "network-only" });
  pages.push(data.contracts.edges.map((edge) => edge.node.customer.name));
}
console.log(JSON.stringify({ pages, requests }));
