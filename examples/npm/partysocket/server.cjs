// A plain WebSocket server (the ws package) for client.ts, run by node. It answers each
// message with "conn N: <message>" and closes the first connection with code 4000 once
// it has answered, so that the client has to reconnect. It listens on a free loopback
// port, prints {"port":N}, then one JSON line per event, and exits when its standard
// input closes.
"use strict";
const { WebSocketServer } = require("ws");

const print = (v) => console.log(JSON.stringify(v));

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
let conns = 0;
wss.on("connection", (ws, req) => {
  const conn = ++conns;
  print({ event: "open", conn, url: req.url, origin: req.headers.origin, run: req.headers["x-wsjs-run"] });
  ws.on("message", (data, isBinary) => {
    const text = data.toString("utf8");
    print({ event: "message", conn, text, isBinary });
    ws.send(`conn ${conn}: ${text}`);
    if (conn === 1) ws.close(4000, "go away");
  });
  ws.on("close", (code, reason) => print({ event: "close", conn, code, reason: reason.toString("utf8") }));
});
wss.on("listening", () => print({ port: wss.address().port }));
process.stdin.on("end", () => process.exit(0)).resume();
