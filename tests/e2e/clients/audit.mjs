// The GraphQL-over-HTTP spec's audit suite (npm graphql-http, `serverAudits`) against a running
// `channelfin dev`: node tests/e2e/clients/audit.mjs URL TOKEN. Prints one JSON line per audit:
// {id, name, status: "ok" | "warn" | "error", reason}. Every request carries the bearer token.
import { serverAudits } from "graphql-http";

const [url, token] = process.argv.slice(2);
const authorized = (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } });

const results = [];
for (const audit of serverAudits({ url, fetchFn: authorized })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
