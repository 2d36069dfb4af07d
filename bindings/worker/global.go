package worker

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// registerGlobalScope makes the global object an EventTarget: a Window for
// a top-level runtime, a DedicatedWorkerGlobalScope, SharedWorkerGlobalScope
// or ServiceWorkerGlobalScope for a worker's.
func registerGlobalScope(env *bindings.Env) error {
	a := agentOf(env)
	if a.kind == bindings.Window {
		return a.installWindowGlobal()
	}
	if a.worker == nil {
		return errors.New("a worker's global scope is installed by the worker's runtime only")
	}
	return a.installWorkerGlobal()
}

// installWindowGlobal makes the global object of a top-level runtime implement
// Window
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object),
// as Deno's does: the global scope interface of the main thread, with no
// constructor. It has none of a browsing context's members (no document, no
// window or frames): scripts and test harnesses that look for a DOM see that
// there is none.
func (a *agent) installWindowGlobal() error {
	if err := a.realm.DefineInterface(&webidl.Interface{
		Name:   "Window",
		Parent: "EventTarget",
		Global: true,
		// [LegacyUnenumerableNamedProperties]: a Window supports named
		// properties (none without a document).
		NamedProperties: true,
		Attributes: []webidl.Attribute{
			// [Replaceable] readonly attribute (Event or undefined) event
			// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-window-event).
			{Name: "event", Replaceable: true, Get: func(c webidl.Call) goja.Value { return events.CurrentEvent(c.Realm) }},
			// [Replaceable] readonly attribute WindowProxy self
			// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-self):
			// the global object itself, until a script assigns another value.
			{Name: "self", Replaceable: true, Get: func(c webidl.Call) goja.Value { return c.Realm.Global() }},
			origin,
			crossOriginIsolated,
			// WindowEventHandlers
			// (https://html.spec.whatwg.org/multipage/webappapis.html#windoweventhandlers)
			// that do not need a document: those a WorkerGlobalScope has too.
			events.HandlerAttribute("onlanguagechange"),
			events.HandlerAttribute("onmessage"),
			events.HandlerAttribute("onmessageerror"),
			events.HandlerAttribute("onoffline"),
			events.HandlerAttribute("ononline"),
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: a.windowPostMessage},
		},
	}); err != nil {
		return err
	}
	if err := events.InstallGlobalAs(a.realm, "Window"); err != nil {
		return err
	}
	if a.opts.DefineWindow {
		// [LegacyUnforgeable] readonly attribute WindowProxy window: an own
		// accessor of the global object that cannot be redefined.
		g := a.realm.Global()
		get := webidl.NewFunction(a.vm, "get window", 0, func(goja.FunctionCall) goja.Value { return g })
		if err := g.DefineAccessorProperty("window", get, nil, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
			return err
		}
	}
	return a.hoistGlobalMembers("Window")
}

// origin is WindowOrWorkerGlobalScope's [Replaceable] readonly attribute
// USVString origin
// (https://html.spec.whatwg.org/multipage/webappapis.html#dom-origin): the
// serialization of the origin of the realm's settings object, which is that
// of its API base URL ("null" for an opaque origin: a file: or data: URL).
var origin = webidl.Attribute{Name: "origin", Replaceable: true, Get: func(c webidl.Call) goja.Value {
	u, err := urlbinding.Parse(c.Realm.APIBaseURL(), "")
	if err != nil {
		return c.VM().ToValue("null")
	}
	return c.VM().ToValue(u.Origin)
}}

// crossOriginIsolated is WindowOrWorkerGlobalScope's readonly attribute
// boolean crossOriginIsolated
// (https://html.spec.whatwg.org/multipage/webappapis.html#dom-crossoriginisolated),
// the cross-origin isolated capability of the realm's settings object
// (webidl.Realm.CrossOriginIsolated). A runtime is isolated unless its host
// says otherwise; isolation gives SharedArrayBuffer and times coarsened to 5
// microseconds (bindings/performance).
var crossOriginIsolated = webidl.Attribute{Name: "crossOriginIsolated", Get: func(c webidl.Call) goja.Value {
	return c.VM().ToValue(c.Realm.CrossOriginIsolated())
}}

// installWorkerGlobal defines WorkerGlobalScope
// (https://html.spec.whatwg.org/multipage/workers.html#the-workerglobalscope-common-interface)
// and DedicatedWorkerGlobalScope
// (https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-dedicatedworkerglobalscope-interface),
// or SharedWorkerGlobalScope
// (https://html.spec.whatwg.org/multipage/workers.html#shared-workers-and-the-sharedworkerglobalscope-interface)
// in a shared worker, and makes the global object implement the latter. self,
// location and navigator, which WorkerGlobalScope also has, are installed with
// the other bindings.
func (a *agent) installWorkerGlobal() error {
	w := a.worker
	// %SyntaxError%, for scripts importScripts cannot compile.
	w.syntaxError, _ = goja.AssertConstructor(webidl.Intrinsics{VM: a.vm}.Value("SyntaxError"))
	if w.syntaxError == nil {
		return errors.New("the global object has no SyntaxError")
	}
	if err := a.realm.DefineInterface(&webidl.Interface{
		Name:   "WorkerGlobalScope",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			// onerror, onrejectionhandled and onunhandledrejection come with
			// events.InstallGlobalAs.
			events.HandlerAttribute("onlanguagechange"),
			events.HandlerAttribute("onoffline"),
			events.HandlerAttribute("ononline"),
			origin,
			crossOriginIsolated,
		},
		Operations: []webidl.Operation{
			{Name: "importScripts", Func: a.importScripts},
		},
	}); err != nil {
		return err
	}
	if w.shared != nil {
		return a.installSharedWorkerGlobal()
	}
	if w.service != nil {
		return a.installServiceWorkerGlobal()
	}
	if err := a.realm.DefineInterface(&webidl.Interface{
		Name:   "DedicatedWorkerGlobalScope",
		Parent: "WorkerGlobalScope",
		Global: true,
		Attributes: []webidl.Attribute{
			{Name: "name", Replaceable: true, Get: func(c webidl.Call) goja.Value {
				// The name getter steps return this's name
				// (https://html.spec.whatwg.org/multipage/workers.html#dom-dedicatedworkerglobalscope-name).
				return c.VM().ToValue(w.opts.name)
			}},
			events.HandlerAttribute("onmessage"),
			events.HandlerAttribute("onmessageerror"),
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: func(c webidl.Call) goja.Value {
				// As if postMessage() were invoked on the implicit port.
				transfer := messaging.TransferList(c)
				w.postToParent(structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage"))
				return goja.Undefined()
			}},
			{Name: "close", Func: func(webidl.Call) goja.Value {
				w.closeFromInside()
				return goja.Undefined()
			}},
		},
	}); err != nil {
		return err
	}
	if err := events.InstallGlobalAs(a.realm, "DedicatedWorkerGlobalScope"); err != nil {
		return err
	}
	return a.hoistGlobalMembers("DedicatedWorkerGlobalScope")
}

// installSharedWorkerGlobal defines SharedWorkerGlobalScope
// (https://html.spec.whatwg.org/multipage/workers.html#shared-workers-and-the-sharedworkerglobalscope-interface)
// and makes the global object implement it.
func (a *agent) installSharedWorkerGlobal() error {
	w := a.worker
	if err := a.realm.DefineInterface(&webidl.Interface{
		Name:   "SharedWorkerGlobalScope",
		Parent: "WorkerGlobalScope",
		Global: true,
		Attributes: []webidl.Attribute{
			{Name: "name", Replaceable: true, Get: func(c webidl.Call) goja.Value {
				// The name getter steps return this's name.
				return c.VM().ToValue(w.opts.name)
			}},
			events.HandlerAttribute("onconnect"),
		},
		Operations: []webidl.Operation{
			{Name: "close", Func: func(webidl.Call) goja.Value {
				w.closeFromInside()
				return goja.Undefined()
			}},
		},
	}); err != nil {
		return err
	}
	if err := events.InstallGlobalAs(a.realm, "SharedWorkerGlobalScope"); err != nil {
		return err
	}
	return a.hoistGlobalMembers("SharedWorkerGlobalScope")
}

// hoistGlobalMembers moves the regular attributes and operations of the
// global object's [Global] interfaces onto the global object itself: those
// have them there, not on the interface prototype objects
// (https://webidl.spec.whatwg.org/#js-attributes,
// https://webidl.spec.whatwg.org/#js-operations). WorkerGlobalScope is not
// [Global]: its members, and those of the mixins it includes, stay on
// WorkerGlobalScope.prototype (webidl.Realm.GlobalMembersOn). goja gives the
// global object an own @@toStringTag ("global"); it is removed so that the
// interface prototype object's applies
// (https://webidl.spec.whatwg.org/#interface-prototype-object).
func (a *agent) hoistGlobalMembers(ifaces ...string) error {
	hoist, err := a.vm.RunProgram(hoistProgram())
	if err != nil {
		return err
	}
	fn, _ := goja.AssertFunction(hoist)
	protos := make([]any, len(ifaces))
	for i, name := range ifaces {
		protos[i] = a.realm.Prototype(name)
	}
	in := webidl.Intrinsics{VM: a.vm}
	_, err = fn(goja.Undefined(), a.vm.NewArray(protos...), a.realm.Global(), goja.SymToStringTag,
		in.Value("Object", "getOwnPropertyNames"), in.Value("Object", "getOwnPropertyDescriptor"), in.Value("Object", "defineProperty"))
	return err
}

// hoistProgram is the function of hoistGlobalMembers, compiled once per
// process; it reads the array of prototypes with an index, not an
// iterator, and takes the Object functions it uses as goja made them, so
// that it runs nothing script may have changed.
var hoistProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:hoist.js", `(function (protos, global, toStringTag, names, get, define) {
		"use strict";
		delete global[toStringTag];
		for (let i = 0; i < protos.length; i++) {
			const proto = protos[i], keys = names(proto);
			for (let j = 0; j < keys.length; j++) {
				const name = keys[j];
				if (name === "constructor") continue;
				define(global, name, get(proto, name));
				delete proto[name];
			}
		}
	})`, true)
})

// importScripts runs importScripts(...urls) (HTML "import scripts into worker
// global scope",
// https://html.spec.whatwg.org/multipage/workers.html#import-scripts-into-worker-global-scope)
// on the worker's loop.
func (a *agent) importScripts(c webidl.Call) goja.Value {
	w := a.worker
	// 1. If worker global scope's type is "module", throw a TypeError.
	if w.opts.typ == "module" {
		c.Realm.ThrowTypeError("Failed to execute 'importScripts' on 'WorkerGlobalScope': Module scripts don't support importScripts().")
	}
	urls := make([]string, len(c.Args))
	for i, v := range c.Args {
		urls[i] = c.Realm.ToUSVString(v)
	}
	// 2-3. If urls is empty, return.
	if len(urls) == 0 {
		return goja.Undefined()
	}
	// 4. Parse each value relative to the settings object; any failure is a
	// "SyntaxError" DOMException.
	records := make([]*urlbinding.Record, len(urls))
	for i, s := range urls {
		u, err := urlbinding.Parse(s, c.Realm.APIBaseURL())
		if err != nil {
			c.Realm.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to execute 'importScripts' on 'WorkerGlobalScope': The URL '%s' is invalid.", s))
		}
		records[i] = u
	}
	// 5. For each URL, in order:
	for _, u := range records {
		// A service worker imports scripts only until it is installed
		// (https://w3c.github.io/ServiceWorker/#importscripts): there is no map
		// of what it imported.
		if w.service != nil && !w.service.mayImport() {
			c.Realm.ThrowDOMException("NetworkError", fmt.Sprintf("Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '%s' failed to load: a service worker imports scripts only until it is installed.", u.Href))
		}
		// 5.1. Fetch a classic worker-imported script; a failure is rethrown.
		script, _, err := a.fetchScript(w.ctx, u, fetchImported, false, "")
		var se *SyntaxError
		switch {
		case errors.As(err, &se):
			// A script that does not parse has a SyntaxError as its error to
			// rethrow (5.2).
			e, cerr := w.syntaxError(nil, a.vm.ToValue(se.Message))
			if cerr != nil {
				panic(cerr)
			}
			panic(e)
		case err != nil:
			if w.ctx.Err() == nil {
				// Scripts never learn why; the console does.
				fmt.Fprintf(a.stderr, "importScripts: %v\n", err)
			}
			c.Realm.ThrowDOMException("NetworkError", fmt.Sprintf("Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '%s' failed to load.", u.Href))
		}
		// 5.2. Run the classic script with rethrow errors: an exception, or the
		// abort of terminate(), goes on to the caller.
		if _, err := a.vm.RunProgram(script.Program); err != nil {
			panic(err)
		}
	}
	return goja.Undefined()
}
