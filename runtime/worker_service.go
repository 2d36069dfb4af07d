package runtime

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
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
// setting navigator.serviceWorker.onmessage, or once a script given to
// RunFile or RunScript, or a function given to Do, has run, which stands for
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

// swRealmKey finds the swRealm of a realm in its data.
type swRealmKey struct{}

// swRegistry holds the service worker registrations of a top-level runtime
// and runs their jobs.
type swRegistry struct {
	top      *Runtime
	origin   string // the top-level runtime's origin: the storage key
	clientID string // the id of the runtime's service worker client
	topRealm *swRealm
	ctx      context.Context // canceled by close
	cancel   context.CancelFunc
	wg       sync.WaitGroup // the runner

	mu     sync.Mutex
	regs   map[string]*swRegistration // the registration map, by scope URL
	order  []*swRegistration          // the registrations, oldest first
	realms []*swRealm
	// queues are the job queues, by scope URL (§8 "scope to job queue
	// map"); a queue whose runner is idle is removed.
	queues map[string][]*swJob
	closed bool
	// controller is the active service worker of the runtime's client, set
	// by clients.claim().
	controller *swWorker

	// container holds the slots of navigator.serviceWorker (top-level
	// loop only).
	container *swContainer
}

// swRegistration is a service worker registration (§2.2).
type swRegistration struct {
	scope          string // serialized scope URL
	updateViaCache string
	// Guarded by the registry's mu.
	installing, waiting, active *swWorker
	uninstalling                bool
}

// newest is Get Newest Worker (§8 "Get Newest Worker"). mu must be held.
func (reg *swRegistration) newest() *swWorker {
	switch {
	case reg.installing != nil:
		return reg.installing
	case reg.waiting != nil:
		return reg.waiting
	}
	return reg.active
}

// swWorker is a service worker (§2.1).
type swWorker struct {
	reg       *swRegistration
	scriptURL string
	typ       string // "classic" or "module"
	script    *loaded
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
	rt          *Runtime
	sw          *swWorker // the service worker whose realm this is; nil at the top
	regViews    map[*swRegistration]*swRegView
	workerViews map[*swWorker]*swWorkerView
	clients     *goja.Object // the Clients object ([SameObject])
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

func (s *swRealm) queue(task func()) bool { return s.rt.queueTask(task) }

// regObject is "get the service worker registration object" (§3.2): the
// one ServiceWorkerRegistration object of reg in the realm.
func (s *swRealm) regObject(reg *swRegistration) *goja.Object {
	s.g.mu.Lock()
	v := s.regViews[reg]
	if v == nil {
		v = s.newRegViewLocked(reg)
	}
	s.g.mu.Unlock()
	if v.obj == nil {
		v.obj = s.rt.realm.New("ServiceWorkerRegistration", v)
	}
	return v.obj
}

// workerObject is "get the service worker object" (§3.1): the one
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
		v.obj = s.rt.realm.New("ServiceWorker", v)
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

func newSWRealm(g *swRegistry, rt *Runtime, sw *swWorker) *swRealm {
	s := &swRealm{
		g: g, rt: rt, sw: sw,
		regViews:    make(map[*swRegistration]*swRegView),
		workerViews: make(map[*swWorker]*swWorkerView),
	}
	rt.realm.SetData(swRealmKey{}, s)
	return s
}

func swRealmOf(r *webidl.Realm) *swRealm {
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

// setRegStateLocked is Update Registration State (§8): it sets the target
// worker of reg and queues, in every realm, a task that updates the
// registration object's attribute. mu must be held.
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

// setWorkerStateLocked is Update Worker State (§8): it sets sw's state and
// queues, in every realm, a task that sets the state of the ServiceWorker
// object and fires statechange at it. mu must be held.
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
				_, _ = events.Fire(s.rt.realm, v.obj, "statechange")
			}
		})
	}
}

// match is Match Service Worker Registration (§8): the registration whose
// scope is the longest prefix of clientURL. mu must be held.
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
func (g *swRegistry) clientURL() string { return g.top.BaseURL().String() }

// Jobs (§8 "Create Job", "Schedule Job", "Run Job", "Finish Job").

type swJobKind int

const (
	jobRegister swJobKind = iota
	jobUpdate
	jobUnregister
	jobTryActivate // skipWaiting(): Try Activate, run in turn with the jobs
)

type swJob struct {
	kind           swJobKind
	scope          *urlbinding.Record
	script         *urlbinding.Record
	typ            string
	updateViaCache string
	reg            *swRegistration // for jobTryActivate
	// client is the realm of the job promise, settled by resolve and
	// reject on its loop.
	client          *swRealm
	resolve, reject func(goja.Value)
}

// schedule runs Schedule Job: the job is appended to the job queue of its
// scope, whose runner is started if the queue was empty. (Jobs equivalent
// to the last one queued are not coalesced: they run in turn.)
func (g *swRegistry) schedule(j *swJob) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return
	}
	scope := j.scope.Href
	q, running := g.queues[scope]
	g.queues[scope] = append(q, j)
	if running {
		return
	}
	g.wg.Add(1)
	go g.runJobs(scope, g.top.loop.Hold())
}

// jobRun is the runner's state: the hold it has on the top-level loop.
type jobRun struct {
	g       *swRegistry
	release func()
}

// runJobs is the runner of the job queue of scope: it runs the jobs in
// order until none is left.
func (g *swRegistry) runJobs(scope string, release func()) {
	defer g.wg.Done()
	jr := &jobRun{g: g, release: release}
	defer func() {
		if jr.release != nil {
			jr.release()
		}
	}()
	for {
		g.mu.Lock()
		q := g.queues[scope]
		if len(q) == 0 || g.closed {
			delete(g.queues, scope)
			g.mu.Unlock()
			return
		}
		j := q[0]
		g.queues[scope] = q[1:]
		g.mu.Unlock()
		switch j.kind {
		case jobRegister:
			jr.register(j)
		case jobUpdate:
			jr.update(j)
		case jobUnregister:
			jr.unregister(j)
		case jobTryActivate:
			jr.tryActivate(j.reg)
			j.settle(func(*swRealm) goja.Value { return goja.Undefined() }, nil)
		}
	}
}

// settle queues the task that resolves the job promise with value(realm)
// (Resolve Job Promise), or rejects it with fail(realm) if fail is not nil
// (Reject Job Promise).
func (j *swJob) settle(value, fail func(*swRealm) goja.Value) {
	s := j.client
	s.queue(func() {
		if fail != nil {
			j.reject(fail(s))
			return
		}
		j.resolve(value(s))
	})
}

func (j *swJob) resolveReg(reg *swRegistration) {
	j.settle(func(s *swRealm) goja.Value { return s.regObject(reg) }, nil)
}

func (j *swJob) rejectType(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	j.settle(nil, func(s *swRealm) goja.Value { return s.rt.vm.NewTypeError(msg) })
}

func (j *swJob) rejectDOM(name, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	j.settle(nil, func(s *swRealm) goja.Value { return s.rt.realm.NewDOMException(name, msg) })
}

// register runs Register (§8).
func (jr *jobRun) register(j *swJob) {
	g := jr.g
	// 1. The script URL's origin must be potentially trustworthy (an opaque
	// origin is not).
	if j.script.Origin == "null" || !j.script.PotentiallyTrustworthy() {
		j.rejectDOM("SecurityError", "Failed to register a ServiceWorker: the script URL '%s' is not potentially trustworthy.", j.script.Href)
		return
	}
	// 2-3. The script and scope URLs must be same origin with the client.
	if j.script.Origin != g.origin {
		j.rejectDOM("SecurityError", "Failed to register a ServiceWorker: the origin of the script URL '%s' does not match the current origin ('%s').", j.script.Href, g.origin)
		return
	}
	if j.scope.Origin != g.origin {
		j.rejectDOM("SecurityError", "Failed to register a ServiceWorker: the origin of the scope URL '%s' does not match the current origin ('%s').", j.scope.Href, g.origin)
		return
	}
	// 4. Get Registration.
	g.mu.Lock()
	reg := g.regs[j.scope.Href]
	if reg != nil {
		// 5. A registration whose newest worker has the same script, type
		// and update via cache mode is the answer.
		newest := reg.newest()
		if newest != nil && newest.scriptURL == j.script.Href && newest.typ == j.typ && reg.updateViaCache == j.updateViaCache {
			g.mu.Unlock()
			j.resolveReg(reg)
			return
		}
	} else {
		// 6. Set Registration.
		reg = &swRegistration{scope: j.scope.Href, updateViaCache: j.updateViaCache}
		g.regs[reg.scope] = reg
		g.order = append(g.order, reg)
		for _, s := range g.realms {
			s.newRegViewLocked(reg)
		}
	}
	g.mu.Unlock()
	// 7. Update.
	jr.update(j)
}

// removeRegLocked removes reg from the registration map, if it is there.
func (g *swRegistry) removeRegLocked(reg *swRegistration) {
	if g.regs[reg.scope] != reg {
		return
	}
	delete(g.regs, reg.scope)
	for i, r := range g.order {
		if r == reg {
			g.order = append(g.order[:i], g.order[i+1:]...)
			break
		}
	}
}

// update runs Update (§8).
func (jr *jobRun) update(j *swJob) {
	g := jr.g
	// 1-2. Get Registration; none is a TypeError.
	g.mu.Lock()
	reg := g.regs[j.scope.Href]
	if reg == nil {
		g.mu.Unlock()
		j.rejectType("Failed to update a ServiceWorker: the registration of scope '%s' was removed.", j.scope.Href)
		return
	}
	// 3-4. An update job must be for the newest worker's script.
	newest := reg.newest()
	g.mu.Unlock()
	if j.kind == jobUpdate && newest != nil && newest.scriptURL != j.script.Href {
		j.rejectType("Failed to update a ServiceWorker: the script URL changed.")
		return
	}
	fail := func() {
		// 8.2. If newestWorker is null, remove the registration.
		if newest == nil {
			g.mu.Lock()
			g.removeRegLocked(reg)
			g.mu.Unlock()
		}
	}
	// 7. Fetch the script. The perform the fetch hook sets redirect mode
	// "error" for the top-level script.
	script, final, err := g.top.fetchScript(g.ctx, j.script, fetchWorker, j.typ == "module", g.origin)
	if g.ctx.Err() != nil {
		return
	}
	if err == nil {
		if f, perr := urlbinding.Parse(final, ""); perr != nil || f.Href != j.script.Href {
			err = fmt.Errorf("%s was redirected to %s", j.script.Href, final)
		}
	}
	var se *syntaxError
	if !errors.As(err, &se) {
		se = nil
	}
	if err != nil && se == nil {
		fail()
		fmt.Fprintf(g.top.stderr, "ServiceWorker %s could not be fetched: %v\n", j.script.Href, err)
		// 7.7. A response that is not JavaScript is a SecurityError; any
		// other failure gives a null script, a TypeError (8).
		if errors.Is(err, errNotJavaScript) {
			j.rejectDOM("SecurityError", "Failed to register a ServiceWorker for scope ('%s') with script ('%s'): The script has an unsupported MIME type.", j.scope.Href, j.script.Href)
			return
		}
		j.rejectType("Failed to register a ServiceWorker for scope ('%s') with script ('%s'): An unknown error occurred when fetching the script.", j.scope.Href, j.script.Href)
		return
	}
	// 7.11-17. The scope must be inside the script's directory (there is no
	// Service-Worker-Allowed header to widen it).
	dir, perr := urlbinding.Parse("./", j.script.Href)
	if perr != nil || !strings.HasPrefix(j.scope.Path, dir.Path) {
		fail()
		j.rejectDOM("SecurityError", "Failed to register a ServiceWorker: The path of the provided scope ('%s') is not under the max scope allowed ('%s').", j.scope.Path, dir.Path)
		return
	}
	if se != nil {
		// A script that does not parse: Run Service Worker would fail at
		// once (step 16 below).
		fail()
		fmt.Fprintf(g.top.stderr, "ServiceWorker %s: SyntaxError: %s\n", j.script.Href, se.msg)
		j.rejectType("Failed to register a ServiceWorker for scope ('%s') with script ('%s'): ServiceWorker script evaluation failed", j.scope.Href, j.script.Href)
		return
	}
	// 9. An update whose script is the newest worker's, unchanged, ends
	// here (the same source text compiles to the same cached program).
	if newest != nil && newest.script != nil && newest.script.prg == script.prg && newest.typ == j.typ {
		g.mu.Lock()
		reg.updateViaCache = j.updateViaCache
		g.mu.Unlock()
		j.resolveReg(reg)
		return
	}
	// 10-14. A new service worker, in state "parsed".
	sw := &swWorker{reg: reg, scriptURL: j.script.Href, typ: j.typ, script: script, final: final, state: "parsed"}
	g.mu.Lock()
	for _, s := range g.realms {
		s.newWorkerViewLocked(sw)
	}
	g.mu.Unlock()
	// 15-16. Run Service Worker; failure is a TypeError.
	if !jr.runServiceWorker(sw) {
		if g.ctx.Err() != nil {
			return
		}
		g.mu.Lock()
		sw.state = "redundant"
		g.mu.Unlock()
		jr.terminate(sw)
		fail()
		j.rejectType("Failed to register a ServiceWorker for scope ('%s') with script ('%s'): ServiceWorker script evaluation failed", j.scope.Href, j.script.Href)
		return
	}
	// 17. Install.
	jr.install(j, sw, reg)
}

// runServiceWorker runs Run Service Worker (§8): it starts sw's worker, if
// it is not running, and waits for its script to have run; it reports
// false for a failure.
func (jr *jobRun) runServiceWorker(sw *swWorker) bool {
	g := jr.g
	g.mu.Lock()
	if sw.state == "redundant" {
		g.mu.Unlock()
		return false
	}
	if sw.w != nil {
		g.mu.Unlock()
		return true
	}
	g.mu.Unlock()
	rec, err := urlbinding.Parse(sw.scriptURL, "")
	if err != nil {
		return false
	}
	svc := &serviceState{g: g, sw: sw, evaluated: make(chan bool, 1)}
	w := g.top.startWorkerWith(nil, rec, workerOptions{typ: sw.typ, credentials: "omit"}, nil, svc, g.origin)
	g.mu.Lock()
	sw.w = w
	g.mu.Unlock()
	select {
	case ok := <-svc.evaluated:
		return ok
	case <-w.done:
		return false
	case <-g.ctx.Done():
		return false
	}
}

// terminate runs Terminate Service Worker (§8) on sw's worker.
func (jr *jobRun) terminate(sw *swWorker) {
	g := jr.g
	g.mu.Lock()
	w := sw.w
	g.mu.Unlock()
	if w != nil {
		w.terminate()
	}
}

// install runs Install (§8).
func (jr *jobRun) install(j *swJob, sw *swWorker, reg *swRegistration) {
	g := jr.g
	// 2. newestWorker, before the new one is installing.
	g.mu.Lock()
	newest := reg.newest()
	// 3. The job's update via cache mode. 4-5. The worker is installing.
	reg.updateViaCache = j.updateViaCache
	g.setRegStateLocked(reg, "installing", sw)
	g.setWorkerStateLocked(sw, "installing")
	// 7. Resolve the job promise with the registration.
	j.resolveReg(reg)
	// 8-9. Fire updatefound at the registration objects of every realm.
	for _, s := range g.realms {
		if v := s.regViews[reg]; v != nil {
			s.queue(func() {
				if v.obj != nil {
					_, _ = events.Fire(s.rt.realm, v.obj, "updatefound")
				}
			})
		}
	}
	g.mu.Unlock()
	// 11. Run the service worker and fire install at it, then wait for the
	// promises given to waitUntil.
	installFailed := !jr.runServiceWorker(sw)
	if !installFailed {
		failed, ok := jr.dispatchExtendable(sw, "install")
		if !ok {
			return
		}
		installFailed = failed
	}
	// 12. A failed installation: the worker is redundant.
	if installFailed {
		g.mu.Lock()
		if reg.installing == sw {
			g.setWorkerStateLocked(sw, "redundant")
			g.setRegStateLocked(reg, "installing", nil)
		}
		if newest == nil {
			g.removeRegLocked(reg)
		}
		g.mu.Unlock()
		jr.terminate(sw)
		return
	}
	// 16-19. The worker replaces the waiting one, and is installed.
	g.mu.Lock()
	if reg.installing != sw {
		// Unregistered meanwhile.
		g.mu.Unlock()
		return
	}
	old := reg.waiting
	if old != nil {
		g.setWorkerStateLocked(old, "redundant")
	}
	g.setRegStateLocked(reg, "waiting", sw)
	g.setRegStateLocked(reg, "installing", nil)
	g.setWorkerStateLocked(sw, "installed")
	g.mu.Unlock()
	if old != nil {
		jr.terminate(old)
	}
	// 20-22. Finish Job, then Try Activate.
	jr.tryActivate(reg)
}

// tryActivate runs Try Activate (§8).
func (jr *jobRun) tryActivate(reg *swRegistration) {
	g := jr.g
	g.mu.Lock()
	waiting, active := reg.waiting, reg.active
	if waiting == nil || (active != nil && active.state == "activating") {
		g.mu.Unlock()
		return
	}
	// Activate if there is no active worker, the waiting one skips
	// waiting, or no client uses the active one.
	controlled := active != nil && g.controller == active
	g.mu.Unlock()
	if active == nil || waiting.skipWaiting || !controlled {
		jr.activate(reg)
	}
}

// activate runs Activate (§8).
func (jr *jobRun) activate(reg *swRegistration) {
	g := jr.g
	g.mu.Lock()
	// 1. Nothing waits: done.
	if reg.waiting == nil {
		g.mu.Unlock()
		return
	}
	// 2. The active worker, if any, is terminated and redundant.
	old := reg.active
	if old != nil {
		g.setWorkerStateLocked(old, "redundant")
	}
	// 3-5. The waiting worker becomes the active one, activating.
	sw := reg.waiting
	g.setRegStateLocked(reg, "active", sw)
	g.setRegStateLocked(reg, "waiting", nil)
	g.setWorkerStateLocked(sw, "activating")
	// 6-7. The client's ready promise, if pending, is resolved.
	g.top.queueTask(g.container.checkReady)
	// 8. The clients using the registration get the new worker as their
	// controller, and a controllerchange event.
	if old != nil && g.controller == old {
		g.controller = sw
		g.notifyControllerChangeLocked(sw)
	}
	g.mu.Unlock()
	if old != nil {
		jr.terminate(old)
	}
	// 8. Fire activate and wait for the promises given to waitUntil; their
	// outcome does not matter.
	if jr.runServiceWorker(sw) {
		if _, ok := jr.dispatchExtendable(sw, "activate"); !ok {
			return
		}
	}
	// 9. The worker is activated.
	g.mu.Lock()
	if reg.active == sw && sw.state == "activating" {
		g.setWorkerStateLocked(sw, "activated")
	}
	g.mu.Unlock()
}

// notifyControllerChangeLocked queues the task that sets the runtime's
// controller to sw and fires controllerchange at navigator.serviceWorker
// (§8 "Notify Controller Change"). mu must be held.
func (g *swRegistry) notifyControllerChangeLocked(sw *swWorker) {
	g.top.queueTask(func() {
		c := g.container
		c.controller = sw
		if c.obj != nil {
			_, _ = events.Fire(g.top.realm, c.obj, "controllerchange")
		}
	})
}

// unregister runs Unregister (§8).
func (jr *jobRun) unregister(j *swJob) {
	g := jr.g
	// 1. The scope must be the client's origin.
	if j.scope.Origin != g.origin {
		j.rejectDOM("SecurityError", "Failed to unregister a ServiceWorkerRegistration: the origin of the scope does not match the current origin.")
		return
	}
	// 2-3. No registration: false.
	g.mu.Lock()
	reg := g.regs[j.scope.Href]
	if reg == nil {
		g.mu.Unlock()
		j.settle(func(s *swRealm) goja.Value { return s.rt.vm.ToValue(false) }, nil)
		return
	}
	// 4. Remove it from the registration map; it is uninstalling.
	reg.uninstalling = true
	g.removeRegLocked(reg)
	inUse := g.controller != nil && g.controller.reg == reg
	g.mu.Unlock()
	// 5. Resolve with true.
	j.settle(func(s *swRealm) goja.Value { return s.rt.vm.ToValue(true) }, nil)
	// 6. Try Clear Registration: Clear Registration if no client uses it.
	if !inUse {
		jr.clear(reg)
	}
}

// clear runs Clear Registration (§8): its workers are terminated and
// redundant.
func (jr *jobRun) clear(reg *swRegistration) {
	g := jr.g
	g.mu.Lock()
	var doomed []*swWorker
	for _, target := range []string{"installing", "waiting", "active"} {
		var sw *swWorker
		switch target {
		case "installing":
			sw = reg.installing
		case "waiting":
			sw = reg.waiting
		case "active":
			sw = reg.active
		}
		if sw == nil {
			continue
		}
		doomed = append(doomed, sw)
		g.setWorkerStateLocked(sw, "redundant")
		g.setRegStateLocked(reg, target, nil)
	}
	g.mu.Unlock()
	for _, sw := range doomed {
		jr.terminate(sw)
	}
}

// extendResult is the outcome of an extendable event, with the hold on the
// top-level loop its waiter takes over.
type extendResult struct {
	failed  bool
	release func()
}

// dispatchExtendable queues the task that fires an ExtendableEvent (an
// InstallEvent for install) named typ at sw's global object and waits, not
// holding the top-level loop, until the event is no longer active; failed
// reports that the task was discarded or a promise given to waitUntil was
// rejected. ok is false if the runtime is closing.
func (jr *jobRun) dispatchExtendable(sw *swWorker, typ string) (failed, ok bool) {
	g := jr.g
	g.mu.Lock()
	w := sw.w
	g.mu.Unlock()
	if w == nil {
		return true, true
	}
	ch := make(chan extendResult, 1)
	var once sync.Once
	done := func(failed bool) {
		// On the worker's loop, which holds the top-level loop: take a hold
		// for the runner before the worker can let go.
		once.Do(func() { ch <- extendResult{failed: failed, release: g.top.loop.Hold()} })
	}
	w.mu.Lock()
	queued := w.queueOnWorkerLocked(func() {
		s := w.service.realm
		iface := "ExtendableEvent"
		if typ == "install" {
			iface = "InstallEvent"
		}
		s.fireExtendable(iface, typ, nil, done)
	})
	w.mu.Unlock()
	if !queued {
		return true, true
	}
	jr.release()
	jr.release = nil
	select {
	case res := <-ch:
		jr.release = res.release
		return res.failed, true
	case <-w.done:
		select {
		case res := <-ch:
			jr.release = res.release
			return res.failed, true
		default:
		}
		jr.release = g.top.loop.Hold()
		return true, g.ctx.Err() == nil
	case <-g.ctx.Done():
		return true, false
	}
}

// close stops the runner; the workers are terminated with the runtime's.
func (g *swRegistry) close() {
	g.mu.Lock()
	g.closed = true
	g.queues = nil
	g.mu.Unlock()
	g.cancel()
	g.wg.Wait()
}

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

// mayImport reports whether importScripts may fetch: only while the
// worker's state is parsed or installing (§4.1 importScripts), since there
// is no script resource map of what it imported then.
func (s *serviceState) mayImport() bool {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return s.sw.state == "parsed" || s.sw.state == "installing"
}

// startServiceLocked queues the task that runs a service worker's script
// in its new runtime child (Run Service Worker, §8, from step 12). w.mu must
// be held.
func (w *worker) startServiceLocked(child *Runtime, script *loaded) {
	s := w.service
	child.loop.Queue(func() {
		s.realm = swRealmOf(child.realm)
		s.g.addRealm(s.realm)
		// Run the classic script; an abrupt completion is a failure.
		_, err := child.vm.RunProgram(script.prg)
		if err != nil {
			child.loop.ReportException(err)
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

// postToWorker sends a message to sw (ServiceWorker postMessage, §3.1.3,
// step 6): once its script has run, a task fires an ExtendableMessageEvent
// at its global object, whose source source makes in its realm.
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
	task := func() {
		s := w.service.realm
		s.deliverExtendableMessage(m, origin, source(s))
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
	w.mu.Unlock()
	if !queued {
		m.Discard()
	}
}

// deliverExtendableMessage fires the ExtendableMessageEvent of a message at
// the realm's global object (§3.1.3, step 6.2).
func (s *swRealm) deliverExtendableMessage(m *structuredclone.Serialized, origin string, source goja.Value) {
	realm := s.rt.realm
	var data goja.Value
	var transferred []*goja.Object
	if exc := s.rt.vm.Try(func() { data, transferred = m.DeserializeWithTransfer(realm, "postMessage") }); exc != nil {
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

// Client message queue (§3.4 ServiceWorkerContainer).

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
// client's URL has an active worker (§3.4.2).
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

// startClientMessages enables the client message queue of the runtime, if
// it has one, once a script has run: it stands for DOMContentLoaded.
func (r *Runtime) startClientMessages() {
	if r.sw != nil {
		r.sw.container.start()
	}
}

// postToClient sends a message from the service worker sw to the
// runtime's client (Client postMessage, §4.2.3): a task added to the
// client message queue fires a MessageEvent at navigator.serviceWorker.
func (g *swRegistry) postToClient(sw *swWorker, m *structuredclone.Serialized) {
	ok := g.top.queueTask(func() {
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

// ExtendableEvent (§4.4) and ExtendableMessageEvent (§4.6).
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
	realm := s.rt.realm
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
		s.rt.loop.ReportException(err)
		if done != nil {
			done(true)
		}
		return
	}
	x.dispatching = true
	if _, err := events.Dispatch(realm, realm.Global(), ev); err != nil {
		s.rt.loop.ReportException(err)
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

// waitUntil runs waitUntil(f) (§4.4.1).
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
		_, _ = s.rt.then(vm.ToValue(q), vm.ToValue(func(goja.FunctionCall) goja.Value {
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
	if _, err := s.rt.then(p, onFulfilled, onRejected); err != nil {
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
// ExtendableMessageEvent (DOM §2.5 "constructing events").
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

// The interfaces.

// registerServiceWorkers defines, in a top-level runtime whose API base
// URL is a secure context, ServiceWorker, ServiceWorkerRegistration and
// ServiceWorkerContainer (all [SecureContext]) and navigator.serviceWorker.
func (r *Runtime) registerServiceWorkers() error {
	if r.base == nil {
		return nil
	}
	base, err := urlbinding.Parse(r.base.String(), "")
	// A secure context has a potentially trustworthy origin (Secure
	// Contexts §3.1).
	if err != nil || base.Origin == "null" || !base.PotentiallyTrustworthy() {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	g := &swRegistry{
		top:      r,
		origin:   base.Origin,
		clientID: newUUID(),
		ctx:      ctx,
		cancel:   cancel,
		regs:     make(map[string]*swRegistration),
		queues:   make(map[string][]*swJob),
	}
	g.topRealm = newSWRealm(g, r, nil)
	g.realms = []*swRealm{g.topRealm}
	g.container = &swContainer{g: g}
	if err := defineServiceWorkerInterfaces(r.realm); err != nil {
		return err
	}
	if err := r.realm.DefineInterface(g.containerInterface()); err != nil {
		return err
	}
	// [SecureContext, SameObject] readonly attribute ServiceWorkerContainer
	// serviceWorker, on Navigator (§3.3).
	proto := r.realm.Prototype("Navigator")
	if proto == nil {
		return errors.New("no Navigator interface")
	}
	get := r.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		if !r.realm.Implements(call.This, "Navigator") {
			panic(r.vm.NewTypeError("Illegal invocation"))
		}
		return g.container.object()
	}).(*goja.Object)
	_ = get.DefineDataProperty("name", r.vm.ToValue("get serviceWorker"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	if err := proto.DefineAccessorProperty("serviceWorker", get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	r.sw = g
	return nil
}

// defineServiceWorkerInterfaces defines ServiceWorker (§3.1) and
// ServiceWorkerRegistration (§3.2).
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

// promiseCall runs fn, which settles the returned promise; an exception
// it throws rejects the promise (Web IDL §3.7.7, operations returning
// promises).
func promiseCall(c webidl.Call, fn func(resolve, reject func(goja.Value))) goja.Value {
	p, resolve, reject := c.Realm.NewPromise()
	if exc := c.VM().Try(func() { fn(resolve, reject) }); exc != nil {
		reject(exc.Value())
	}
	return p
}

// serviceWorkerPostMessage runs postMessage(message, transfer) and
// postMessage(message, options) of ServiceWorker (§3.1.3).
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

// registrationUpdate runs update() (§3.2.7).
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

// registrationUnregister runs unregister() (§3.2.8).
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

// registrationOptions holds the RegistrationOptions dictionary (§3.4).
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

// containerInterface describes ServiceWorkerContainer (§3.4).
func (g *swRegistry) containerInterface() *webidl.Interface {
	onmessage := events.HandlerAttribute("onmessage")
	setHandler := onmessage.Set
	onmessage.Set = func(c webidl.Call, v goja.Value) {
		setHandler(c, v)
		// The first time onmessage is set, the client message queue is
		// enabled (§3.4.7).
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

// register runs register(scriptURL, options) (§3.4.3) and Start Register
// (§8).
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

// getRegistration runs getRegistration(clientURL) (§3.4.4).
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

// getRegistrations runs getRegistrations() (§3.4.5).
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

// The service worker's global scope (§4.1), Clients (§4.3) and Client (§4.2).

// swClient holds the slots of a Client or WindowClient object: it stands
// for the runtime's service worker client.
type swClient struct {
	realm           *swRealm
	url, id         string
	ancestorOrigins *goja.Object
}

// newClient returns a new WindowClient object for the runtime's client
// (§4.2 "Create Window Client").
func (s *swRealm) newClient() *goja.Object {
	return s.rt.realm.New("WindowClient", &swClient{realm: s, url: s.g.clientURL(), id: s.g.clientID})
}

// installServiceWorkerGlobal defines ServiceWorkerGlobalScope (§4.1) and
// the interfaces exposed in it, and makes the global object implement it.
func (r *Runtime) installServiceWorkerGlobal() error {
	w := r.worker
	s := newSWRealm(w.service.g, r, w.service.sw)
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
		if err := r.realm.DefineInterface(&webidl.Interface{
			Name: d.name, Parent: d.parent, Length: 1,
			Constructor: s.newExtendable(d.name, d.message),
			Attributes:  d.attrs, Operations: d.ops,
		}); err != nil {
			return err
		}
	}
	if err := defineServiceWorkerInterfaces(r.realm); err != nil {
		return err
	}
	if err := s.defineClients(); err != nil {
		return err
	}
	if err := r.realm.DefineInterface(&webidl.Interface{
		Name:   "ServiceWorkerGlobalScope",
		Parent: "WorkerGlobalScope",
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
	if err := events.InstallGlobalAs(r.realm, "ServiceWorkerGlobalScope"); err != nil {
		return err
	}
	return r.hoistGlobalMembers("ServiceWorkerGlobalScope", "WorkerGlobalScope")
}

func (s *swRealm) extOf(c webidl.Call) *extendable {
	// Brand checks make c.Impl an ExtendableMessageEvent's slots.
	x, _ := events.Slots(c.Impl).(*extendable)
	return x
}

// skipWaiting runs skipWaiting() (§4.1.3): the skip waiting flag is set
// and Try Activate runs, in turn with the registration's jobs. The promise
// is resolved at once, so that an install handler may wait for it.
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

// clientQueryOptions holds the ClientQueryOptions dictionary (§4.3).
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
	if err := s.rt.realm.DefineInterface(&webidl.Interface{
		Name: "Client",
		Attributes: []webidl.Attribute{
			{Name: "url", Get: str(func(cl *swClient) string { return cl.url })},
			{Name: "frameType", Get: str(func(*swClient) string { return "top-level" })},
			{Name: "id", Get: str(func(cl *swClient) string { return cl.id })},
			{Name: "type", Get: str(func(*swClient) string { return "window" })},
		},
		Operations: []webidl.Operation{
			{Name: "postMessage", Length: 1, Func: func(c webidl.Call) goja.Value {
				// §4.2.3: serialize, then add the task that delivers the
				// message to the client's message queue.
				transfer := messaging.TransferList(c)
				m := structuredclone.Serialize(c.Realm, c.Args[0], transfer, "postMessage")
				g.postToClient(s.sw, m)
				return goja.Undefined()
			}},
		},
	}); err != nil {
		return err
	}
	if err := s.rt.realm.DefineInterface(&webidl.Interface{
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
				// §4.2.10 step 1: without transient activation (there is
				// no user): "InvalidAccessError".
				return promiseCall(c, func(_, _ func(goja.Value)) {
					c.Realm.ThrowDOMException("InvalidAccessError", "Failed to execute 'focus' on 'WindowClient': Not allowed to focus a window.")
				})
			}},
			{Name: "navigate", Length: 1, Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(_, _ func(goja.Value)) {
					c.RequireArgs("navigate", 1)
					in := c.Realm.ToUSVString(c.Args[0])
					// §4.2.11 1-3. Parse url; failure or about:blank is a
					// TypeError.
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
	return s.rt.realm.DefineInterface(&webidl.Interface{
		Name: "Clients",
		Operations: []webidl.Operation{
			{Name: "get", Length: 1, Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(resolve, _ func(goja.Value)) {
					c.RequireArgs("get", 1)
					id := c.Realm.ToDOMString(c.Args[0]).String()
					// §4.3.1: in parallel, the client whose id is id.
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
					// §4.3.2: the window client, if the type allows it and
					// it is controlled by this worker or uncontrolled ones
					// are included.
					g.mu.Lock()
					controlled := g.controller == s.sw
					g.mu.Unlock()
					match := (opts.typ == "window" || opts.typ == "all") && (opts.includeUncontrolled || controlled)
					s.queue(func() {
						var list []any
						if match {
							list = append(list, s.newClient())
						}
						resolve(s.rt.vm.NewArray(list...))
					})
				})
			}},
			{Name: "openWindow", Length: 1, Func: func(c webidl.Call) goja.Value {
				return promiseCall(c, func(_, _ func(goja.Value)) {
					c.RequireArgs("openWindow", 1)
					in := c.Realm.ToUSVString(c.Args[0])
					// §4.3.3 1-3. Parse url; failure or about:blank is a
					// TypeError.
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
					// §4.3.4 1. Only an active worker may claim.
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

// newUUID returns a random UUID (RFC 9562 version 4), a client's id.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
