package worker

import (
	"net/http"
	"strings"

	"github.com/wsjs/wsjs/bindings"
)

// Cross-origin isolation. A realm's cross-origin isolated capability
// (webidl.Realm.CrossOriginIsolated) is set by whoever makes the realm: the
// host for a top-level runtime, this package for the realms of workers,
// before either installs anything. A dedicated worker is in the agent
// cluster of its owner and has the owner's capability
// (https://html.spec.whatwg.org/multipage/workers.html#run-a-worker: "If is
// shared is false and owner's cross-origin isolated capability is false, then
// set worker global scope's cross-origin isolated capability to false"). A
// shared or service worker has an agent cluster of its own: with
// Options.IsolateByResponse, it is isolated when the response of its script
// says so (ResponseIsolates), or, for a script of a blob: URL, which has no
// response headers of its own, when its creator is; otherwise it is isolated
// as its creator is.

// ResponseIsolates reports whether the environment a response with header h
// at url creates is cross-origin isolated, as a browser decides it: url is a
// secure context (https:, or a loopback host), and h has a
// Cross-Origin-Embedder-Policy compatible with cross-origin isolation
// ("require-corp" or "credentialless",
// https://html.spec.whatwg.org/multipage/browsers.html#compatible-with-cross-origin-isolation).
// A document's response also needs a Cross-Origin-Opener-Policy of
// "same-origin": together they make its browsing context group's
// cross-origin isolation mode "concrete"
// (https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-isolation-mode);
// a worker's needs none (document false).
func ResponseIsolates(url string, h http.Header, document bool) bool {
	if !secureContext(url) {
		// An insecure environment's policies are "unsafe-none"
		// (https://html.spec.whatwg.org/multipage/browsers.html#obtain-an-embedder-policy
		// step 2, and likewise for the opener policy).
		return false
	}
	switch headerToken(h, "Cross-Origin-Embedder-Policy") {
	case "require-corp", "credentialless":
	default:
		return false
	}
	return !document || headerToken(h, "Cross-Origin-Opener-Policy") == "same-origin"
}

// headerToken returns the token of the structured header item name
// (https://www.rfc-editor.org/rfc/rfc8941#section-3.3.4), its parameters
// left out, or "" if h has none or more than one value.
func headerToken(h http.Header, name string) string {
	vs := h.Values(name)
	if len(vs) != 1 {
		return ""
	}
	v, _, _ := strings.Cut(vs[0], ";")
	return strings.Trim(v, " \t")
}

// isolation returns the cross-origin isolated capability of w's realm, whose
// script is script at final (its URL after redirects).
func (w *worker) isolation(script *Script, final string) bool {
	p := w.parent
	if w.kind() == bindings.DedicatedWorker || !p.opts.IsolateByResponse || strings.HasPrefix(final, "blob:") {
		return p.isolated
	}
	return script.isolates
}
