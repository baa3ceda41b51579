// A graphql-ws client (the library browsers and node apps use) for tests/subscriptions: it
// connects to the WebSocket URL given as the first argument, subscribes to one operation and
// prints what happens as JSON lines on stdout, flushed as they come:
//   {"event":"connected"}                          connection_ack received
//   {"event":"ready"}                              the subscription receives events (below)
//   {"event":"next","payload":{"data":…}}          one result of the subscription
//   {"event":"error","errors":[…]}                 the subscription was refused or failed
//   {"event":"complete"}                           the server completed it
//   {"event":"closed","code":4401,"reason":"…"}    the socket closed; the script then exits
// The second argument is a JSON object: {"query", "variables", "authorization"}. The Python
// test judges the lines; this only reports them. It exits once the socket closes or on SIGTERM.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, spec] = process.argv.slice(2);
if (!url || !spec) {
  console.error('usage: node subscribe.mjs ws://127.0.0.1:PORT/graphql \'{"query": "…"}\'');
  process.exit(2);
}
const { query, variables, authorization } = JSON.parse(spec);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: authorization ? { authorization } : {},
  lazy: false,
  retryAttempts: 0,
  shouldRetry: () => false,
  on: {
    connected: () => print({ event: 'connected' }),
    closed: (event) => {
      print({ event: 'closed', code: event?.code, reason: event?.reason?.toString() });
      process.exit(0);
    },
  },
});

client.subscribe(
  { query, variables },
  {
    next: (payload) => print({ event: 'next', payload }),
    error: (error) => {
      if (Array.isArray(error)) print({ event: 'error', errors: error });
      // A close event reaches `closed` above as well; anything else is reported here.
      else if (!(error && typeof error.code === 'number')) print({ event: 'error', errors: [String(error)] });
    },
    complete: () => print({ event: 'complete' }),
  },
);

// graphql-transport-ws acknowledges no subscription. The server reads a connection's messages
// in order and a `subscribe` only once its subscription is in place, so the answer to a query
// sent after it says the subscription now receives events: a test may make its change then.
client.subscribe(
  { query: 'query Ready { __typename }' },
  { next: () => print({ event: 'ready' }), error: () => {}, complete: () => {} },
);

process.on('SIGTERM', () => {
  client.dispose();
  process.exit(0);
});
