package runtime

// Isolation says which realms of a runtime are cross-origin isolated: those
// whose settings object's cross-origin isolated capability is true
// (https://html.spec.whatwg.org/multipage/webappapis.html#concept-settings-object-cross-origin-isolated-capability).
//
// A realm that is isolated has crossOriginIsolated true and the global
// SharedArrayBuffer constructor, can clone SharedArrayBuffers to its
// workers (postMessage) and itself (structuredClone), and has its times
// (performance.now(), performance.timeOrigin, Event.timeStamp) coarsened to
// 5 microseconds. A realm that is not, as a browser page served without the
// headers that isolate it, has crossOriginIsolated false, no global
// SharedArrayBuffer (new WebAssembly.Memory({shared: true}).buffer still is
// one), throws a "DataCloneError" DOMException where a SharedArrayBuffer
// would be cloned, and coarsens times to 100 microseconds
// (https://w3c.github.io/hr-time/#dfn-coarsen-time).
//
// The zero value isolates the runtime and all its workers: a host that runs
// one program's scripts has no cross-origin content beside them to keep
// them from.
type Isolation struct {
	// Off makes the runtime's realm not cross-origin isolated. Its
	// dedicated workers, which are in its agent cluster, are not either.
	Off bool
	// ByResponse decides whether shared and service workers are isolated
	// as a browser does, from the response of their script: one fetched
	// from a secure context (https:, or a loopback host) with a
	// Cross-Origin-Embedder-Policy of require-corp or credentialless is
	// (https://html.spec.whatwg.org/multipage/workers.html#run-a-worker),
	// one of a blob: URL is if the realm that starts it is, any other is
	// not. By default they are isolated if the realm that starts them is.
	ByResponse bool
}

// hideSharedArrayBuffer removes SharedArrayBuffer from the global object
// of a realm that is not cross-origin isolated, as HTML's "create a new
// realm" does when the agent cluster's cross-origin isolation mode is
// "none" (https://html.spec.whatwg.org/multipage/webappapis.html#creating-a-new-javascript-realm
// step 5). prepare calls it once the bindings are ready, before any script
// runs.
func (r *Runtime) hideSharedArrayBuffer() error {
	if r.realm.CrossOriginIsolated() {
		return nil
	}
	return r.realm.Global().Delete("SharedArrayBuffer")
}
