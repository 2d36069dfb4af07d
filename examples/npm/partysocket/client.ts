// partysocket, unmodified: a reconnecting WebSocket built on the global WebSocket and
// EventTarget, against server.cjs, which drops the first connection. Run:
// wsjs run client.ts 127.0.0.1:PORT
import { PartySocket } from "partysocket";

declare const wsjs: { args: string[] };
const print = (...v: unknown[]) => console.log(v.map((x) => JSON.stringify(x)).join(" "));

const socket = new PartySocket({
  host: wsjs.args[0],
  protocol: "ws",
  room: "lobby",
  minReconnectionDelay: 10,
  maxReconnectionDelay: 50,
  connectionTimeout: 20_000, // rather than 4 s, which a busy machine can exceed
});

let opens = 0;
socket.addEventListener("open", () => {
  opens++;
  print("open", opens, socket.readyState === WebSocket.OPEN, new URL(socket.url).pathname);
  socket.send(`ping ${opens}`);
});
socket.addEventListener("message", (e: MessageEvent) => {
  print("message", e.data);
  if (opens === 2) socket.close(1000, "done");
});
// onclose rather than a close listener: for a close the script asks for, listeners get a
// copy of partysocket's own CloseEvent that its browser code path builds as
// new e.constructor(e.type, e), which that class reads as (code, reason), in any browser.
socket.onclose = (e: CloseEvent) => print("close", e.code, e.reason);
