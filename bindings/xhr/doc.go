// Package xhr binds the WHATWG XMLHttpRequest Standard (https://xhr.spec.whatwg.org/:
// XMLHttpRequestEventTarget, XMLHttpRequestUpload and XMLHttpRequest, with the
// ProgressEvent interface of package events) to a webidl.Realm driven by an
// eventloop.Loop. Requests go through package fetch, so they share fetch()'s
// connection policy, dialer, proxy, cookie jar, bad ports, mixed content blocking,
// redirects and content codings, and, as for fetch(), the CORS protocol is not
// applied. Asynchronous requests report their progress in tasks on the loop, in the
// order the standard gives; synchronous ones block the loop goroutine for the whole
// round trip, so that no task runs meanwhile. There is no DOM: a "document" response
// type gives null, and so does responseXML; a FormData body (package formdata)
// is sent as multipart/form-data. URL credentials given to open() stay in the
// request URL but, as the Fetch Standard
// sends them only after a user agent prompts for them, they are never sent.
//
// The response body is charged to the memory budget of the Env's Cluster
// (bindings.Budget) as it arrives, and until collected once it is the
// response (an ArrayBuffer or Blob response keeps its bytes): a body the
// budget has no room for fails as a network error, with error then loadend
// events, or a NetworkError thrown by a synchronous send().
package xhr
