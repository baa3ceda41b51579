// Apollo Client with its persisted-queries link against the real server: runs one query twice
// and prints, as JSON, every HTTP exchange the client made (tests/apq/test_apollo_client.py).
// Usage: node apq.mjs <graphql url> get|post
import { createHash } from "node:crypto";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const [url, mode] = process.argv.slice(2);
const exchanges = [];

// Records each request and its answer, then hands the client the answer untouched.
async function recordingFetch(input, init = {}) {
  const response = await fetch(input, init);
  const body = await response.clone().json();
  const sent = new URL(String(input));
  const params = Object.fromEntries(sent.searchParams);
  const request = init.body ? JSON.parse(init.body) : params;
  const extensions =
    typeof request.extensions === "string" ? JSON.parse(request.extensions) : request.extensions;
  exchanges.push({
    method: init.method ?? "GET",
    sentQuery: typeof request.query === "string" && request.query.length > 0,
    sha256Hash: extensions?.persistedQuery?.sha256Hash ?? null,
    variables:
      typeof request.variables === "string" ? JSON.parse(request.variables) : request.variables,
    status: response.status,
    codes: (body.errors ?? []).map((error) => error.extensions?.code ?? null),
    data: body.data ?? null,
  });
  return response;
}

const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: new PersistedQueryLink({
    sha256: (text) => createHash("sha256").update(text).digest("hex"),
    useGETForHashedQueries: mode === "get",
  }).concat(new HttpLink({ uri: url, fetch: recordingFetch })),
});

// A name per mode, so the two runs register different documents.
const query = gql(`
  query Products${mode.toUpperCase()}($first: Int!) {
    products(first: $first) { edges { node { title } } }
  }
`);
const results = [];
for (let run = 0; run < 2; run++) {
  const result = await client.query({
    query,
    variables: { first: 5 },
    fetchPolicy: "network-only", // both runs go to the server, not to the client's cache
  });
  results.push(result.data);
}
console.log(JSON.stringify({ exchanges, results }));
