// The WebSocket API against the echo server that `make demo` (examples/demo/main.go)
// starts on loopback. The API base URL is that server's http: URL, so "/echo" resolves
// against it and its http: scheme becomes ws: (the WebSocket constructor,
// https://websockets.spec.whatwg.org/#dom-websocket-websocket).

/** next resolves with the next event of the given type that ws fires. */
function next<K extends keyof WebSocketEventMap>(ws: WebSocket, type: K): Promise<WebSocketEventMap[K]> {
  return new Promise((resolve) => ws.addEventListener(type, resolve, { once: true }));
}

/** inbox queues the data of every message ws receives; receive() takes the oldest. */
function inbox(ws: WebSocket): { receive(): Promise<any> } {
  const queued: any[] = [];
  const waiting: ((data: any) => void)[] = [];
  ws.addEventListener("message", (e) => (waiting.length ? waiting.shift()!(e.data) : queued.push(e.data)));
  return { receive: () => (queued.length ? Promise.resolve(queued.shift()) : new Promise((r) => waiting.push(r))) };
}

/** drained resolves once everything sent has been handed to the network. */
async function drained(ws: WebSocket): Promise<void> {
  while (ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 1));
}

const states = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
const state = (ws: WebSocket) => `readyState ${ws.readyState} (${states[ws.readyState]})`;

// Connect, offering two subprotocols; the server picks one.
const ws = new WebSocket("/echo", ["demo.v1", "chat"]);
console.log(`new WebSocket("/echo"): url ${ws.url}, ${state(ws)}`);
try {
  ws.send("too early");
} catch (e) {
  console.log(`send() before open throws ${(e as DOMException).name}`);
}
const messages = inbox(ws);
await next(ws, "open");
console.log(`open: protocol "${ws.protocol}", extensions "${ws.extensions}", ${state(ws)}`);

// Text messages come back as strings.
ws.send("hello, echo");
console.log(`text: ${JSON.stringify(await messages.receive())}`);

// Binary messages come back as an ArrayBuffer or a Blob, as binaryType says when they arrive.
ws.binaryType = "arraybuffer";
ws.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
const buffer: ArrayBuffer = await messages.receive();
console.log(`binary as ${Object.prototype.toString.call(buffer)}: [${new Uint8Array(buffer).join(", ")}]`);

ws.binaryType = "blob";
ws.send(new Blob(["a Blob made of ", new Uint8Array([0x70, 0x61, 0x72, 0x74, 0x73])]));
const blob: Blob = await messages.receive();
console.log(`binary as ${Object.prototype.toString.call(blob)}: ${blob.size} bytes, text ${JSON.stringify(await blob.text())}`);

// bufferedAmount counts the UTF-8 bytes sent but not yet handed to the network; it
// changes only between tasks, so it holds still while a task runs.
await drained(ws);
ws.binaryType = "arraybuffer";
ws.send("héllo");
console.log(`bufferedAmount after send("héllo"): ${ws.bufferedAmount} (é takes 2 bytes)`);
const big = new Uint8Array(4 << 20).fill(42);
ws.send(big);
console.log(`bufferedAmount after sending 4 MiB more: ${ws.bufferedAmount}`);
await drained(ws);
console.log(`bufferedAmount once written: ${ws.bufferedAmount}`);
const echoes = [await messages.receive(), await messages.receive()];
console.log(`echoed: ${JSON.stringify(echoes[0])} and ${echoes[1].byteLength} bytes`);

// close() checks its arguments first: only 1000 and 3000-4999, a reason of at most 123 bytes.
const badCloses: [string, () => void][] = [
  ["close(1001)", () => ws.close(1001)],
  ["close(1000, 124 × \"x\")", () => ws.close(1000, "x".repeat(124))],
];
for (const [what, f] of badCloses) {
  try {
    f();
  } catch (e) {
    console.log(`${what} throws ${(e as DOMException).name}`);
  }
}

// Closing: the code and reason travel to the server and back.
ws.close(1000, "bye for now");
console.log(`close(1000, "bye for now"): ${state(ws)}`);
const closed = await next(ws, "close");
console.log(`close event: code ${closed.code}, reason "${closed.reason}", wasClean ${closed.wasClean}, ${state(ws)}`);

// URLs the constructor refuses, before any connection is tried.
for (const url of ["/echo#fragment", "ftp://127.0.0.1/", "ws://[::1"]) {
  try {
    new WebSocket(url);
  } catch (e) {
    console.log(`new WebSocket(${JSON.stringify(url)}) throws ${(e as DOMException).name}`);
  }
}

// A handshake the server refuses fails the connection: error, then close with 1006.
const refused = new WebSocket("/missing");
refused.onerror = (e) => console.log(`${refused.url}: ${e.type} event`);
const failed = await next(refused, "close");
console.log(`${refused.url}: close event, code ${failed.code}, wasClean ${failed.wasClean}`);
