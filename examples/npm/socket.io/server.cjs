// A Socket.IO server for client.ts and upgrade.ts, run by node. It accepts the WebSocket
// transport only (no HTTP long-polling), or with the argument "polling" both, as by
// default. It listens on a free loopback port, prints {"port":N}, then one JSON line per
// event, and exits when its standard input closes.
"use strict";
const { createServer } = require("node:http");
const { Server } = require("socket.io");

const print = (v) => console.log(JSON.stringify(v));

const httpServer = createServer();
const transports = process.argv[2] === "polling" ? ["polling", "websocket"] : ["websocket"];
const io = new Server(httpServer, { transports });

// A new Engine.IO connection: its first transport, and the upgrade to WebSocket.
io.engine.on("connection", (conn) => {
  print({ event: "engine", transport: conn.transport.name });
  conn.once("upgrade", (t) => print({ event: "upgrade", transport: t.name }));
});

io.on("connection", (socket) => {
  const h = socket.handshake.headers;
  print({ event: "connection", id: socket.id, transport: socket.conn.transport.name, origin: h.origin, run: h["x-wsjs-run"], auth: socket.handshake.auth });
  socket.emit("welcome", { id: socket.id });

  // Acknowledged events: the callback's arguments travel back to the client.
  socket.on("echo", (value, ack) => {
    print({ event: "echo", value });
    ack(value);
  });
  socket.on("reverse", (bytes, ack) => {
    print({ event: "reverse", bytes: [...bytes] });
    ack(Buffer.from(bytes).reverse());
  });
  socket.on("blob", (bytes, ack) => {
    print({ event: "blob", text: bytes.toString("utf8") });
    ack(bytes.length);
  });
  socket.on("room", async (room, ack) => {
    await socket.join(room);
    io.to(room).emit("announce", `${socket.id} joined ${room}`);
    ack((await io.in(room).fetchSockets()).length);
  });
  socket.on("bye", () => socket.disconnect(true));
  socket.on("disconnect", (reason) => print({ event: "disconnect", reason }));
});

httpServer.listen(0, "127.0.0.1", () => print({ port: httpServer.address().port }));
process.stdin.on("end", () => process.exit(0)).resume();
