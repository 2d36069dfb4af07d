// socket.io-client, unmodified, with its default transports against server.cjs run with
// the argument "polling": it connects with HTTP long-polling through XMLHttpRequest, then
// upgrades to WebSocket. Run: wsjs run upgrade.ts http://127.0.0.1:PORT
import { io } from "socket.io-client";

declare const wsjs: { args: string[] };
const print = (...v: unknown[]) => console.log(v.map((x) => JSON.stringify(x)).join(" "));

const socket = io(wsjs.args[0], { reconnection: false });
socket.on("connect_error", (err) => print("connect_error", err.message));
const upgraded = new Promise<string>((resolve) => socket.io.engine.once("upgrade", (t) => resolve(t.name)));
const welcome = await new Promise<{ id: string }>((resolve) => socket.once("welcome", resolve));
print("welcome", welcome.id, welcome.id === socket.id);

print("upgrade", await upgraded);
print("echo", await socket.emitWithAck("echo", "over " + socket.io.engine.transport.name));

const reason = await new Promise<string>((resolve) => {
  socket.once("disconnect", resolve);
  socket.emit("bye");
});
print("disconnect", reason);
