package worker

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// Shared workers
// (https://html.spec.whatwg.org/multipage/workers.html#shared-workers-and-the-sharedworker-interface).
//
// new SharedWorker(url, options) connects to the shared worker of the
// top-level runtime with that constructor URL, name and origin, starting it
// if there is none (or only one that is closing). A shared worker is a worker
// (worker.go) whose global object is a SharedWorkerGlobalScope; each
// SharedWorker object talks to it through a MessagePort, its port, entangled
// with a port that the worker receives in a connect event.
//
// HTML entangles the SharedWorker's port with the worker's only once the
// worker's script has been fetched, so messages posted to it earlier would
// have no target. As browsers do, the port is entangled at once with an end
// that waits (messaging.Endpoint): messages posted meanwhile are delivered
// once the worker's script has run and the connect event has given it the
// port.
//
// The top-level runtime is the worker's only owner, since SharedWorker is
// exposed on Window only: the worker lives until it calls close() or the
// runtime is closed. Like a dedicated worker, it holds its parent's event loop
// while it has work and sleeps when it has none. Exceptions it does not
// handle are reported to the console: no SharedWorker object hears of them.

// sharedKey identifies a shared worker: its constructor URL, its name and
// the origin of the runtime that created it (which stands for the storage
// key of HTML).
type sharedKey struct {
	url, name, origin string
}

// sharedState is what a shared worker has that a dedicated one does not.
type sharedState struct {
	key sharedKey
	// first is the end of the port of the SharedWorker object that started
	// the worker, port that port, in the parent's realm.
	first *messaging.Endpoint
	port  *goja.Object
	// pending are the connections made before the worker's realm existed;
	// failed the SharedWorker objects to tell if it never does. Both are
	// guarded by the worker's mu.
	pending []*messaging.Endpoint
	failed  []*goja.Object
}

// takeEndsLocked returns the ends that may never get a port, to close with
// discard once w.mu is released (closing one of an end that got its port
// does nothing). w.mu must be held.
func (s *sharedState) takeEndsLocked() []*messaging.Endpoint {
	ends := append([]*messaging.Endpoint{s.first}, s.pending...)
	s.pending = nil
	return ends
}

// sharedWorkerObject holds the internal slots of a SharedWorker object.
type sharedWorkerObject struct {
	events.Target
	port *goja.Object
}

// registerSharedWorker defines the SharedWorker interface
// (https://html.spec.whatwg.org/multipage/workers.html#shared-workers-and-the-sharedworker-interface,
// with the AbstractWorker mixin of
// https://html.spec.whatwg.org/multipage/workers.html#the-abstractworker-mixin).
func (a *agent) registerSharedWorker() error {
	return a.realm.DefineInterface(&webidl.Interface{
		Name:        "SharedWorker",
		Parent:      "EventTarget",
		Length:      1,
		Constructor: a.newSharedWorker,
		Attributes: []webidl.Attribute{
			{Name: "port", Get: func(c webidl.Call) goja.Value {
				return c.Impl.(*sharedWorkerObject).port
			}},
			events.HandlerAttribute("onerror"),
		},
	})
}

// newSharedWorker runs the steps of the SharedWorker(scriptURL, options)
// constructor
// (https://html.spec.whatwg.org/multipage/workers.html#dom-sharedworker) on the
// parent's loop.
func (a *agent) newSharedWorker(c webidl.Call) any {
	c.RequireArgs("SharedWorker", 1)
	// 1. compliantScriptURL: a USVString (there are no Trusted Types).
	scriptURL := c.Realm.ToUSVString(c.Args[0])
	// 2. If options is a DOMString, it is the name of a WorkerOptions
	// dictionary with the other members at their defaults. (Of the union
	// (DOMString or WorkerOptions), undefined, null and objects convert to
	// the dictionary, anything else to the string:
	// https://webidl.spec.whatwg.org/#js-union.)
	var opts workerOptions
	if v := c.Arg(1); webidl.IsNullish(v) || isObject(v) {
		webidl.ToDictionary(c.Realm, v, workerOptionsDict, &opts)
	} else {
		name := c.Realm.ToDOMString(v).String()
		webidl.ToDictionary(c.Realm, goja.Undefined(), workerOptionsDict, &opts)
		opts.name = name
	}
	// 3. outside settings is the current settings object. 4-5. Parse the
	// URL relative to it; failure is a "SyntaxError" DOMException.
	u, err := urlbinding.Parse(scriptURL, c.Realm.APIBaseURL())
	if err != nil {
		c.Realm.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to construct 'SharedWorker': The URL '%s' is invalid.", scriptURL))
	}
	// 6. A new SharedWorker object. 7-8. Its port: a new MessagePort in the
	// outside settings' realm (entangled with the end the worker gets).
	port, end, err := messaging.NewPort(c.Realm)
	if err != nil {
		c.Realm.ThrowTypeError("Failed to construct 'SharedWorker': %v", err)
	}
	obj := &sharedWorkerObject{port: port}
	// 9-10. Secure contexts and storage keys: the worker has its creator's
	// origin, so it is as secure as its creator, and the storage key is
	// the origin.
	key := sharedKey{url: u.Href, name: opts.name, origin: originOf(c.Realm.APIBaseURL())}
	// 11. The shared worker manager. 11.1-2. A worker global scope with the
	// same storage key, constructor URL and name whose closing flag is not
	// set: the workers found by key.
	if w := a.workers.findShared(key); w != nil {
		// 11.4. Its type and credentials must match options, else an
		// error event is fired at worker.
		if w.opts.typ != opts.typ || w.opts.credentials != opts.credentials {
			end.Close()
			this := c.This
			a.loop.Queue(func() { _, _ = events.Fire(a.realm, this, "error") })
			return obj
		}
		// 11.5. Associate worker with the worker global scope, entangle
		// a new inside port with the outside port, and fire connect.
		w.connect(end, c.This)
		return obj
	}
	// 11.6. Otherwise, run a worker given worker, urlRecord, outside
	// settings, outside port and options.
	if _, err := a.startWorker(c.This, u, opts, &sharedState{key: key, first: end, port: port}); err != nil {
		end.Close()
		throwQuota(c.Realm, "SharedWorker", err)
	}
	// 12. Return worker.
	return obj
}

func isObject(v goja.Value) bool {
	_, ok := v.(*goja.Object)
	return ok
}

// connect runs steps 11.5.4 to 11.5.7 of the SharedWorker constructor for
// another SharedWorker object, sw, whose port's far end is end: a new port
// in the worker's realm holds end, and a connect event gives it to the
// worker. Before the worker's realm exists, the connection waits.
func (w *worker) connect(end *messaging.Endpoint, sw *goja.Object) {
	w.mu.Lock()
	switch {
	case w.closing:
	case w.child == nil:
		w.shared.pending = append(w.shared.pending, end)
		w.shared.failed = append(w.shared.failed, sw)
		end = nil
	case w.queueOnWorkerLocked(w.connectTask(end)):
		end = nil
	}
	w.mu.Unlock()
	if end != nil {
		end.Close()
	}
}

// connectTask returns the task that gives end a MessagePort in the worker's
// realm and fires a connect event with it at the worker's global object.
func (w *worker) connectTask(end *messaging.Endpoint) func() {
	return func() {
		w.mu.Lock()
		child := w.child
		w.mu.Unlock()
		port, err := end.Port(child.Realm())
		if err != nil {
			return
		}
		fireConnect(child, port)
	}
}

// fireConnect fires an event named connect at the global object of the
// shared worker's runtime child, using MessageEvent, with the data attribute
// initialized to the empty string, the ports attribute to a frozen array
// containing port and the source attribute to port.
func fireConnect(child Child, port *goja.Object) {
	realm := child.Realm()
	ev, err := events.NewMessageEvent(realm, "connect", events.MessageEventInit{
		Data:   realm.VM().ToValue(""),
		Ports:  []*goja.Object{port},
		Source: port,
	})
	if err != nil {
		child.Loop().ReportException(err)
		return
	}
	if _, err := events.Dispatch(realm, realm.Global(), ev); err != nil {
		child.Loop().ReportException(err)
	}
}

// startSharedLocked queues the tasks that start a shared worker whose runtime
// child was just created and whose script is script: the onComplete steps of
// HTML's "run a worker"
// (https://html.spec.whatwg.org/multipage/workers.html#run-a-worker) for a
// shared worker, then the connections made meanwhile. w.mu must be held; the
// worker is not closing.
func (w *worker) startSharedLocked(child Child, script *Script) {
	s := w.shared
	child.Loop().Queue(func() {
		// 3. Let inside port be a new MessagePort in inside settings's
		// realm. 5. Entangle outside port and inside port: the port holds
		// the end entangled with the outside port since the constructor.
		inside, err := s.first.Port(child.Realm())
		if err != nil {
			child.Loop().ReportException(err)
		}
		// 10. Run the classic script (or the bundled module).
		child.RunScript(script)
		// 11. Enable outside port's port message queue.
		parent, outside := w.parent, s.port
		w.queueOnParent(func() { _ = messaging.Start(parent.realm, outside) })
		// 13. Queue a global task to fire an event named connect at the
		// worker global scope with inside port.
		if inside != nil {
			child.Loop().Queue(func() { fireConnect(child, inside) })
		}
	})
	// The SharedWorker objects that connected before the worker's realm
	// existed: their connect events were queued on its event loop, which
	// runs them after the script.
	for _, end := range s.pending {
		// The worker is not closing: queueing succeeds.
		w.queueOnWorkerLocked(w.connectTask(end))
	}
	s.pending, s.failed = nil, nil
}

// failShared gives up the connections of a shared worker that could not
// start and returns the SharedWorker objects to fire error at: the one that
// started it and, as browsers do, those that connected meanwhile.
func (w *worker) failShared() []*goja.Object {
	w.mu.Lock()
	w.closing = true
	objs := append([]*goja.Object{w.obj}, w.shared.failed...)
	ends := w.shared.takeEndsLocked()
	w.shared.failed = nil
	w.mu.Unlock()
	discard(nil, ends)
	w.parent.workers.forgetShared(w)
	return objs
}
