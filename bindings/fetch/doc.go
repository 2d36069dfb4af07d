// Package fetch binds the WHATWG Fetch Standard's API
// (https://fetch.spec.whatwg.org/#fetch-api: Headers, Request, Response and
// the fetch() method) to a webidl.Realm driven by an eventloop.Loop. Requests
// run in Go with net/http on other goroutines and settle their promises in
// tasks on the loop; http: and https: URLs go to the network through the
// embedder's network.Policy (dialer, TLS configuration, proxy, cookie jar and
// connection policy), data: and about:blank are answered locally, and every
// other scheme (file: included) is a network error. Bodies are read whole when
// consumed, or as a ReadableStream (package streams) once script asks for one.
// The runtime is not a browser: there is no HTTP cache, no service worker, and
// cross-origin requests in "cors" mode are not subject to the CORS protocol
// (their responses are exposed as "basic" ones, as in server-side runtimes),
// while the "same-origin" and "no-cors" modes, redirect modes, credentials
// modes, forbidden methods and headers, integrity metadata and abort signals
// behave as the standard says. Other bindings that fetch for script (such as
// XMLHttpRequest) use the same machinery through Start, and the header list
// and MIME type algorithms through HeaderList and MIMEType.
//
// The bytes Go holds for script are charged to the memory budget of the
// Env's Cluster (bindings.Budget) until collected: a body read whole (a
// network body the budget has no room for is a network error, as a body that
// cannot be read is), the bytes extracted from a BodyInit, and the copies that
// arrayBuffer(), bytes() and the body's stream make (beyond the budget, V8's
// RangeError "Array buffer allocation failed"). text() and json() need room
// for their string while they decode it ("Invalid string length").
package fetch
