// Package broadcast binds BroadcastChannel, the HTML Standard's broadcasting
// to other browsing contexts
// (https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts):
// a message posted on a channel is structured-serialized once and delivered,
// as a MessageEvent, to every other open BroadcastChannel of the same name
// whose realm has the same origin, in this realm, in its workers, and in
// other runtimes of the process. Runtimes with an opaque origin (a file: URL,
// say) reach only their own realm and its workers. Options.Partition keeps
// runtimes of one origin apart.
package broadcast
