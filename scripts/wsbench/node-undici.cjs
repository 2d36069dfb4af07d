// Preload for Node: undici's WebSocket as the WebSocket global (NODE_PATH names where it is).
globalThis.WebSocket = require("undici").WebSocket;
