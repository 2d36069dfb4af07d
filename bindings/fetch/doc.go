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
package fetch
