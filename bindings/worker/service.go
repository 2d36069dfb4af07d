package worker

import (
	"context"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// Service workers (Service Workers, https://w3c.github.io/ServiceWorker/).
//
// A top-level runtime whose API base URL is a secure context (an https:
// URL, or http: on a loopback address or localhost) has
// navigator.serviceWorker. register() schedules a job; the jobs of the
// runtime run one after another on a goroutine of their own (the runner),
// which fetches the script, starts the service worker (a worker, see
// worker.go, whose global object is a ServiceWorkerGlobalScope), installs
// and activates it. The registrations are keyed by scope URL in the
// top-level runtime, which stands for the storage key; they live as long as
// the runtime.
//
// The runtime is the only service worker client: a window client whose URL
// is its API base URL. Its service worker, the controller, is null until an
// active worker calls clients.claim(). Its client message queue, which
// holds what service workers post to it, is enabled by startMessages(), by
// setting navigator.serviceWorker.onmessage, or once the runtime has run a
// script or an embedder's function (StartClientMessages), which stands for
// DOMContentLoaded. Nothing is ever routed through a
// service worker: wsjs has no navigations, and fetch() and WebSocket from a
// controlled runtime go to the network, so a fetch event is never fired.
//
// Each realm that can see service worker objects (the top-level runtime's
// and each service worker's) has its own view of every registration and
// worker, changed only by tasks on its event loop, as the spec's Update
// Registration State and Update Worker State algorithms queue them: a
// ServiceWorkerRegistration or ServiceWorker object shows the state its
// realm has been told about so far.
//
// Lifetime. The runner holds the top-level runtime's loop while it works,
// and lets go while it waits for a service worker to settle the promises of
// an install or activate event: the worker then holds the loop while it has
// work, as any worker does, so a promise that can never settle does not keep
// the runtime alive. Service workers run until they become redundant or the
// runtime is closed. Closing the runtime stops the runner and terminates the
// workers.
//
// This file holds the registry and each realm's views of it;
// service_jobs.go the jobs (register, update, install, activate,
// unregister); service_messages.go the messages between the runtime and
// its service workers, and the extendable events; service_iface.go the
// interfaces, of the runtime's global and of the service worker's.

// swRealmKey finds the swRealm of a realm in its data.
type swRealmKey struct{}

// swRegistry holds the service worker registrations of a top-level runtime
// and runs their jobs.
type swRegistry struct {
	top      *agent
	origin   string // the top-level runtime's origin: the storage key
	clientID string // the id of the runtime's service worker client
	// client is the creation URL of the runtime's service worker client:
	// its API base URL, a fixed one since it is a secure context.
	client   string
	topRealm *swRealm
	ctx      context.Context // canceled by close
	cancel   context.CancelFunc
	wg       sync.WaitGroup // the runner

	mu     sync.Mutex
	regs   map[string]*swRegistration // the registration map, by scope URL
	order  []*swRegistration          // the registrations, oldest first
	realms []*swRealm
	// queues are the job queues, by scope URL (the "scope to job queue map",
	// https://w3c.github.io/ServiceWorker/#dfn-scope-to-job-queue-map); a queue
	// whose runner is idle is removed.
	queues map[string][]*swJob
	closed bool
	// controller is the active service worker of the runtime's client, set
	// by clients.claim().
	controller *swWorker

	// container holds the slots of navigator.serviceWorker (top-level
	// loop only).
	container *swContainer
}

// swRegistration is a service worker registration
// (https://w3c.github.io/ServiceWorker/#service-worker-registration-concept).
type swRegistration struct {
	scope          string // serialized scope URL
	updateViaCache string
	// Guarded by the registry's mu.
	installing, waiting, active *swWorker
	uninstalling                bool
}

// newest is Get Newest Worker
// (https://w3c.github.io/ServiceWorker/#get-newest-worker-algorithm). mu must
// be held.
func (reg *swRegistration) newest() *swWorker {
	switch {
	case reg.installing != nil:
		return reg.installing
	case reg.waiting != nil:
		return reg.waiting
	}
	return reg.active
}

// swWorker is a service worker
// (https://w3c.github.io/ServiceWorker/#service-worker-concept).
type swWorker struct {
	reg       *swRegistration
	scriptURL string
	typ       string // "classic" or "module"
	script    *Script
	final     string // the script's URL after redirects

	// Guarded by the registry's mu.
	state       string // ServiceWorkerState
	skipWaiting bool
	w           *worker // the running worker, once started
}

// swRealm is what a realm that sees service worker objects knows of them.
// The maps are guarded by the registry's mu; the views' fields are used on
// the realm's loop only.
type swRealm struct {
	g           *swRegistry
	a           *agent
	sw          *swWorker // the service worker whose realm this is; nil at the top
	regViews    map[*swRegistration]*swRegView
	workerViews map[*swWorker]*swWorkerView
	clients     *goja.Object  // the Clients object ([SameObject])
	then        goja.Callable // %Promise.prototype.then%, for waitUntil
}

// swRegView holds the slots of the ServiceWorkerRegistration object of a
// registration in one realm.
type swRegView struct {
	events.Target
	reg                         *swRegistration
	realm                       *swRealm
	obj                         *goja.Object
	installing, waiting, active *swWorker
}

// swWorkerView holds the slots of the ServiceWorker object of a service
// worker in one realm.
type swWorkerView struct {
	events.Target
	sw    *swWorker
	realm *swRealm
	obj   *goja.Object
	state string
}

func (s *swRealm) queue(task func()) bool { return s.a.queue(task) }

// regObject is "get the service worker registration object"
// (https://w3c.github.io/ServiceWorker/#service-worker-registration-creation):
// the one ServiceWorkerRegistration object of reg in the realm.
func (s *swRealm) regObject(reg *swRegistration) *goja.Object {
	s.g.mu.Lock()
	v := s.regViews[reg]
	if v == nil {
		v = s.newRegViewLocked(reg)
	}
	s.g.mu.Unlock()
	if v.obj == nil {
		v.obj = s.a.realm.New("ServiceWorkerRegistration", v)
	}
	return v.obj
}

// workerObject is "get the service worker object"
// (https://w3c.github.io/ServiceWorker/#service-worker-creation): the one
// ServiceWorker object of sw in the realm, or null.
func (s *swRealm) workerObject(sw *swWorker) goja.Value {
	if sw == nil {
		return goja.Null()
	}
	s.g.mu.Lock()
	v := s.workerViews[sw]
	if v == nil {
		v = s.newWorkerViewLocked(sw)
	}
	s.g.mu.Unlock()
	if v.obj == nil {
		v.obj = s.a.realm.New("ServiceWorker", v)
	}
	return v.obj
}

// newRegViewLocked makes the realm's view of reg, as it is now. mu must be
// held.
func (s *swRealm) newRegViewLocked(reg *swRegistration) *swRegView {
	v := &swRegView{reg: reg, realm: s, installing: reg.installing, waiting: reg.waiting, active: reg.active}
	s.regViews[reg] = v
	return v
}

func (s *swRealm) newWorkerViewLocked(sw *swWorker) *swWorkerView {
	v := &swWorkerView{sw: sw, realm: s, state: sw.state}
	s.workerViews[sw] = v
	return v
}

func newSWRealm(g *swRegistry, a *agent, sw *swWorker) *swRealm {
	s := &swRealm{
		g: g, a: a, sw: sw,
		regViews:    make(map[*swRegistration]*swRegView),
		workerViews: make(map[*swWorker]*swWorkerView),
	}
	// Captured before script runs, as the realm's own.
	s.then, _ = goja.AssertFunction(webidl.Intrinsics{VM: a.vm}.Value("Promise", "prototype", "then"))
	a.realm.SetData(swRealmKey{}, s)
	return s
}

// self is Binding, set by init: Register reaches swRealmOf, so naming
// Binding there would be an initialization cycle.
var self *bindings.Binding

func init() { self = Binding }

// swRealmOf returns the service worker state of r, installing the worker
// binding first where r's bindings are installed on first use: a service
// worker's runtime asks for it before its script runs.
func swRealmOf(r *webidl.Realm) *swRealm {
	if _, ok := r.Data(swRealmKey{}).(*swRealm); !ok {
		_ = bindings.Require(r, self)
	}
	s, _ := r.Data(swRealmKey{}).(*swRealm)
	return s
}

// addRealm makes the registry tell s about registrations and workers,
// starting with their state now.
func (g *swRegistry) addRealm(s *swRealm) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, reg := range g.order {
		s.newRegViewLocked(reg)
		for _, sw := range []*swWorker{reg.installing, reg.waiting, reg.active} {
			if sw != nil && s.workerViews[sw] == nil {
				s.newWorkerViewLocked(sw)
			}
		}
	}
	if s.sw != nil && s.workerViews[s.sw] == nil {
		s.newWorkerViewLocked(s.sw)
	}
	g.realms = append(g.realms, s)
}

func (g *swRegistry) removeRealm(s *swRealm) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, r := range g.realms {
		if r == s {
			g.realms = append(g.realms[:i], g.realms[i+1:]...)
			return
		}
	}
}

// setRegStateLocked is Update Registration State
// (https://w3c.github.io/ServiceWorker/#update-registration-state-algorithm):
// it sets the target worker of reg and queues, in every realm, a task that
// updates the registration object's attribute. mu must be held.
func (g *swRegistry) setRegStateLocked(reg *swRegistration, target string, sw *swWorker) {
	switch target {
	case "installing":
		reg.installing = sw
	case "waiting":
		reg.waiting = sw
	case "active":
		reg.active = sw
	}
	for _, s := range g.realms {
		v := s.regViews[reg]
		if v == nil {
			continue
		}
		s.queue(func() {
			switch target {
			case "installing":
				v.installing = sw
			case "waiting":
				v.waiting = sw
			case "active":
				v.active = sw
			}
		})
	}
}

// setWorkerStateLocked is Update Worker State
// (https://w3c.github.io/ServiceWorker/#update-state-algorithm): it sets sw's
// state and queues, in every realm, a task that sets the state of the
// ServiceWorker object and fires statechange at it. mu must be held.
func (g *swRegistry) setWorkerStateLocked(sw *swWorker, state string) {
	sw.state = state
	for _, s := range g.realms {
		v := s.workerViews[sw]
		if v == nil {
			continue
		}
		s.queue(func() {
			v.state = state
			if v.obj != nil {
				_, _ = events.Fire(s.a.realm, v.obj, "statechange")
			}
		})
	}
}

// match is Match Service Worker Registration
// (https://w3c.github.io/ServiceWorker/#scope-match-algorithm): the
// registration whose scope is the longest prefix of clientURL. mu must be held.
func (g *swRegistry) matchLocked(clientURL string) *swRegistration {
	var best *swRegistration
	for scope, reg := range g.regs {
		if strings.HasPrefix(clientURL, scope) && (best == nil || len(scope) > len(best.scope)) {
			best = reg
		}
	}
	return best
}

// clientURL is the creation URL of the runtime's service worker client.
func (g *swRegistry) clientURL() string { return g.client }
