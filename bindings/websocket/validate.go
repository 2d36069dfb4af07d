package websocket

import (
	wurl "github.com/nlnwa/whatwg-url/url"

	"github.com/wsjs/wsjs/bindings/internal/wsapi"
)

// The checks of the constructor and close() are the WebSockets Standard's common
// algorithms, shared with WebSocketStream in package wsapi; this file adapts them.

// errSyntax and friends name the DOMException the constructor or close() throws.
var (
	errSyntax        = wsapi.ErrSyntax
	errSecurity      = wsapi.ErrSecurity
	errInvalidAccess = wsapi.ErrInvalidAccess
)

// target is a WebSocket URL after the constructor's checks.
type target struct {
	url  *wurl.Url
	href string // serialized
}

// parseTarget runs the URL steps of the WebSocket constructor (steps 1-6 of
// https://websockets.spec.whatwg.org/#dom-websocket-websocket, "get a URL
// record"): see wsapi.ParseTarget.
func parseTarget(input, baseURL string) (*target, error) {
	t, err := wsapi.ParseTarget(input, baseURL)
	if err != nil {
		return nil, err
	}
	return &target{url: t.URL, href: t.Href}, nil
}

// checkMixedContent refuses a ws: URL from a secure context: see
// wsapi.Target.CheckMixedContent.
func (t *target) checkMixedContent(baseURL string) error { return t.api().CheckMixedContent(baseURL) }

func (t *target) api() *wsapi.Target { return &wsapi.Target{URL: t.url, Href: t.href} }

// port returns the URL's port, or the scheme's default one.
func (t *target) port() int { return t.api().Port() }

// origin is the serialization of the URL's origin, written with the ws/wss scheme as
// the WebSockets Standard's message event expects.
func (t *target) origin() string { return t.api().Origin() }

// checkProtocols runs step 8 of the constructor: see wsapi.CheckProtocols.
func checkProtocols(protocols []string) error { return wsapi.CheckProtocols(protocols) }

// checkClose runs steps 1-2 of close(code, reason)
// (https://websockets.spec.whatwg.org/#dom-websocket-close, "validate close
// code and reason"). code < 0 means absent.
func checkClose(code int, reason string, hasReason bool) error {
	if code < 0 {
		code = wsapi.NoCode
	}
	if !hasReason {
		reason = ""
	}
	return wsapi.CheckClose(code, reason)
}
