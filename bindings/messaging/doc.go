// Package messaging binds the channel messaging of the HTML Standard
// (https://html.spec.whatwg.org/multipage/web-messaging.html#channel-messaging):
// MessageChannel and MessagePort, with postMessage's structured clone and
// transfer list, the port message queue that start() and onmessage enable,
// close() and the close event, and ports transferred to other realms through
// postMessage, each end delivering on the event loop of the realm that holds
// it, whatever goroutine that loop runs on. The Go side of it, NewPort,
// Endpoint and Start, is what an embedder needs to connect a realm to one
// made later, as the shared workers of package runtime do.
package messaging
