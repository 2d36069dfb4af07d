package worker

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// serviceState is what a service worker's worker has that other workers do
// not.
type serviceState struct {
	g         *swRegistry
	sw        *swWorker
	realm     *swRealm  // the worker's realm (worker goroutine only)
	evaluated chan bool // the outcome of the script's run
	// Guarded by the worker's mu.
	ran     bool     // the script has run
	pending []func() // messages that wait for it
}

// mayImport reports whether importScripts may fetch: only while the worker's
// state is parsed or installing (importScripts,
// https://w3c.github.io/ServiceWorker/#importscripts), since there is no script
// resource map of what it imported then.
func (s *serviceState) mayImport() bool {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return s.sw.state == "parsed" || s.sw.state == "installing"
}

// startServiceLocked queues the task that runs a service worker's script in its
// new runtime child (Run Service Worker,
// https://w3c.github.io/ServiceWorker/#run-service-worker-algorithm, from step
// 9). w.mu must be held.
func (w *worker) startServiceLocked(child Child, script *Script) {
	s := w.service
	child.Loop().Queue(func() {
		s.realm = swRealmOf(child.Realm())
		s.g.addRealm(s.realm)
		// Run the classic script; an abrupt completion is a failure.
		_, err := child.Realm().VM().RunProgram(script.Program)
		if err != nil {
			child.Loop().ReportException(err)
		}
		w.mu.Lock()
		s.ran = true
		for _, task := range s.pending {
			w.queueOnWorkerLocked(task)
		}
		s.pending = nil
		w.mu.Unlock()
		s.evaluated <- err == nil
	})
}

// exited is told that the service worker's goroutine is returning.
func (s *serviceState) exited() {
	if s.realm != nil {
		s.g.removeRealm(s.realm)
	}
	s.g.mu.Lock()
	if s.sw.state != "redundant" {
		// The worker stopped without becoming redundant (the runtime is
		// closing): it will not run again.
		s.sw.state = "redundant"
	}
	s.g.mu.Unlock()
}

// postToWorker sends a message to sw (step 6 of ServiceWorker postMessage,
// https://w3c.github.io/ServiceWorker/#service-worker-postmessage-options):
// once its script has run, a task fires an ExtendableMessageEvent at its global
// object, whose source source makes in its realm.
func (g *swRegistry) postToWorker(sw *swWorker, m *structuredclone.Serialized, origin string, source func(*swRealm) goja.Value) {
	g.mu.Lock()
	w := sw.w
	redundant := sw.state == "redundant"
	g.mu.Unlock()
	if w == nil || redundant {
		// Run Service Worker fails for a redundant worker.
		m.Discard()
		return
	}
	// The message waits in the worker's queue, where its exit finds it; the
	// task, one for each message, takes the first.
	task := func() {
		if m, _ := w.nextToWorker(); m != nil {
			s := w.service.realm
			s.deliverExtendableMessage(m, origin, source(s))
		}
	}
	w.mu.Lock()
	queued := false
	switch {
	case w.closing:
	case !w.service.ran:
		w.service.pending = append(w.service.pending, task)
		queued = true
	default:
		queued = w.queueOnWorkerLocked(task)
	}
	if queued {
		w.toWorker.Push(m)
	}
	w.mu.Unlock()
	if !queued {
		m.Discard()
	}
}

// deliverExtendableMessage fires the ExtendableMessageEvent of a message at the
// realm's global object (step 6.2 of
// https://w3c.github.io/ServiceWorker/#service-worker-postmessage-options).
func (s *swRealm) deliverExtendableMessage(m *structuredclone.Serialized, origin string, source goja.Value) {
	realm := s.a.realm
	var data goja.Value
	var transferred []*goja.Object
	if exc := s.a.vm.Try(func() { data, transferred = m.DeserializeWithTransfer(realm, "postMessage") }); exc != nil {
		s.fireExtendable("ExtendableMessageEvent", "messageerror", &extendable{origin: origin, source: source}, nil)
		return
	}
	var ports []goja.Value
	for _, o := range transferred {
		if realm.Implements(o, "MessagePort") {
			ports = append(ports, o)
		}
	}
	s.fireExtendable("ExtendableMessageEvent", "message", &extendable{data: data, origin: origin, source: source, ports: realm.FrozenArray(ports...)}, nil)
}

// Client message queue (ServiceWorkerContainer,
// https://w3c.github.io/ServiceWorker/#serviceworkercontainer-interface).

// swContainer holds the slots of navigator.serviceWorker; it is used on the
// top-level loop only.
type swContainer struct {
	events.Target
	g   *swRegistry
	obj *goja.Object
	// enabled reports that the client message queue is enabled; until then
	// the messages wait in queued.
	enabled bool
	queued  []func()
	// controller is what the controller attribute shows.
	controller *swWorker
	ready      *goja.Object
	resolve    func(goja.Value)
	readyDone  bool
}

func (c *swContainer) object() *goja.Object {
	if c.obj == nil {
		c.obj = c.g.top.realm.New("ServiceWorkerContainer", c)
	}
	return c.obj
}

// start enables the client message queue (startMessages()).
func (c *swContainer) start() {
	if c.enabled {
		return
	}
	c.enabled = true
	for _, task := range c.queued {
		c.g.top.loop.Queue(task)
	}
	c.queued = nil
}

// enqueue adds a task to the client message queue.
func (c *swContainer) enqueue(task func()) {
	if c.enabled {
		task()
		return
	}
	c.queued = append(c.queued, task)
}

// checkReady resolves the ready promise once the registration matching the
// client's URL has an active worker
// (https://w3c.github.io/ServiceWorker/#navigator-service-worker-ready).
func (c *swContainer) checkReady() {
	if c.ready == nil || c.readyDone {
		return
	}
	g := c.g
	g.mu.Lock()
	reg := g.matchLocked(g.clientURL())
	active := reg != nil && reg.active != nil
	g.mu.Unlock()
	if !active {
		return
	}
	c.readyDone = true
	c.resolve(g.topRealm.regObject(reg))
}

// postToClient sends a message from the service worker sw to the runtime's
// client (Client postMessage,
// https://w3c.github.io/ServiceWorker/#client-postmessage-options): a task
// added to the client message queue fires a MessageEvent at
// navigator.serviceWorker.
func (g *swRegistry) postToClient(sw *swWorker, m *structuredclone.Serialized) {
	ok := g.top.queue(func() {
		g.container.enqueue(func() {
			realm := g.top.realm
			c := g.container
			source := g.topRealm.workerObject(sw)
			var data goja.Value
			var transferred []*goja.Object
			if exc := g.top.vm.Try(func() { data, transferred = m.DeserializeWithTransfer(realm, "postMessage") }); exc != nil {
				if ev, err := events.NewMessageEvent(realm, "messageerror", events.MessageEventInit{Origin: g.origin, Source: source}); err == nil {
					_, _ = events.Dispatch(realm, c.object(), ev)
				}
				return
			}
			var ports []*goja.Object
			for _, o := range transferred {
				if realm.Implements(o, "MessagePort") {
					ports = append(ports, o)
				}
			}
			if ev, err := events.NewMessageEvent(realm, "message", events.MessageEventInit{Data: data, Origin: g.origin, Source: source, Ports: ports}); err == nil {
				_, _ = events.Dispatch(realm, c.object(), ev)
			}
		})
	})
	if !ok {
		m.Discard()
	}
}

// ExtendableEvent
// (https://w3c.github.io/ServiceWorker/#extendableevent-interface) and
// ExtendableMessageEvent
// (https://w3c.github.io/ServiceWorker/#extendablemessageevent-interface).
//
// The events package makes the Event objects (events.NewEventOf and
// events.ConstructEvent); an extendable holds the slots ExtendableEvent and
// ExtendableMessageEvent add to Event's.

// extendable holds the slots an ExtendableEvent adds to Event's.
type extendable struct {
	trusted     bool
	dispatching bool // the dispatch flag, as far as waitUntil cares
	pending     int  // the pending promises count
	rejected    bool // a promise given to waitUntil was rejected
	done        func(failed bool)
	finished    bool
	// ExtendableMessageEvent's attributes.
	data, source, ports goja.Value
	origin, lastEventID string
}

// fireExtendable fires a trusted event of interface iface named typ at the
// realm's global object, with x's message attributes (x may be nil), and
// calls done, if not nil, once the event is no longer active.
func (s *swRealm) fireExtendable(iface, typ string, x *extendable, done func(failed bool)) {
	realm := s.a.realm
	if x == nil {
		x = &extendable{}
	}
	x.trusted, x.done = true, done
	if x.data == nil {
		x.data = goja.Null()
	}
	if x.source == nil {
		x.source = goja.Null()
	}
	ev, err := events.NewEventOf(realm, iface, typ, events.EventInit{}, x)
	if err != nil {
		s.a.loop.ReportException(err)
		if done != nil {
			done(true)
		}
		return
	}
	x.dispatching = true
	if _, err := events.Dispatch(realm, realm.Global(), ev); err != nil {
		s.a.loop.ReportException(err)
	}
	x.dispatching = false
	if x.pending == 0 {
		x.finish()
	}
}

func (x *extendable) finish() {
	if x.finished {
		return
	}
	x.finished = true
	if x.done != nil {
		x.done(x.rejected)
	}
}

// waitUntil runs waitUntil(f)
// (https://w3c.github.io/ServiceWorker/#wait-until-method).
func (s *swRealm) waitUntil(c webidl.Call) goja.Value {
	c.RequireArgs("waitUntil", 1)
	p := c.Realm.ToPromise(c.Args[0])
	x, _ := events.Slots(c.Impl).(*extendable)
	// 1. An untrusted event: "InvalidStateError".
	if x == nil || !x.trusted {
		c.Realm.ThrowDOMException("InvalidStateError", "Failed to execute 'waitUntil' on 'ExtendableEvent': The event handler is already finished.")
	}
	// 2. An event that is not active: "InvalidStateError".
	if !x.dispatching && x.pending == 0 {
		c.Realm.ThrowDOMException("InvalidStateError", "Failed to execute 'waitUntil' on 'ExtendableEvent': The event handler is already finished and no extend lifetime promises are outstanding.")
	}
	// 3-4. Add f to the extend lifetime promises; one more is pending.
	x.pending++
	vm := c.VM()
	// 5. Upon fulfillment or rejection of f, queue a microtask that
	// decrements the count; at zero the event is no longer active.
	settled := func(rejected bool) goja.Value {
		if rejected {
			x.rejected = true
		}
		q, resolve, _ := vm.NewPromise()
		resolve(goja.Undefined())
		_, _ = s.then(vm.ToValue(q), vm.ToValue(func(goja.FunctionCall) goja.Value {
			x.pending--
			if x.pending == 0 && !x.dispatching {
				x.finish()
			}
			return goja.Undefined()
		}))
		return goja.Undefined()
	}
	onFulfilled := vm.ToValue(func(goja.FunctionCall) goja.Value { return settled(false) })
	onRejected := vm.ToValue(func(goja.FunctionCall) goja.Value { return settled(true) })
	if _, err := s.then(p, onFulfilled, onRejected); err != nil {
		panic(err)
	}
	return goja.Undefined()
}

// extendableMessageInit holds the members of ExtendableEventInit (which has
// only EventInit's) and ExtendableMessageEventInit.
type extendableMessageInit struct {
	events.EventInit
	data                goja.Value
	origin, lastEventID string
	source              goja.Value
	ports               []goja.Value
}

var extendableInitDict = &webidl.Dictionary[extendableMessageInit]{
	Name: "ExtendableEventInit",
	Parent: events.EventInitDictionary(func(x *extendableMessageInit) *events.EventInit {
		return &x.EventInit
	}),
}

var extendableMessageInitDict = &webidl.Dictionary[extendableMessageInit]{
	Name:   "ExtendableMessageEventInit",
	Parent: extendableInitDict,
	Members: []webidl.DictionaryMember[extendableMessageInit]{
		{Name: "data", Convert: func(_ *webidl.Realm, v goja.Value, out *extendableMessageInit) { out.data = v },
			Default: func(out *extendableMessageInit) { out.data = goja.Null() }},
		{Name: "lastEventId", Convert: func(r *webidl.Realm, v goja.Value, out *extendableMessageInit) {
			out.lastEventID = r.ToDOMString(v).String()
		}},
		{Name: "origin", Convert: func(r *webidl.Realm, v goja.Value, out *extendableMessageInit) {
			out.origin = r.ToDOMString(v).String()
		}},
		{Name: "ports", Convert: func(r *webidl.Realm, v goja.Value, out *extendableMessageInit) {
			out.ports = webidl.ToSequence(r, v, func(p goja.Value) goja.Value {
				if !r.Implements(p, "MessagePort") {
					r.ThrowTypeError("Failed to construct 'ExtendableMessageEvent': Failed to read the 'ports' property from 'ExtendableMessageEventInit': Failed to convert value to 'MessagePort'.")
				}
				return p
			})
		}},
		{Name: "source", Convert: func(r *webidl.Realm, v goja.Value, out *extendableMessageInit) {
			// (Client or ServiceWorker or MessagePort)?
			if webidl.IsNullish(v) {
				out.source = goja.Null()
				return
			}
			if !r.Implements(v, "Client") && !r.Implements(v, "ServiceWorker") && !r.Implements(v, "MessagePort") {
				r.ThrowTypeError("Failed to construct 'ExtendableMessageEvent': The optional 'source' property is neither a Client, ServiceWorker nor MessagePort.")
			}
			out.source = v
		}},
	},
}

// newExtendable runs the constructor of ExtendableEvent, InstallEvent or
// ExtendableMessageEvent (DOM "constructing events",
// https://dom.spec.whatwg.org/#constructing-events).
func (s *swRealm) newExtendable(iface string, message bool) func(c webidl.Call) any {
	dict := extendableInitDict
	if message {
		dict = extendableMessageInitDict
	}
	return func(c webidl.Call) any {
		c.RequireArgs(iface, 1)
		typ := c.Realm.ToDOMString(c.Args[0])
		var init extendableMessageInit
		webidl.ToDictionary(c.Realm, c.Arg(1), dict, &init)
		x := &extendable{data: goja.Null(), source: goja.Null()}
		if message {
			x.data, x.origin, x.lastEventID, x.source = init.data, init.origin, init.lastEventID, init.source
			if x.data == nil {
				x.data = goja.Null()
			}
			if x.source == nil {
				x.source = goja.Null()
			}
			x.ports = c.Realm.FrozenArray(init.ports...)
		}
		impl, err := events.ConstructEvent(c.Realm, typ, init.EventInit, x)
		if err != nil {
			c.Realm.ThrowTypeError("Failed to construct '%s': %v", iface, err)
		}
		return impl
	}
}
