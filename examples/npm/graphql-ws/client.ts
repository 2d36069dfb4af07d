// graphql-ws's browser client, unmodified, speaking the GraphQL over WebSocket protocol
// with server.cjs through wsjs's WebSocket. Run: wsjs run client.ts ws://127.0.0.1:PORT/graphql
import { createClient, type ExecutionResult } from "graphql-ws";

declare const wsjs: { args: string[] };
const print = (...v: unknown[]) => console.log(v.map((x) => JSON.stringify(x)).join(" "));

const client = createClient({
  url: wsjs.args[0],
  connectionParams: { client: "wsjs" },
  lazy: false, // one connection for every operation, opened at once
  retryAttempts: 0,
  on: {
    connected: (socket) => print("connected", (socket as WebSocket).protocol),
    closed: (event) => print("closed", (event as CloseEvent).code, (event as CloseEvent).wasClean),
  },
});

// query runs one operation and resolves with its single result.
function query(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult;
    client.subscribe({ query, variables }, {
      next: (r) => (result = r),
      error: reject,
      complete: () => resolve(result),
    });
  });
}

print("reverse", await query("query ($t: String!) { reverse(text: $t) }", { t: "wsjs → graphql" }));
print("header", await query(`{ header(name: "X-Wsjs-Run") }`));

for await (const r of client.iterate({ query: "subscription { countdown(from: 3) }" })) {
  print("countdown", r);
}

try {
  await query("{ nope }");
} catch (errors) {
  print("rejected", (errors as { message: string }[]).map((e) => e.message));
}

await client.dispose();
