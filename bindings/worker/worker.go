package worker

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/broadcast"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/webidl"
)

// Workers (HTML, https://html.spec.whatwg.org/multipage/workers.html#workers).
//
// new Worker(url) creates a dedicated worker: a runtime of its own, with the
// same web APIs and embedder options as the runtime that created it (its
// parent), whose global object is a DedicatedWorkerGlobalScope, driven by its
// own event loop on its own goroutine. The two talk through the implicit ports
// of HTML: a message is serialized in the sender's realm, handed over as Go
// data, and deserialized in the receiver's realm by a task on the receiver's
// loop. A shared worker (shared.go) is the same kind of runtime, whose
// global object is a SharedWorkerGlobalScope, talking through MessagePorts.
//
// Lifetime. The worker's goroutine fetches the script, creates the runtime,
// runs the script, then runs the loop. While the loop has work (tasks, timers,
// open sockets, its own busy workers) the worker holds its parent's loop, so
// the parent's run does not end while the worker can still post to it. When
// the loop runs out of work the worker lets go of its parent and sleeps until
// a task is queued for it: a message from its parent, or from any runtime
// through a MessagePort. Waking up, it holds its parent again, which wakes the
// parent if it slept, and so on up to the top-level runtime (agent.hold):
// a run ends only when no runtime has work and no message is on its way. It
// ends for good when it calls close(), when the parent calls terminate(), or
// when the parent runtime is closed; then its runtime is closed, which closes
// its own workers and disentangles its ports, and its goroutine returns.
//
// Memory. The messages not yet delivered, either way, wait in the worker's
// queues, charged to the memory budget the runtimes share
// (structuredclone.Queue): postMessage throws once a worker that does not
// read, or a parent that does not, has let the budget fill. The messages are
// dropped, and their charge given back, when the worker closes or is
// terminated.

// worker is one dedicated or shared worker. Its methods note which goroutine
// runs them: the parent's loop, or the worker's own.
type worker struct {
	// Target holds the Worker object's EventTarget slots; *worker is the
	// Worker object's internal slots. (A SharedWorker object has slots of
	// its own, sharedWorkerObject.)
	events.Target

	parent *agent // the agent of the realm that created the worker
	// obj is the Worker object, or the SharedWorker object whose
	// constructor started the shared worker, in the parent's realm.
	obj     *goja.Object
	url     *urlbinding.Record
	origin  string // the creator's origin (its outside settings' origin)
	opts    workerOptions
	created time.Time

	// inner is the agent of the worker's own realm, made when its runtime
	// is configured (see run), and syntaxError its %SyntaxError%, set when
	// its global scope is installed (worker goroutine only).
	inner       *agent
	syntaxError goja.Constructor

	ctx    context.Context // canceled by terminate, and with the parent worker's
	cancel context.CancelFunc
	done   chan struct{} // closed when the worker's goroutine has returned

	mu      sync.Mutex
	child   Child  // the worker's runtime, once created
	busy    bool   // the worker's loop has work: the parent's loop is held
	release func() // lets go of the parent's loop
	kicked  bool   // a task was queued on the worker's loop since its Run started
	wake    chan struct{}
	// closing is the worker global scope's closing flag (close() or
	// terminate()): no task is queued on the worker's loop any more.
	closing bool
	// terminated drops the messages and errors not yet delivered to the
	// parent (terminate() empties the port message queue of the Worker's
	// port).
	terminated bool
	// inside and outside report that the port message queues of the
	// worker's implicit port and of the Worker object's port are enabled,
	// which happens once the worker's script has run.
	inside, outside bool
	// toWorker and toParent hold the messages not yet delivered, each with
	// its task queued (deliverIn, deliverOut) once the queue is enabled:
	// the task takes the first. Dropping the worker's messages empties
	// them; those they hold are charged to the memory budget.
	toWorker, toParent    structuredclone.Queue
	deliverIn, deliverOut func()

	// shared is set for a shared worker, with what only it has.
	shared *sharedState
	// service is set for a service worker (service.go).
	service *serviceState
}

// workerOptions holds the WorkerOptions dictionary
// (https://html.spec.whatwg.org/multipage/workers.html#workeroptions).
type workerOptions struct {
	typ         string // WorkerType: "classic" or "module"
	credentials string // RequestCredentials
	name        string
}

var workerOptionsDict = &webidl.Dictionary[workerOptions]{
	Name: "WorkerOptions",
	Members: []webidl.DictionaryMember[workerOptions]{
		{
			Name: "type",
			Convert: func(r *webidl.Realm, v goja.Value, out *workerOptions) {
				out.typ = r.ToEnum(v, "WorkerType", "classic", "module")
			},
			Default: func(out *workerOptions) { out.typ = "classic" },
		},
		{
			Name: "credentials",
			Convert: func(r *webidl.Realm, v goja.Value, out *workerOptions) {
				out.credentials = r.ToEnum(v, "RequestCredentials", "omit", "same-origin", "include")
			},
			Default: func(out *workerOptions) { out.credentials = "same-origin" },
		},
		{
			Name: "name",
			Convert: func(r *webidl.Realm, v goja.Value, out *workerOptions) {
				out.name = r.ToDOMString(v).String()
			},
			Default: func(out *workerOptions) { out.name = "" },
		},
	},
}

// registerWorker defines the Worker interface
// (https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-worker-interface,
// with the AbstractWorker mixin of
// https://html.spec.whatwg.org/multipage/workers.html#the-abstractworker-mixin)
// in a's realm, and SharedWorker
// (https://html.spec.whatwg.org/multipage/workers.html#shared-workers-and-the-sharedworker-interface),
// which is exposed on Window only, and navigator.serviceWorker (service.go) in
// a Window's.
func (a *agent) registerWorker() error {
	if a.kind == bindings.Window {
		if err := a.registerSharedWorker(); err != nil {
			return err
		}
		if err := a.registerServiceWorkers(); err != nil {
			return err
		}
	}
	return a.realm.DefineInterface(&webidl.Interface{
		Name:        "Worker",
		Parent:      "EventTarget",
		Length:      1,
		Constructor: a.newWorker,
		Attributes: []webidl.Attribute{
			events.HandlerAttribute("onmessage"),
			events.HandlerAttribute("onmessageerror"),
			events.HandlerAttribute("onerror"),
		},
		Operations: []webidl.Operation{
			{Name: "terminate", Func: func(c webidl.Call) goja.Value {
				c.Impl.(*worker).terminate()
				return goja.Undefined()
			}},
			{Name: "postMessage", Length: 1, Func: func(c webidl.Call) goja.Value {
				w := c.Impl.(*worker)
				transfer := messaging.TransferList(c)
				w.postToWorker(structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage"))
				return goja.Undefined()
			}},
		},
	})
}

// newWorker runs the steps of the Worker(scriptURL, options) constructor
// (https://html.spec.whatwg.org/multipage/workers.html#dom-worker) on the
// parent's loop.
func (a *agent) newWorker(c webidl.Call) any {
	c.RequireArgs("Worker", 1)
	scriptURL := c.Realm.ToUSVString(c.Args[0])
	var opts workerOptions
	webidl.ToDictionary(c.Realm, c.Arg(1), workerOptionsDict, &opts)
	// 1. The user agent may throw a "SecurityError" DOMException if the request
	// violates a policy decision: none here; the connection policy applies
	// when the script is fetched.
	// 2-5. Parse scriptURL relative to the current settings object; failure is
	// a "SyntaxError" DOMException.
	u, err := urlbinding.Parse(scriptURL, c.Realm.APIBaseURL())
	if err != nil {
		c.Realm.ThrowDOMException("SyntaxError", fmt.Sprintf("Failed to construct 'Worker': The URL '%s' is invalid.", scriptURL))
	}
	// 6-8. A new Worker object; its implicit port is the worker itself.
	// 9. Run a worker, in parallel. 10. Return worker.
	w, err := a.startWorker(c.This, u, opts, nil)
	if err != nil {
		throwQuota(c.Realm, "Worker", err)
	}
	return w
}

// throwQuota throws the "QuotaExceededError" DOMException of the
// constructor of iface for err, a *quotaError: a bound of the host
// (Options.MaxWorkers, MaxDepth), not of HTML.
func throwQuota(r *webidl.Realm, iface string, err error) {
	r.ThrowDOMException("QuotaExceededError", fmt.Sprintf("Failed to construct '%s': %v.", iface, err))
}

// startWorker creates the worker of obj, a Worker object or the SharedWorker
// object that starts a shared worker (shared is then not nil), and starts its
// goroutine, which runs the worker (HTML "run a worker",
// https://html.spec.whatwg.org/multipage/workers.html#run-a-worker). Beyond
// the realm's quota it starts nothing and returns a *quotaError.
func (a *agent) startWorker(obj *goja.Object, u *urlbinding.Record, opts workerOptions, shared *sharedState) (*worker, error) {
	return a.startWorkerWith(obj, u, opts, shared, nil, originOf(a.realm.APIBaseURL()))
}

// startWorkerWith is startWorker for any kind of worker, service workers
// too (service is then not nil, and obj nil), whose creator's origin is
// origin. It may be called from any goroutine.
func (a *agent) startWorkerWith(obj *goja.Object, u *urlbinding.Record, opts workerOptions, shared *sharedState, service *serviceState, origin string) (*worker, error) {
	// The worker counts until its goroutine has ended (exit).
	if err := a.quota.reserve(); err != nil {
		return nil, err
	}
	// The worker's context is its parent worker's child: terminating a
	// worker interrupts the scripts of all the workers under it at once,
	// rather than one level after another as each closes its runtime.
	parentCtx := context.Background()
	if a.worker != nil {
		parentCtx = a.worker.ctx
	}
	ctx, cancel := context.WithCancel(parentCtx)
	w := &worker{
		parent:  a,
		obj:     obj,
		url:     u,
		origin:  origin,
		opts:    opts,
		created: time.Now(),
		ctx:     ctx,
		cancel:  cancel,
		done:    make(chan struct{}),
		wake:    make(chan struct{}, 1),
		busy:    true,
		shared:  shared,
		service: service,
	}
	w.deliverIn, w.deliverOut = w.deliverToWorker, w.deliverToParent
	// Until its script has run, the worker has work: hold the parent's loop.
	w.release = a.hold()
	if !a.workers.add(w) {
		// The runtime is closing: the worker never starts.
		w.closing, w.terminated = true, true
		w.release()
		w.release, w.busy = nil, false
		cancel()
		if shared != nil {
			shared.first.Close()
		}
		a.quota.release()
		close(w.done)
		return w, nil
	}
	go w.run()
	return w, nil
}

// run is the worker's goroutine: HTML "run a worker"
// (https://html.spec.whatwg.org/multipage/workers.html#run-a-worker).
func (w *worker) run() {
	defer w.exit()
	p := w.parent
	// Fetch the script (a classic worker script, or the module graph
	// bundled by the host for a module worker from a file). A service
	// worker's was fetched by its Update job.
	var script *Script
	var final string
	var err error
	if w.service != nil {
		script, final = w.service.sw.script, w.service.sw.final
	} else {
		script, final, err = p.fetchScript(w.ctx, w.url, fetchWorker, w.opts.typ == "module", w.origin)
	}
	if err != nil {
		if w.ctx.Err() != nil {
			return // terminated
		}
		w.failStart(err)
		return
	}
	// The worker global scope, its realm and its settings object: a runtime
	// with the parent's web APIs and options, whose API base URL is the
	// script's URL after redirects.
	isolated := w.isolation(script, final)
	child, err := p.quota.create(w.ctx, func() (Child, error) {
		return p.opts.Host.NewChild(ChildOptions{
			Global:  w.kind(),
			BaseURL: final,
			Configure: func(env *bindings.Env) {
				bindings.Configure(env, w)
				env.Realm.SetCrossOriginIsolated(isolated)
				// The members of WorkerGlobalScope, and of the mixins it
				// includes, are on WorkerGlobalScope.prototype, not on the
				// global object: only its [Global] interface's are.
				env.Realm.GlobalMembersOn("WorkerGlobalScope")
				// The worker's agent, which the worker reaches from its
				// own goroutine, before the runtime installs anything.
				agentOf(env)
			},
			QueueTask: w.queueTask,
			OnError:   w.onError,
		})
	})
	if w.ctx.Err() != nil {
		// Terminated, or a worker above was.
		if child != nil {
			child.Close()
		}
		return
	}
	if err != nil {
		w.failStart(err)
		return
	}
	child.Realm().SetTimeOrigin(w.created)
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		child.Close()
		return
	}
	w.child = child
	if w.shared != nil {
		w.startSharedLocked(child, script)
	} else if w.service != nil {
		w.startServiceLocked(child, script)
	} else {
		child.Loop().Queue(func() {
			// Run the classic script (or the bundled module), then enable
			// the port message queues of the Worker's port and of the
			// implicit port.
			child.RunScript(script)
			w.enablePorts()
		})
	}
	w.mu.Unlock()
	// Event loop: run the worker's loop until it is destroyed.
	for {
		w.mu.Lock()
		w.kicked = false
		w.mu.Unlock()
		err := child.Loop().Run(w.ctx)
		w.mu.Lock()
		if w.closing || err != nil {
			w.mu.Unlock()
			return
		}
		if w.kicked {
			w.mu.Unlock()
			continue
		}
		// Out of work: let the parent go until it posts a message.
		w.busy = false
		release := w.release
		w.release = nil
		w.mu.Unlock()
		release()
		select {
		case <-w.wake:
		case <-w.ctx.Done():
			return
		}
	}
}

// failStart runs onComplete for a script that is null or has an error to
// rethrow (https://html.spec.whatwg.org/multipage/workers.html#run-a-worker): a
// global task fires an event named error at the Worker object. Scripts never
// learn why; Stderr does.
func (w *worker) failStart(err error) {
	p := w.parent
	if w.service != nil {
		// Run Service Worker fails: its job hears of it when the
		// goroutine returns.
		fmt.Fprintf(p.stderr, "ServiceWorker %s could not be started: %v\n", w.url.Href, err)
		return
	}
	kind, objs := "Worker", []*goja.Object{w.obj}
	if w.shared != nil {
		kind, objs = "SharedWorker", w.failShared()
	}
	fmt.Fprintf(p.stderr, "%s %s could not be started: %v\n", kind, w.url.Href, err)
	w.queueOnParent(func() {
		if !w.isTerminated() {
			for _, o := range objs {
				_, _ = events.Fire(p.realm, o, "error")
			}
		}
	})
}

// exit ends the worker on its own goroutine: the closing flag is set, its
// runtime (with its timers, sockets and workers) closed, and the parent let go.
func (w *worker) exit() {
	w.mu.Lock()
	w.closing = true
	dropped := w.toWorker.Take()
	var ends []*messaging.Endpoint
	if w.shared != nil {
		ends = w.shared.takeEndsLocked()
	}
	child := w.child
	release := w.release
	w.release, w.busy = nil, false
	w.mu.Unlock()
	discard(dropped, ends)
	if child != nil {
		child.Close()
	}
	if w.service != nil {
		w.service.exited()
	}
	if release != nil {
		release()
	}
	w.cancel()
	// Released before the worker leaves the set: a Close that no longer
	// finds it finds it uncounted.
	w.parent.quota.release()
	w.parent.workers.remove(w)
	close(w.done)
}

// terminate runs "terminate a worker"
// (https://html.spec.whatwg.org/multipage/workers.html#terminate-a-worker) from
// the parent's loop: the closing flag is set, tasks and messages not yet run
// are dropped, and the script running in the worker is aborted.
func (w *worker) terminate() {
	w.mu.Lock()
	if w.terminated {
		w.mu.Unlock()
		return
	}
	w.closing, w.terminated = true, true
	dropped := append(w.toWorker.Take(), w.toParent.Take()...)
	w.mu.Unlock()
	discard(dropped, nil)
	w.parent.workers.forgetShared(w)
	// Canceling the context makes the worker's loop and any fetch in
	// progress return, and those of the workers under it; the goroutines
	// then close the runtimes.
	w.cancel()
	w.interrupt()
}

// interrupt interrupts the script running in w's runtime and in those of
// all the workers under it, from any goroutine. Canceling their contexts
// does too, but through a goroutine for each runtime, which the goroutines
// of workers busy running script (as many as Options.MaxWorkers) can keep
// from being scheduled for a long time.
func (w *worker) interrupt() {
	w.mu.Lock()
	child := w.child
	w.mu.Unlock()
	if child == nil {
		return // no script has run; its goroutine sees the context
	}
	child.Loop().Interrupt(context.Canceled)
	// w.inner was set before w.child, under w.mu.
	if w.inner == nil {
		return
	}
	for _, c := range w.inner.workers.list() {
		c.interrupt()
	}
}

// closeFromInside runs "close a worker"
// (https://html.spec.whatwg.org/multipage/workers.html#close-a-worker) for
// close() in the worker: the closing flag is set, and the loop stops after the
// current task.
func (w *worker) closeFromInside() {
	w.mu.Lock()
	w.closing = true
	dropped := w.toWorker.Take()
	child := w.child
	w.mu.Unlock()
	discard(dropped, nil)
	// Its BroadcastChannels are no longer eligible for messaging
	// (https://html.spec.whatwg.org/multipage/web-messaging.html#eligible-for-messaging).
	broadcast.Shutdown(child.Realm())
	// A closing shared worker is no longer found by SharedWorker's constructor
	// (step 11.2 of
	// https://html.spec.whatwg.org/multipage/workers.html#dom-sharedworker).
	w.parent.workers.forgetShared(w)
	child.Loop().Stop()
}

// discard drops messages that will never be delivered, with the ports they
// transfer, and the ends of ports that will never have a port. It must not
// be called with a worker's mu held: the peers of those ports are told with
// tasks, which may be queued on any worker.
func discard(ms []*structuredclone.Serialized, ends []*messaging.Endpoint) {
	for _, m := range ms {
		m.Discard()
	}
	for _, e := range ends {
		e.Close()
	}
}

func (w *worker) isTerminated() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.terminated
}

// queueOnParent queues task on the parent's loop. The worker's goroutine calls
// it while the worker holds the parent's loop, so the task runs before the
// parent's run can end.
func (w *worker) queueOnParent(task func()) {
	w.parent.queue(task)
}

// queueOnWorkerLocked queues task on the worker's loop and wakes the worker if
// it was out of work, holding the parent's loop again; it reports false if
// the task will not run. w.mu must be held.
func (w *worker) queueOnWorkerLocked(task func()) bool {
	if w.closing || w.child == nil || !w.child.Loop().Queue(task) {
		return false
	}
	w.kicked = true
	w.wakeLocked()
	return true
}

// wakeLocked makes a worker that was out of work busy again: it holds its
// parent's loop and its goroutine runs its loop. w.mu must be held.
func (w *worker) wakeLocked() {
	if w.busy {
		return
	}
	w.busy = true
	w.release = w.parent.hold()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// hold keeps a's event loop running until release is called. A worker's
// runtime that was out of work wakes up, holding its parent's loop in turn:
// a worker woken by a MessagePort while its parent sleeps keeps every loop
// up to the top one running, so what it sends up is received.
func (a *agent) hold() (release func()) {
	release = a.loop.Hold()
	if w := a.worker; w != nil {
		w.mu.Lock()
		if !w.closing {
			w.kicked = true
			w.wakeLocked()
		}
		w.mu.Unlock()
	}
	return release
}

// queueTask queues task on the worker's event loop from any goroutine: a
// task of a web API, such as the delivery of a message to a MessagePort
// (the Env.QueueTask of its runtime). A worker that was out of work wakes up
// for it. It reports false if the task will not run.
func (w *worker) queueTask(task func()) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queueOnWorkerLocked(task)
}

// kind returns the kind of the worker's global object.
func (w *worker) kind() bindings.Global {
	switch {
	case w.shared != nil:
		return bindings.SharedWorker
	case w.service != nil:
		return bindings.ServiceWorker
	}
	return bindings.DedicatedWorker
}

// enablePorts enables the port message queues of both implicit ports once
// the worker's script has run, on the worker's loop: the messages posted so
// far are delivered.
func (w *worker) enablePorts() {
	w.mu.Lock()
	w.outside = true
	toParent := w.toParent.Len()
	w.inside = true
	for range w.toWorker.Len() {
		w.queueOnWorkerLocked(w.deliverIn)
	}
	w.mu.Unlock()
	for range toParent {
		w.queueOnParent(w.deliverOut)
	}
}

// postToWorker sends a message from the Worker object to the worker (the
// implicit port's "message port post message steps",
// https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps),
// on the parent's loop.
func (w *worker) postToWorker(m *structuredclone.Serialized) {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		m.Discard()
		return
	}
	// A task that cannot be queued means the loop is closing: the worker's
	// exit drops the message.
	w.toWorker.Push(m)
	if w.inside {
		w.queueOnWorkerLocked(w.deliverIn)
	}
	w.mu.Unlock()
}

// postToParent sends a message from the worker's global scope to the Worker
// object, on the worker's loop.
func (w *worker) postToParent(m *structuredclone.Serialized) {
	w.mu.Lock()
	if w.terminated {
		w.mu.Unlock()
		m.Discard()
		return
	}
	w.toParent.Push(m)
	outside := w.outside
	w.mu.Unlock()
	if outside {
		w.queueOnParent(w.deliverOut)
	}
}

// nextToWorker takes the first message for the worker, with the worker's
// runtime, on its loop; it returns a nil message once the worker is closing.
func (w *worker) nextToWorker() (*structuredclone.Serialized, Child) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing {
		return nil, nil
	}
	return w.toWorker.Pop(), w.child
}

// deliverToWorker is the task that delivers the first message for the
// worker at its global object.
func (w *worker) deliverToWorker() {
	if m, child := w.nextToWorker(); m != nil {
		realm := child.Realm()
		messaging.Deliver(realm, realm.Global(), m, events.MessageEventInit{})
	}
}

// deliverToParent is the task that delivers the first message for the
// parent at the Worker object.
func (w *worker) deliverToParent() {
	w.mu.Lock()
	var m *structuredclone.Serialized
	if !w.terminated {
		m = w.toParent.Pop()
	}
	w.mu.Unlock()
	if m != nil {
		messaging.Deliver(w.parent.realm, w.obj, m, events.MessageEventInit{})
	}
}
