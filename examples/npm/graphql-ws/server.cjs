// A GraphQL over WebSocket server for client.ts: graphql-ws on the ws package, run by
// node. It listens on a free loopback port, prints {"port":N}, then one JSON line per
// protocol event, and exits when its standard input closes.
"use strict";
const { WebSocketServer } = require("ws");
const { useServer } = require("graphql-ws/use/ws");
const { buildSchema } = require("graphql");

const print = (v) => console.log(JSON.stringify(v));

const schema = buildSchema(`
  type Query {
    reverse(text: String!): String!
    header(name: String!): String
  }
  type Subscription {
    countdown(from: Int!): Int!
  }
`);

const roots = {
  query: {
    reverse: ({ text }) => [...text].reverse().join(""),
    header: ({ name }, { request }) => request.headers[name.toLowerCase()] ?? null,
  },
  subscription: {
    countdown: async function* ({ from }) {
      for (let i = from; i > 0; i--) yield { countdown: i };
    },
  },
};

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/graphql" });
useServer(
  {
    schema,
    roots,
    context: (ctx) => ({ request: ctx.extra.request }),
    onConnect: (ctx) => {
      const h = ctx.extra.request.headers;
      print({ event: "connect", protocol: ctx.extra.socket.protocol, origin: h.origin, run: h["x-wsjs-run"], params: ctx.connectionParams });
    },
    onSubscribe: (_ctx, id, payload) => {
      print({ event: "subscribe", query: payload.query.replace(/\s+/g, " ").trim() });
    },
    onComplete: () => print({ event: "complete" }),
    onClose: (_ctx, code, reason) => print({ event: "close", code, reason: String(reason) }),
  },
  wss,
);
wss.on("listening", () => print({ port: wss.address().port }));
process.stdin.on("end", () => process.exit(0)).resume();
