// Package broadcast binds BroadcastChannel, the HTML Standard's broadcasting
// to other browsing contexts
// (https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts):
// a message posted on a channel is structured-serialized once and delivered,
// as a MessageEvent, to every other open BroadcastChannel of the same name
// whose realm has the same origin, in this realm, in its workers, and in
// other realms of the process. Realms with an opaque origin (a file: URL,
// say) reach only the realms of their cluster: a runtime and its workers.
// Options.Partition keeps realms of one origin apart.
//
// Each receiver gets a copy of the message, charged to its own cluster's
// memory budget while it waits for its task; a receiver with no room left
// gets a messageerror event instead. A channel is registered until close()
// or until its realm shuts down (Shutdown), whether or not script still
// refers to it: one that is never closed lives as long as its runtime.
package broadcast
