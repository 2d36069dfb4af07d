package worker

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// windowPostOptions is the WindowPostMessageOptions dictionary
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#windowpostmessageoptions).
type windowPostOptions struct {
	targetOrigin string
	transfer     []*goja.Object
}

// dictionary WindowPostMessageOptions : StructuredSerializeOptions {
// USVString targetOrigin = "/"; }: transfer, the inherited member, first.
var windowPostOptionsDict = &webidl.Dictionary[windowPostOptions]{
	Name: "WindowPostMessageOptions",
	Parent: &webidl.Dictionary[windowPostOptions]{
		Name: "StructuredSerializeOptions",
		Members: []webidl.DictionaryMember[windowPostOptions]{{
			Name: "transfer",
			Convert: func(r *webidl.Realm, v goja.Value, out *windowPostOptions) {
				out.transfer = webidl.ToSequence(r, v, r.ToObject)
			},
		}},
	},
	Members: []webidl.DictionaryMember[windowPostOptions]{{
		Name:    "targetOrigin",
		Convert: func(r *webidl.Realm, v goja.Value, out *windowPostOptions) { out.targetOrigin = r.ToUSVString(v) },
		Default: func(out *windowPostOptions) { out.targetOrigin = "/" },
	}},
}

// windowPostMessage runs Window's postMessage(message, targetOrigin,
// transfer) and postMessage(message, options)
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-window-postmessage-options):
// the window post message steps with the global object, the only window
// there is, as targetWindow.
func (a *agent) windowPostMessage(c webidl.Call) goja.Value {
	c.RequireArgs("postMessage", 1)
	// Overload resolution (https://webidl.spec.whatwg.org/#js-overloads):
	// with three arguments or more, or a second that is neither undefined,
	// null nor an object, the targetOrigin overload, whose transfer
	// defaults to an empty list; else the options one.
	var opts windowPostOptions
	second := c.Arg(1)
	if _, isObj := second.(*goja.Object); len(c.Args) >= 3 || len(c.Args) == 2 && !isObj && !webidl.IsNullish(second) {
		opts.targetOrigin = c.Realm.ToUSVString(second)
		if t := c.Arg(2); !goja.IsUndefined(t) {
			opts.transfer = webidl.ToSequence(c.Realm, t, c.Realm.ToObject)
		}
	} else {
		webidl.ToDictionary(c.Realm, second, windowPostOptionsDict, &opts)
	}
	a.postToWindow(c, opts)
	return goja.Undefined()
}

// postToWindow runs the window post message steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#window-post-message-steps).
// The incumbent settings object and the target window are the realm's: its
// origin is that of its API base URL.
func (a *agent) postToWindow(c webidl.Call, opts windowPostOptions) {
	// 1-2. targetRealm and incumbentSettings are the realm.
	origin := originOf(c.Realm.APIBaseURL())
	// 3. Let targetOrigin be options["targetOrigin"]. anyOrigin is true for "*",
	// or for "/" (4. set to incumbentSettings's origin, which is the target
	// window's, even an opaque one).
	targetOrigin := opts.targetOrigin
	anyOrigin := targetOrigin == "*" || targetOrigin == "/"
	if !anyOrigin {
		// 5. Otherwise, parse it: a failure throws a "SyntaxError"
		// DOMException; targetOrigin is the URL's origin (an opaque one
		// is new, the same as no other).
		rec, err := urlbinding.Parse(targetOrigin, "")
		if err != nil {
			c.Realm.ThrowDOMException("SyntaxError", "Failed to execute 'postMessage' on 'Window': Invalid target origin '"+targetOrigin+"' in a call to 'postMessage'.")
		}
		targetOrigin = rec.Origin
	}
	// 6-7. Let serializeWithTransferResult be
	// ? StructuredSerializeWithTransfer(message, options["transfer"]).
	m := structuredclone.Serialize(c.Realm, c.Args[0], opts.transfer, "postMessage")
	// 8. Queue a global task on the posted message task source.
	r, g := a.realm, a.realm.Global()
	task := func() {
		// 8.1. If targetOrigin is not "*" and is not same origin with
		// targetWindow's origin, then return.
		if !anyOrigin && (targetOrigin == "null" || targetOrigin != origin) {
			m.Discard()
			return
		}
		// 8.2-3. origin and source: the incumbent's, the window itself.
		// 8.4-7. Deserialize, and fire message (or messageerror).
		messaging.Deliver(r, g, m, events.MessageEventInit{Origin: origin, Source: g})
	}
	if !a.queue(task) {
		m.Discard()
	}
}
