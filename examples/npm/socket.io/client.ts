// socket.io-client, unmodified, on its WebSocket transport through wsjs's WebSocket,
// against server.cjs. Run: wsjs run client.ts http://127.0.0.1:PORT
import { io } from "socket.io-client";

declare const wsjs: { args: string[] };
const print = (...v: unknown[]) => console.log(v.map((x) => JSON.stringify(x)).join(" "));

const socket = io(wsjs.args[0], {
  transports: ["websocket"],
  auth: { user: "wsjs" },
  reconnection: false,
});
socket.on("connect_error", (err) => print("connect_error", err.message));
socket.on("announce", (text: string) => print("announce", text));

const welcome = await new Promise<{ id: string }>((resolve) => socket.once("welcome", resolve));
print("welcome", welcome.id, welcome.id === socket.id, socket.io.engine.transport.name);

print("echo", await socket.emitWithAck("echo", { text: "héllo", list: [1, 2.5, null], nested: { ok: true } }));

// Binary data goes out as a binary WebSocket message and comes back as an ArrayBuffer.
const reversed: ArrayBuffer = await socket.emitWithAck("reverse", new Uint8Array([1, 2, 3, 250]));
print("reverse", Object.prototype.toString.call(reversed), [...new Uint8Array(reversed)]);

// A Blob is sent as is: the WebSocket reads its bytes.
print("blob", await socket.emitWithAck("blob", new Blob(["blob ", "bytes"])));

print("room", await socket.emitWithAck("room", "lobby"));

const reason = await new Promise<string>((resolve) => {
  socket.once("disconnect", resolve);
  socket.emit("bye");
});
print("disconnect", reason, socket.connected);
