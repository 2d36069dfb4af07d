package worker

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	urlbinding "github.com/wsjs/wsjs/bindings/url"
)

// Jobs (Service Workers "Create Job", "Schedule Job", "Run Job" and "Finish
// Job": https://w3c.github.io/ServiceWorker/#create-job-algorithm,
// https://w3c.github.io/ServiceWorker/#schedule-job-algorithm,
// https://w3c.github.io/ServiceWorker/#run-job-algorithm,
// https://w3c.github.io/ServiceWorker/#finish-job-algorithm).

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
	j.settle(nil, func(s *swRealm) goja.Value { return s.a.vm.NewTypeError(msg) })
}

func (j *swJob) rejectDOM(name, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	j.settle(nil, func(s *swRealm) goja.Value { return s.a.realm.NewDOMException(name, msg) })
}

// register runs Register
// (https://w3c.github.io/ServiceWorker/#register-algorithm).
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

// update runs Update (https://w3c.github.io/ServiceWorker/#update-algorithm).
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
	var se *SyntaxError
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
		fmt.Fprintf(g.top.stderr, "ServiceWorker %s: SyntaxError: %s\n", j.script.Href, se.Message)
		j.rejectType("Failed to register a ServiceWorker for scope ('%s') with script ('%s'): ServiceWorker script evaluation failed", j.scope.Href, j.script.Href)
		return
	}
	// 9. An update whose script is the newest worker's, unchanged, ends
	// here (the same source text compiles to the same cached program).
	if newest != nil && newest.script != nil && newest.script.Program == script.Program && newest.typ == j.typ {
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
	if err := jr.runServiceWorker(sw); err != nil {
		if g.ctx.Err() != nil {
			return
		}
		g.mu.Lock()
		sw.state = "redundant"
		g.mu.Unlock()
		jr.terminate(sw)
		fail()
		j.rejectType("Failed to register a ServiceWorker for scope ('%s') with script ('%s'): %v", j.scope.Href, j.script.Href, err)
		return
	}
	// 17. Install.
	jr.install(j, sw, reg)
}

// errNotRun is the failure of Run Service Worker, but for a quota.
var errNotRun = errors.New("ServiceWorker script evaluation failed")

// runServiceWorker runs Run Service Worker
// (https://w3c.github.io/ServiceWorker/#run-service-worker-algorithm): it
// starts sw's worker, if it is not running, and waits for its script to have run. It returns
// errNotRun for a failure, or a *quotaError when one more worker would
// exceed the host's bounds (Options.MaxWorkers): Run Service Worker fails
// then, as a user agent's does when it cannot start a worker.
func (jr *jobRun) runServiceWorker(sw *swWorker) error {
	g := jr.g
	g.mu.Lock()
	if sw.state == "redundant" {
		g.mu.Unlock()
		return errNotRun
	}
	if sw.w != nil {
		g.mu.Unlock()
		return nil
	}
	g.mu.Unlock()
	rec, err := urlbinding.Parse(sw.scriptURL, "")
	if err != nil {
		return errNotRun
	}
	svc := &serviceState{g: g, sw: sw, evaluated: make(chan bool, 1)}
	w, err := g.top.startWorkerWith(nil, rec, workerOptions{typ: sw.typ, credentials: "omit"}, nil, svc, g.origin)
	if err != nil {
		return err
	}
	g.mu.Lock()
	sw.w = w
	g.mu.Unlock()
	select {
	case ok := <-svc.evaluated:
		if !ok {
			return errNotRun
		}
		return nil
	case <-w.done:
	case <-g.ctx.Done():
	}
	return errNotRun
}

// terminate runs Terminate Service Worker
// (https://w3c.github.io/ServiceWorker/#terminate-service-worker-algorithm) on
// sw's worker.
func (jr *jobRun) terminate(sw *swWorker) {
	g := jr.g
	g.mu.Lock()
	w := sw.w
	g.mu.Unlock()
	if w != nil {
		w.terminate()
	}
}

// install runs Install
// (https://w3c.github.io/ServiceWorker/#installation-algorithm).
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
					_, _ = events.Fire(s.a.realm, v.obj, "updatefound")
				}
			})
		}
	}
	g.mu.Unlock()
	// 11. Run the service worker and fire install at it, then wait for the
	// promises given to waitUntil.
	installFailed := jr.runServiceWorker(sw) != nil
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

// tryActivate runs Try Activate
// (https://w3c.github.io/ServiceWorker/#try-activate-algorithm).
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

// activate runs Activate
// (https://w3c.github.io/ServiceWorker/#activation-algorithm).
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
	g.top.queue(g.container.checkReady)
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
	if jr.runServiceWorker(sw) == nil {
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
// ("Notify Controller Change",
// https://w3c.github.io/ServiceWorker/#notify-controller-change-algorithm). mu
// must be held.
func (g *swRegistry) notifyControllerChangeLocked(sw *swWorker) {
	g.top.queue(func() {
		c := g.container
		c.controller = sw
		if c.obj != nil {
			_, _ = events.Fire(g.top.realm, c.obj, "controllerchange")
		}
	})
}

// unregister runs Unregister
// (https://w3c.github.io/ServiceWorker/#unregister-algorithm).
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
		j.settle(func(s *swRealm) goja.Value { return s.a.vm.ToValue(false) }, nil)
		return
	}
	// 4. Remove it from the registration map; it is uninstalling.
	reg.uninstalling = true
	g.removeRegLocked(reg)
	inUse := g.controller != nil && g.controller.reg == reg
	g.mu.Unlock()
	// 5. Resolve with true.
	j.settle(func(s *swRealm) goja.Value { return s.a.vm.ToValue(true) }, nil)
	// 6. Try Clear Registration: Clear Registration if no client uses it.
	if !inUse {
		jr.clear(reg)
	}
}

// clear runs Clear Registration
// (https://w3c.github.io/ServiceWorker/#clear-registration-algorithm): its
// workers are terminated and redundant.
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
