// Runs graphql-http's GraphQL-over-HTTP server audit against the URL given as the only
// argument and prints one JSON array of {id, name, status, reason} (status: ok, notice for a
// failed MAY, warn for a failed SHOULD, error for a failed MUST). The Python test that starts
// the server (tests/core/test_graphql_over_http.py) judges the results; this only reports them.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}
const results = await auditServer({ url });
const report = results.map(({ id, name, status, reason }) => ({ id, name, status, reason }));
process.stdout.write(JSON.stringify(report) + '\n');
