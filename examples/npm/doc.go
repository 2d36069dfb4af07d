// Package npm shows popular npm WebSocket client libraries running unmodified in wsjs:
// graphql-ws, socket.io-client and partysocket, each bundled from node_modules with its
// browser entry points and run against its own real server in node. The directory holds
// the package.json and lockfile, and for each library a client.ts that wsjs runs and a
// server.cjs that node runs (socket.io also has upgrade.ts, for its default transports:
// long-polling through XMLHttpRequest, then WebSocket); the test installs the packages
// with npm ci into a cache directory, starts each server on loopback and checks both
// sides of the conversation.
package npm
