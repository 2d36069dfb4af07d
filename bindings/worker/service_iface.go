package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/crypto"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// The interfaces.

// secureContext reports whether a realm whose API base URL is base is a
// secure context: its origin is potentially trustworthy
// (https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy).
// The last answer is kept: runtimes made one after another mostly have the
// same base URL, and each asks (Binding.Key).
func secureContext(base string) bool {
	if last := lastSecure.Load(); last != nil && last.base == base {
		return last.secure
	}
	u, err := urlbinding.Parse(base, "")
	secure := err == nil && u.Origin != "null" && u.PotentiallyTrustworthy()
	lastSecure.Store(&secureAnswer{base, secure})
	return secure
}

type secureAnswer struct {
	base   string
	secure bool
}

var lastSecure atomic.Pointer[secureAnswer]

// registerServiceWorkers defines, in a Window realm whose API base URL is
// a secure context, ServiceWorker, ServiceWorkerRegistration and
// ServiceWorkerContainer (all [SecureContext]) and navigator.serviceWorker.
// (A runtime whose scripts may change its API base URL from run to run
// has a file: one, whose origin is opaque.)
func (a *agent) registerServiceWorkers() error {
	client := a.realm.APIBaseURL()
	if !secureContext(client) {
		return nil
	}
	base, _ := urlbinding.Parse(client, "")
	ctx, cancel := context.WithCancel(context.Background())
	g := &swRegistry{
		top:      a,
		origin:   base.Origin,
		clientID: crypto.RandomUUID(),
		client:   client,
		ctx:      ctx,
		cancel:   cancel,
		regs:     make(map[string]*swRegistration),
		queues:   make(map[string][]*swJob),
	}
	g.topRealm = newSWRealm(g, a, nil)
	g.realms = []*swRealm{g.topRealm}
	g.container = &swContainer{g: g}
	if err := defineServiceWorkerInterfaces(a.realm); err != nil {
		return err
	}
	if err := a.realm.DefineInterface(g.containerInterface()); err != nil {
		return err
	}
	// [SecureContext, SameObject] readonly attribute ServiceWorkerContainer
	// serviceWorker, on Navigator
	// (https://w3c.github.io/ServiceWorker/#navigator-serviceworker).
	proto := a.realm.Prototype("Navigator")
	if proto == nil {
		return errors.New("no Navigator interface")
	}
	get := webidl.NewFunction(a.vm, "get serviceWorker", 0, func(call goja.FunctionCall) goja.Value {
		if !a.realm.Implements(call.This, "Navigator") {
			panic(a.vm.NewTypeError("Illegal invocation"))
		}
		return g.container.object()
	})
	if err := proto.DefineAccessorProperty("serviceWorker", get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	a.sw = g
	return nil
}

// defineServiceWorkerInterfaces defines ServiceWorker
// (https://w3c.github.io/ServiceWorker/#serviceworker-interface) and
// ServiceWorkerRegistration
// (https://w3c.github.io/ServiceWorker/#serviceworkerregistration-interface).
func defineServiceWorkerInterfaces(realm *webidl.Realm) error {
	if err := realm.DefineInterface(&webidl.Interface{
		Name:   "ServiceWorker",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			{Name: "scriptURL", Get: func(c webidl.Call) goja.Value {
				return c.VM().ToValue(c.Impl.(*swWorkerView).sw.scriptURL)
			}},
			{Name: "state", Get: func(c webidl.Call) goja.Value {
				return c.VM().ToValue(c.Impl.(*swWorkerView).state)
			}},
			events.HandlerAttribute("onstatechange"),
			events.HandlerAttribute("onerror"),
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: serviceWorkerPostMessage},
		},
	}); err != nil {
		return err
	}
	return realm.DefineInterface(&webidl.Interface{
		Name:   "ServiceWorkerRegistration",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			{Name: "installing", Get: func(c webidl.Call) goja.Value {
				v := c.Impl.(*swRegView)
				return v.realm.workerObject(v.installing)
			}},
			{Name: "waiting", Get: func(c webidl.Call) goja.Value {
				v := c.Impl.(*swRegView)
				return v.realm.workerObject(v.waiting)
			}},
			{Name: "active", Get: func(c webidl.Call) goja.Value {
				v := c.Impl.(*swRegView)
				return v.realm.workerObject(v.active)
			}},
			{Name: "scope", Get: func(c webidl.Call) goja.Value {
				return c.VM().ToValue(c.Impl.(*swRegView).reg.scope)
			}},
			{Name: "updateViaCache", Get: func(c webidl.Call) goja.Value {
				v := c.Impl.(*swRegView)
				v.realm.g.mu.Lock()
				defer v.realm.g.mu.Unlock()
				return c.VM().ToValue(v.reg.updateViaCache)
			}},
			events.HandlerAttribute("onupdatefound"),
		},
		Operations: []webidl.Operation{
			{Name: "update", Func: registrationUpdate},
			{Name: "unregister", Func: registrationUnregister},
		},
	})
}

// promiseCall runs fn, which settles the returned promise; an exception it
// throws rejects the promise (operations returning promises,
// https://webidl.spec.whatwg.org/#dfn-create-operation-function).
func promiseCall(c webidl.Call, fn func(resolve, reject func(goja.Value))) goja.Value {
	p, resolve, reject := c.Realm.NewPromise()
	if exc := c.VM().Try(func() { fn(resolve, reject) }); exc != nil {
		reject(exc.Value())
	}
	return p
}

// serviceWorkerPostMessage runs postMessage(message, transfer) and
// postMessage(message, options) of ServiceWorker
// (https://w3c.github.io/ServiceWorker/#service-worker-postmessage,
// https://w3c.github.io/ServiceWorker/#service-worker-postmessage-options).
func serviceWorkerPostMessage(c webidl.Call) goja.Value {
	v := c.Impl.(*swWorkerView)
	s := v.realm
	// 1-3. The incumbent global is this realm's.
	transfer := messaging.TransferList(c)
	// 4. StructuredSerializeWithTransfer; exceptions are rethrown.
	m := structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage")
	// 6.2.1. The source: a ServiceWorker for a service worker sender, a
	// WindowClient for the runtime's window.
	source := func(dst *swRealm) goja.Value { return dst.newClient() }
	if sender := s.sw; sender != nil {
		source = func(dst *swRealm) goja.Value { return dst.workerObject(sender) }
	}
	// 5-6. In parallel, Run Service Worker, then a task fires the event.
	s.g.postToWorker(v.sw, m, s.g.origin, source)
	return goja.Undefined()
}

// registrationUpdate runs update()
// (https://w3c.github.io/ServiceWorker/#service-worker-registration-update).
func registrationUpdate(c webidl.Call) goja.Value {
	v := c.Impl.(*swRegView)
	s := v.realm
	g := s.g
	return promiseCall(c, func(resolve, reject func(goja.Value)) {
		// 2-3. Without a newest worker: "InvalidStateError".
		g.mu.Lock()
		newest := v.reg.newest()
		updateViaCache := v.reg.updateViaCache
		state := ""
		if s.sw != nil {
			state = s.sw.state
		}
		g.mu.Unlock()
		if newest == nil {
			c.Realm.ThrowDOMException("InvalidStateError", "Failed to update a ServiceWorker: The registration has no worker.")
		}
		// 4. Not from an installing service worker.
		if state == "installing" {
			c.Realm.ThrowDOMException("InvalidStateError", "Failed to update a ServiceWorker: The service worker is installing.")
		}
		// 5-8. An update job for the newest worker's script.
		scope, err1 := urlbinding.Parse(v.reg.scope, "")
		script, err2 := urlbinding.Parse(newest.scriptURL, "")
		if err1 != nil || err2 != nil {
			c.Realm.ThrowTypeError("Failed to update a ServiceWorker: bad URL")
		}
		g.schedule(&swJob{kind: jobUpdate, scope: scope, script: script, typ: newest.typ,
			updateViaCache: updateViaCache, client: s, resolve: resolve, reject: reject})
	})
}

// registrationUnregister runs unregister()
// (https://w3c.github.io/ServiceWorker/#navigator-service-worker-unregister).
func registrationUnregister(c webidl.Call) goja.Value {
	v := c.Impl.(*swRegView)
	return promiseCall(c, func(resolve, reject func(goja.Value)) {
		scope, err := urlbinding.Parse(v.reg.scope, "")
		if err != nil {
			c.Realm.ThrowTypeError("Failed to unregister a ServiceWorkerRegistration: bad scope")
		}
		v.realm.g.schedule(&swJob{kind: jobUnregister, scope: scope, client: v.realm, resolve: resolve, reject: reject})
	})
}

// registrationOptions holds the RegistrationOptions dictionary
// (https://w3c.github.io/ServiceWorker/#serviceworkercontainer-interface).
type registrationOptions struct {
	scope          string
	hasScope       bool
	typ            string
	updateViaCache string
}

var registrationOptionsDict = &webidl.Dictionary[registrationOptions]{
	Name: "RegistrationOptions",
	Members: []webidl.DictionaryMember[registrationOptions]{
		{Name: "scope", Convert: func(r *webidl.Realm, v goja.Value, out *registrationOptions) {
			out.scope, out.hasScope = r.ToUSVString(v), true
		}},
		{Name: "type", Convert: func(r *webidl.Realm, v goja.Value, out *registrationOptions) {
			out.typ = r.ToEnum(v, "WorkerType", "classic", "module")
		}, Default: func(out *registrationOptions) { out.typ = "classic" }},
		{Name: "updateViaCache", Convert: func(r *webidl.Realm, v goja.Value, out *registrationOptions) {
			out.updateViaCache = r.ToEnum(v, "ServiceWorkerUpdateViaCache", "imports", "all", "none")
		}, Default: func(out *registrationOptions) { out.updateViaCache = "imports" }},
	},
}

// containerInterface describes ServiceWorkerContainer
// (https://w3c.github.io/ServiceWorker/#serviceworkercontainer-interface).
func (g *swRegistry) containerInterface() *webidl.Interface {
	onmessage := events.HandlerAttribute("onmessage")
	setHandler := onmessage.Set
	onmessage.Set = func(c webidl.Call, v goja.Value) {
		setHandler(c, v)
		// The first time onmessage is set, the client message queue is enabled
		// (https://w3c.github.io/ServiceWorker/#service-worker-container-event-handlers).
		c.Impl.(*swContainer).start()
	}
	return &webidl.Interface{
		Name:   "ServiceWorkerContainer",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			{Name: "controller", Get: func(c webidl.Call) goja.Value {
				return g.topRealm.workerObject(c.Impl.(*swContainer).controller)
			}},
			{Name: "ready", Get: func(c webidl.Call) goja.Value {
				sc := c.Impl.(*swContainer)
				// 1-2. The ready promise, made once; 3. pending, it is
				// resolved once a matching registration has an active
				// worker.
				if sc.ready == nil {
					sc.ready, sc.resolve, _ = c.Realm.NewPromise()
				}
				if !sc.readyDone {
					g.top.loop.Queue(sc.checkReady)
				}
				return sc.ready
			}},
			events.HandlerAttribute("oncontrollerchange"),
			onmessage,
			events.HandlerAttribute("onmessageerror"),
		},
		Operations: []webidl.Operation{
			{Name: "register", Length: 1, Func: g.register},
			{Name: "getRegistration", Func: g.getRegistration},
			{Name: "getRegistrations", Func: g.getRegistrations},
			{Name: "startMessages", Func: func(c webidl.Call) goja.Value {
				c.Impl.(*swContainer).start()
				return goja.Undefined()
			}},
		},
	}
}

// register runs register(scriptURL, options)
// (https://w3c.github.io/ServiceWorker/#navigator-service-worker-register) and
// Start Register
// (https://w3c.github.io/ServiceWorker/#start-register-algorithm).
func (g *swRegistry) register(c webidl.Call) goja.Value {
	return promiseCall(c, func(resolve, reject func(goja.Value)) {
		c.RequireArgs("register", 1)
		scriptURL := c.Realm.ToUSVString(c.Args[0])
		var opts registrationOptions
		webidl.ToDictionary(c.Realm, c.Arg(1), registrationOptionsDict, &opts)
		base := c.Realm.APIBaseURL()
		// 4. Parse scriptURL; 5-6. and the scope, if given.
		script, err := urlbinding.Parse(scriptURL, base)
		// Start Register 1. A scriptURL that does not parse: TypeError.
		if err != nil {
			c.Realm.ThrowTypeError("Failed to register a ServiceWorker: The URL provided (%s) is invalid.", scriptURL)
		}
		// 2. Its fragment is dropped. 3. It must be http: or https:.
		script = withoutFragment(script)
		if script.Scheme != "http" && script.Scheme != "https" {
			c.Realm.ThrowTypeError("Failed to register a ServiceWorker: The URL protocol of the script ('%s') is not supported.", script.Href)
		}
		// 4. No escaped slash or backslash in its path.
		if hasEscapedSlash(script.Path) {
			c.Realm.ThrowTypeError("Failed to register a ServiceWorker: The provided script URL ('%s') includes a disallowed escape character.", script.Href)
		}
		// 5. The default scope is "./" against the script URL.
		scopeInput, scopeBase := "./", script.Href
		if opts.hasScope {
			scopeInput, scopeBase = opts.scope, base
		}
		// 6. A scope that does not parse: TypeError.
		scope, err := urlbinding.Parse(scopeInput, scopeBase)
		if err != nil {
			c.Realm.ThrowTypeError("Failed to register a ServiceWorker: The scope URL provided (%s) is invalid.", scopeInput)
		}
		// 7-9. Its fragment is dropped; http: or https:; no escaped slash.
		scope = withoutFragment(scope)
		if scope.Scheme != "http" && scope.Scheme != "https" {
			c.Realm.ThrowTypeError("Failed to register a ServiceWorker: The URL protocol of the scope ('%s') is not supported.", scope.Href)
		}
		if hasEscapedSlash(scope.Path) {
			c.Realm.ThrowTypeError("Failed to register a ServiceWorker: The provided scope ('%s') includes a disallowed escape character.", scope.Href)
		}
		// 10-15. A register job, scheduled.
		g.schedule(&swJob{kind: jobRegister, scope: scope, script: script, typ: opts.typ,
			updateViaCache: opts.updateViaCache, client: g.topRealm, resolve: resolve, reject: reject})
	})
}

// getRegistration runs getRegistration(clientURL)
// (https://w3c.github.io/ServiceWorker/#navigator-service-worker-getRegistration).
func (g *swRegistry) getRegistration(c webidl.Call) goja.Value {
	return promiseCall(c, func(resolve, reject func(goja.Value)) {
		in := ""
		if v := c.Arg(0); !goja.IsUndefined(v) {
			in = c.Realm.ToUSVString(v)
		}
		// 3-4. Parse clientURL; failure is a TypeError.
		u, err := urlbinding.Parse(in, c.Realm.APIBaseURL())
		if err != nil {
			c.Realm.ThrowTypeError("Failed to get a ServiceWorkerRegistration: The URL provided (%s) is invalid.", in)
		}
		// 5. Its fragment is dropped. 6. It must be the client's origin.
		u = withoutFragment(u)
		if u.Origin != g.origin {
			c.Realm.ThrowDOMException("SecurityError", fmt.Sprintf("Failed to get a ServiceWorkerRegistration: The origin of the provided documentURL ('%s') does not match the current origin ('%s').", u.Origin, g.origin))
		}
		// 8. In parallel: Match Service Worker Registration.
		href := u.Href
		g.top.loop.Queue(func() {
			g.mu.Lock()
			reg := g.matchLocked(href)
			g.mu.Unlock()
			if reg == nil {
				resolve(goja.Undefined())
				return
			}
			resolve(g.topRealm.regObject(reg))
		})
	})
}

// getRegistrations runs getRegistrations()
// (https://w3c.github.io/ServiceWorker/#navigator-service-worker-getRegistrations).
func (g *swRegistry) getRegistrations(c webidl.Call) goja.Value {
	return promiseCall(c, func(resolve, reject func(goja.Value)) {
		g.top.loop.Queue(func() {
			g.mu.Lock()
			regs := append([]*swRegistration(nil), g.order...)
			g.mu.Unlock()
			objs := make([]any, len(regs))
			for i, reg := range regs {
				objs[i] = g.topRealm.regObject(reg)
			}
			resolve(g.top.vm.NewArray(objs...))
		})
	})
}

// The service worker's global scope
// (https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface),
// Clients (https://w3c.github.io/ServiceWorker/#clients-interface) and Client
// (https://w3c.github.io/ServiceWorker/#client-interface).

// swClient holds the slots of a Client or WindowClient object: it stands
// for the runtime's service worker client.
type swClient struct {
	realm           *swRealm
	url, id         string
	ancestorOrigins *goja.Object
}

// newClient returns a new WindowClient object for the runtime's client ("Create
// Window Client",
// https://w3c.github.io/ServiceWorker/#create-windowclient-algorithm).
func (s *swRealm) newClient() *goja.Object {
	return s.a.realm.New("WindowClient", &swClient{realm: s, url: s.g.clientURL(), id: s.g.clientID})
}

// installServiceWorkerGlobal defines ServiceWorkerGlobalScope
// (https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface) and
// the interfaces exposed in it, and makes the global object implement it.
func (a *agent) installServiceWorkerGlobal() error {
	w := a.worker
	s := newSWRealm(w.service.g, a, w.service.sw)
	for _, d := range []struct {
		name, parent string
		message      bool
		attrs        []webidl.Attribute
		ops          []webidl.Operation
	}{
		{name: "ExtendableEvent", parent: "Event", ops: []webidl.Operation{{Name: "waitUntil", Length: 1, Func: s.waitUntil}}},
		{name: "InstallEvent", parent: "ExtendableEvent"},
		{name: "ExtendableMessageEvent", parent: "ExtendableEvent", message: true, attrs: []webidl.Attribute{
			{Name: "data", Get: func(c webidl.Call) goja.Value { return s.extOf(c).data }},
			{Name: "origin", Get: func(c webidl.Call) goja.Value { return c.VM().ToValue(s.extOf(c).origin) }},
			{Name: "lastEventId", Get: func(c webidl.Call) goja.Value { return c.VM().ToValue(s.extOf(c).lastEventID) }},
			{Name: "source", Get: func(c webidl.Call) goja.Value { return s.extOf(c).source }},
			{Name: "ports", Get: func(c webidl.Call) goja.Value {
				x := s.extOf(c)
				if x.ports == nil {
					x.ports = c.Realm.FrozenArray()
				}
				return x.ports
			}},
		}},
	} {
		if err := a.realm.DefineInterface(&webidl.Interface{
			Name: d.name, Parent: d.parent, Length: 1,
			Constructor: s.newExtendable(d.name, d.message),
			Attributes:  d.attrs, Operations: d.ops,
		}); err != nil {
			return err
		}
	}
	if err := defineServiceWorkerInterfaces(a.realm); err != nil {
		return err
	}
	if err := s.defineClients(); err != nil {
		return err
	}
	if err := a.realm.DefineInterface(&webidl.Interface{
		Name:   "ServiceWorkerGlobalScope",
		Parent: "WorkerGlobalScope",
		Global: true,
		Attributes: []webidl.Attribute{
			{Name: "clients", Get: func(c webidl.Call) goja.Value {
				// [SameObject]
				if s.clients == nil {
					s.clients = c.Realm.New("Clients", s)
				}
				return s.clients
			}},
			{Name: "registration", Get: func(c webidl.Call) goja.Value { return s.regObject(s.sw.reg) }},
			{Name: "serviceWorker", Get: func(c webidl.Call) goja.Value { return s.workerObject(s.sw) }},
			events.HandlerAttribute("oninstall"),
			events.HandlerAttribute("onactivate"),
			events.HandlerAttribute("onfetch"),
			events.HandlerAttribute("onmessage"),
			events.HandlerAttribute("onmessageerror"),
		},
		Operations: []webidl.Operation{
			{Name: "skipWaiting", Func: s.skipWaiting},
		},
	}); err != nil {
		return err
	}
	if err := events.InstallGlobalAs(a.realm, "ServiceWorkerGlobalScope"); err != nil {
		return err
	}
	return a.hoistGlobalMembers("ServiceWorkerGlobalScope")
}

func (s *swRealm) extOf(c webidl.Call) *extendable {
	// Brand checks make c.Impl an ExtendableMessageEvent's slots.
	x, _ := events.Slots(c.Impl).(*extendable)
	return x
}

// skipWaiting runs skipWaiting()
// (https://w3c.github.io/ServiceWorker/#service-worker-global-scope-skipwaiting):
// the skip waiting flag is set and Try Activate runs, in turn with the
// registration's jobs. The promise is resolved at once, so that an install
// handler may wait for it.
func (s *swRealm) skipWaiting(c webidl.Call) goja.Value {
	g := s.g
	p, resolve, _ := c.Realm.NewPromise()
	g.mu.Lock()
	s.sw.skipWaiting = true
	g.mu.Unlock()
	scope, err := urlbinding.Parse(s.sw.reg.scope, "")
	if err == nil {
		g.schedule(&swJob{kind: jobTryActivate, scope: scope, reg: s.sw.reg, client: s, resolve: func(goja.Value) {}, reject: func(goja.Value) {}})
	}
	s.queue(func() { resolve(goja.Undefined()) })
	return p
}

// clientQueryOptions holds the ClientQueryOptions dictionary
// (https://w3c.github.io/ServiceWorker/#clients-interface).
type clientQueryOptions struct {
	includeUncontrolled bool
	typ                 string
}

var clientQueryOptionsDict = &webidl.Dictionary[clientQueryOptions]{
	Name: "ClientQueryOptions",
	Members: []webidl.DictionaryMember[clientQueryOptions]{
		{Name: "includeUncontrolled", Convert: func(_ *webidl.Realm, v goja.Value, out *clientQueryOptions) {
			out.includeUncontrolled = webidl.ToBoolean(v)
		}},
		{Name: "type", Convert: func(r *webidl.Realm, v goja.Value, out *clientQueryOptions) {
			out.typ = r.ToEnum(v, "ClientType", "window", "worker", "sharedworker", "all")
		}, Default: func(out *clientQueryOptions) { out.typ = "window" }},
	},
}

// defineClients defines Client, WindowClient and Clients.
func (s *swRealm) defineClients() error {
	g := s.g
	str := func(f func(*swClient) string) func(c webidl.Call) goja.Value {
		return func(c webidl.Call) goja.Value { return c.VM().ToValue(f(c.Impl.(*swClient))) }
	}
	if err := s.a.realm.DefineInterface(&webidl.Interface{
		Name: "Client",
		Attributes: []webidl.Attribute{
			{Name: "url", Get: str(func(cl *swClient) string { return cl.url })},
			{Name: "frameType", Get: str(func(*swClient) string { return "top-level" })},
			{Name: "id", Get: str(func(cl *swClient) string { return cl.id })},
			{Name: "type", Get: str(func(*swClient) string { return "window" })},
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: func(c webidl.Call) goja.Value {
				// https://w3c.github.io/ServiceWorker/#client-postmessage-options:
				// serialize, then add the task that delivers the message to the
				// client's message queue.
				transfer := messaging.TransferList(c)
				m := structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage")
				g.postToClient(s.sw, m)
				return goja.Undefined()
			}},
		},
	}); err != nil {
		return err
	}
	if err := s.a.realm.DefineInterface(&webidl.Interface{
		Name:   "WindowClient",
		Parent: "Client",
		Attributes: []webidl.Attribute{
			// The runtime has no document: it is never visible or focused.
			{Name: "visibilityState", Get: str(func(*swClient) string { return "hidden" })},
			{Name: "focused", Get: func(c webidl.Call) goja.Value { return c.VM().ToValue(false) }},
			{Name: "ancestorOrigins", Get: func(c webidl.Call) goja.Value {
				cl := c.Impl.(*swClient)
				if cl.ancestorOrigins == nil {
					cl.ancestorOrigins = c.Realm.FrozenArray()
				}
				return cl.ancestorOrigins
			}},
		},
		Operations: []webidl.Operation{
			{Name: "focus", Func: func(c webidl.Call) goja.Value {
				// Step 1 of https://w3c.github.io/ServiceWorker/#client-focus:
				// without transient activation (there is no user):
				// "InvalidAccessError".
				return promiseCall(c, func(_, _ func(goja.Value)) {
					c.Realm.ThrowDOMException("InvalidAccessError", "Failed to execute 'focus' on 'WindowClient': Not allowed to focus a window.")
				})
			}},
			{Name: "navigate", Length: 1, Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(_, _ func(goja.Value)) {
					c.RequireArgs("navigate", 1)
					in := c.Realm.ToUSVString(c.Args[0])
					// Steps 1-3 of
					// https://w3c.github.io/ServiceWorker/#client-navigate.
					// Parse url; failure or about:blank is a TypeError.
					u, err := urlbinding.Parse(in, c.Realm.APIBaseURL())
					if err != nil || u.Href == "about:blank" {
						c.Realm.ThrowTypeError("Failed to execute 'navigate' on 'WindowClient': The URL '%s' is invalid.", in)
					}
					// 4. The client must be controlled by this worker; and
					// the runtime has nothing to navigate.
					c.Realm.ThrowTypeError("Failed to execute 'navigate' on 'WindowClient': This service worker is not the client's active service worker, or the client cannot be navigated.")
				})
			}},
		},
	}); err != nil {
		return err
	}
	return s.a.realm.DefineInterface(&webidl.Interface{
		Name: "Clients",
		Operations: []webidl.Operation{
			{Name: "get", Length: 1, Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(resolve, _ func(goja.Value)) {
					c.RequireArgs("get", 1)
					id := c.Realm.ToDOMString(c.Args[0]).String()
					// https://w3c.github.io/ServiceWorker/#clients-get: in
					// parallel, the client whose id is id.
					s.queue(func() {
						if id == g.clientID {
							resolve(s.newClient())
							return
						}
						resolve(goja.Undefined())
					})
				})
			}},
			{Name: "matchAll", Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(resolve, _ func(goja.Value)) {
					var opts clientQueryOptions
					webidl.ToDictionary(c.Realm, c.Arg(0), clientQueryOptionsDict, &opts)
					// https://w3c.github.io/ServiceWorker/#clients-matchall:
					// the window client, if the type allows it and it is
					// controlled by this worker or uncontrolled ones are
					// included.
					g.mu.Lock()
					controlled := g.controller == s.sw
					g.mu.Unlock()
					match := (opts.typ == "window" || opts.typ == "all") && (opts.includeUncontrolled || controlled)
					s.queue(func() {
						var list []any
						if match {
							list = append(list, s.newClient())
						}
						resolve(s.a.vm.NewArray(list...))
					})
				})
			}},
			{Name: "openWindow", Length: 1, Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(_, _ func(goja.Value)) {
					c.RequireArgs("openWindow", 1)
					in := c.Realm.ToUSVString(c.Args[0])
					// Steps 1-3 of
					// https://w3c.github.io/ServiceWorker/#clients-openwindow.
					// Parse url; failure or about:blank is a TypeError.
					u, err := urlbinding.Parse(in, c.Realm.APIBaseURL())
					if err != nil || u.Href == "about:blank" {
						c.Realm.ThrowTypeError("Failed to execute 'openWindow' on 'Clients': The URL '%s' is invalid.", in)
					}
					// 4. Without transient activation: "InvalidAccessError".
					c.Realm.ThrowDOMException("InvalidAccessError", "Failed to execute 'openWindow' on 'Clients': Not allowed to open a window.")
				})
			}},
			{Name: "claim", Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(resolve, _ func(goja.Value)) {
					// Step 1 of
					// https://w3c.github.io/ServiceWorker/#clients-claim: only
					// an active worker may claim.
					g.mu.Lock()
					defer g.mu.Unlock()
					sw := s.sw
					if sw.reg.active != sw {
						c.Realm.ThrowDOMException("InvalidStateError", "Failed to execute 'claim' on 'Clients': Only the active worker can claim clients.")
					}
					// 2-3. The client whose URL the registration matches
					// gets this worker as its controller.
					if g.controller != sw && g.matchLocked(g.clientURL()) == sw.reg {
						g.controller = sw
						g.notifyControllerChangeLocked(sw)
					}
					s.queue(func() { resolve(goja.Undefined()) })
				})
			}},
		},
	})
}

// Helpers.

// withoutFragment returns rec with its fragment set to null.
func withoutFragment(rec *urlbinding.Record) *urlbinding.Record {
	if !rec.HasFragment {
		return rec
	}
	i := strings.IndexByte(rec.Href, '#')
	if u, err := urlbinding.Parse(rec.Href[:i], ""); err == nil {
		return u
	}
	return rec
}

// hasEscapedSlash reports whether a URL path has "%2f" or "%5c" in it.
func hasEscapedSlash(path string) bool {
	p := strings.ToLower(path)
	return strings.Contains(p, "%2f") || strings.Contains(p, "%5c")
}
