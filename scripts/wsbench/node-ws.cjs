// Preload for Node: the ws package as the WebSocket global (NODE_PATH names where it is).
globalThis.WebSocket = require("ws");
