package worker

import (
	"errors"
	"io"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/navigator"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Options configure the bindings of this package; hand them over with
// bindings.Configure.
type Options struct {
	// Host creates the runtimes of the realm's workers. Binding cannot be
	// installed without one.
	Host Host
	// DefineWindow defines `window` on a Window global object, Window's
	// [LegacyUnforgeable] attribute that returns the global itself.
	DefineWindow bool
	// Network reaches the servers of the scripts of workers fetched over
	// HTTP, as it does for fetch(): its Allow is asked about every URL,
	// redirects included, then about every address dialed. Nil means the
	// zero network.Policy.
	Network *network.Policy
	// MaxWorkers bounds the workers (dedicated, shared and service) running
	// at once under the top-level runtime: the workers of its realm and of
	// every worker under it, each counted from when its constructor
	// returns until its goroutine has ended. Beyond it, the Worker and
	// SharedWorker constructors throw a "QuotaExceededError" DOMException,
	// and register() rejects with a TypeError, as when Run Service Worker
	// fails. Zero means no bound set here; the bounds of the realms above
	// apply, the tightest winning.
	MaxWorkers int
	// MaxDepth bounds how deep workers nest: a worker that a top-level
	// runtime starts is at depth 1, one that it starts at depth 2. Beyond
	// it, the constructors throw as for MaxWorkers. Zero means no bound set
	// here, as for MaxWorkers.
	MaxDepth int
	// IsolateByResponse decides whether shared and service workers are
	// cross-origin isolated as a browser does, from the response of their
	// script (see ResponseIsolates). By default, and for dedicated workers
	// always, a worker is isolated as the realm that starts it is
	// (webidl.Realm.CrossOriginIsolated).
	IsolateByResponse bool
}

// GlobalScope makes the global object implement the interface of its kind
// (env.Global): Window
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object),
// or WorkerGlobalScope
// (https://html.spec.whatwg.org/multipage/workers.html#the-workerglobalscope-common-interface)
// with DedicatedWorkerGlobalScope, SharedWorkerGlobalScope or
// ServiceWorkerGlobalScope. It is installed right after the events binding,
// which it needs, and before the bindings that define members of the global
// object.
var GlobalScope = &bindings.Binding{
	Name: "global scope", Needs: []*bindings.Binding{events.Binding}, Register: registerGlobalScope,
	// window, with Options.DefineWindow.
	Key: func(env *bindings.Env) any {
		return env.Global == bindings.Window && bindings.Config[Options](env).DefineWindow
	},
}

// Binding defines Worker in every realm and, in a Window's, SharedWorker
// and, in a secure context, navigator.serviceWorker with the service
// worker interfaces. It needs GlobalScope and the navigator binding.
var Binding = &bindings.Binding{
	Name: "worker", Needs: []*bindings.Binding{GlobalScope, navigator.Binding, blob.Binding}, Register: register,
	// navigator.serviceWorker, in a secure context.
	Extends: []*bindings.Binding{navigator.Binding},
	Key: func(env *bindings.Env) any {
		return env.Global == bindings.Window && secureContext(env.Realm.APIBaseURL())
	},
}

// agentKey finds the agent of a realm in its data.
type agentKey struct{}

// agent is the package's state in one realm: the realm as the owner of
// workers and, in a worker's realm, as the global scope of one.
type agent struct {
	realm  *webidl.Realm
	vm     *goja.Runtime
	loop   *eventloop.Loop
	opts   Options
	stderr io.Writer
	queue  func(task func()) bool // queues a task from any goroutine (Env.Queue)
	kind   bindings.Global
	// isolated is the realm's cross-origin isolated capability, fixed
	// before the agent is made; workers started from any goroutine read it.
	isolated bool
	// blobURLs resolves blob: script URLs: the store of the realm's agent
	// cluster, nil where there is none.
	blobURLs *blob.URLStore

	worker  *worker   // the worker whose realm this is, nil at the top
	workers workerSet // the workers this realm created, which Shutdown ends
	quota   quota     // what the workers it creates are counted against
	// sw holds the service worker registrations of a Window realm in a
	// secure context (service.go), nil otherwise.
	sw *swRegistry
}

// agentOf returns the agent of env's realm, made on first use.
func agentOf(env *bindings.Env) *agent {
	if a, ok := env.Realm.Data(agentKey{}).(*agent); ok {
		return a
	}
	a := &agent{
		realm:    env.Realm,
		vm:       env.Realm.VM(),
		loop:     env.Loop,
		opts:     bindings.Config[Options](env),
		blobURLs: blob.URLStoreOf(env),
		stderr:   env.Err(),
		queue:    env.Queue(),
		kind:     env.Global,
		isolated: env.Realm.CrossOriginIsolated(),
		// A worker's runtime is configured with its worker (see run).
		worker: bindings.Config[*worker](env),
	}
	a.quota = newQuota(a.opts, a.worker, env.Cluster)
	env.Realm.SetData(agentKey{}, a)
	if a.worker != nil {
		a.worker.inner = a
	}
	return a
}

func register(env *bindings.Env) error {
	a := agentOf(env)
	if a.opts.Host == nil {
		return errors.New("no Host to create the runtimes of workers")
	}
	if a.loop == nil {
		return errors.New("no event loop")
	}
	return a.registerWorker()
}

// Shutdown stops the service worker jobs of realm and terminates its
// workers, waiting for their goroutines to return, for wait at most (0:
// as long as it takes): a worker's script inside a built-in that computes
// in Go sees the interrupt only when it returns, and its goroutine then
// ends on its own. The runtime calls it when it is closed, after its loop.
func Shutdown(realm *webidl.Realm, wait time.Duration) {
	a, _ := realm.Data(agentKey{}).(*agent)
	if a == nil {
		return
	}
	// Service worker jobs stop; workers end with their parent.
	if a.sw != nil {
		a.sw.close()
	}
	a.workers.closeAll(wait)
}

// StartClientMessages enables the client message queue of realm's
// navigator.serviceWorker, if it has one. The runtime calls it, on the
// realm's loop, once a script it was given has run: that stands for
// DOMContentLoaded.
func StartClientMessages(realm *webidl.Realm) {
	if a, _ := realm.Data(agentKey{}).(*agent); a != nil && a.sw != nil {
		a.sw.container.start()
	}
}
