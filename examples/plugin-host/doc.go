// Command plugin-host is an HTTP server whose routes are TypeScript plugins,
// built on package runtime's plugin-host API.
//
// Each file directly in the plugins directory (-plugins) is a plugin named
// after the file: hello.ts serves /plugins/hello/. The host compiles each
// plugin once (runtime.Compile), starts it in a runtime of its own
// (Runtime.Start, which waits for the plugin's top-level await) and, for
// every request, calls the fetch method of its default export (Runtime.Call
// of "default.fetch") under a deadline:
//
//	export default {
//		async fetch(req) { return { status: 200, body: "hi " + req.query.name }; },
//	};
//
// req has method, path (below the plugin's prefix), query, headers and body;
// the result is a string, or an object with status, headers and body. A
// plugin may also export describe(), a function returning a string, which
// GET /plugins shows.
//
// What the host guarantees, whatever a plugin does:
//   - An exception or rejection is a 500 for that request, logged with its
//     stack in the plugin's sources; the plugin goes on serving. So are the
//     errors of its timers and event listeners (runtime.Options.OnError),
//     without a request.
//   - A request that runs past -timeout is a 504, and the plugin's runtime is
//     closed (its timers, sockets and message floods with it) and started
//     again from the compiled script for the next request. So is a runtime
//     that is broken (Runtime.Err: eventloop.ErrStaleFrames and the like).
//     A plugin inside a built-in that computes in Go when the deadline comes
//     (localeCompare of huge strings, say) holds the request a second past
//     it at most (runtime.Limits.InterruptGrace): its runtime is given up on
//     (runtime.ErrUnresponsive) and replaced, the built-in ending on its own.
//   - Scripts connect only to the hosts -allow lists, and never to private
//     networks but loopback (network.Policy.Allow).
//   - Timers, ArrayBuffers and sockets are bounded (runtime.Limits,
//     websocket.Options).
//   - The plugins -isolate names run in child processes (runtime/subprocess)
//     under -child-memory and -child-cpu: a child that crashes, is killed or
//     runs out of memory fails the request it serves (502), and the next
//     request starts a new one. A script whose heap passes a quarter of
//     -child-memory (runtime.Limits.HeapBytes) is interrupted first, with
//     the same outcome.
//
// Plugins import relative files, npm packages (from node_modules above the
// plugins directory and from -modules) and "host:kv", a key-value store the
// host provides in Go (runtime.Options.Modules). POST /reload/{name}
// recompiles a plugin and swaps it in, and the host also polls the plugins'
// files (-poll) and reloads those whose modification time or size changed;
// a plugin that fails to compile keeps its previous version serving.
// PUT /deploy/{name} compiles the request's body as a plugin held in memory,
// new or in place of one. POST /events/{name} fires a message event whose
// data is the request's body at the plugin's global object (Runtime.Do).
// GET /metrics gives each plugin's runtime metrics as JSON. Config.FS serves
// plugins from an fs.FS, such as an embed.FS, instead of a directory.
//
// Usage, from the repository's root:
//
//	go run ./examples/plugin-host -addr 127.0.0.1:8080
//	curl 'http://127.0.0.1:8080/plugins/hello/?name=ada'
//	curl 'http://127.0.0.1:8080/plugins/slug/?text=Hello%20World'
//	curl -i 'http://127.0.0.1:8080/plugins/bad/loop'
//	curl -X POST -d hi 'http://127.0.0.1:8080/events/hello'
//	curl 'http://127.0.0.1:8080/plugins/hello/message'
//	curl 'http://127.0.0.1:8080/metrics'
//
// With -isolate bad, the misbehaving plugin runs out of process.
package main
