package builtins

import (
	"runtime"
	"sync"
	"weak"

	"github.com/dop251/goja"
)

// A FinalizationRegistry's cells hold their target and unregister token
// weakly and their held value strongly. A cleanup registered on the target
// runs on the Go runtime's cleanup goroutine once the target is collected. It
// runs no script: it queues a task on the realm's event loop
// (HostEnqueueFinalizationRegistryCleanupJob,
// https://html.spec.whatwg.org/multipage/webappapis.html#hostenqueuefinalizationregistrycleanupjob),
// which calls the callback for each cell whose target is gone
// (CleanupFinalizationRegistry,
// https://tc39.es/ecma262/#sec-cleanup-finalization-registry) and reports
// what it throws. The cleanup refers to the registry only weakly, so a
// registration keeps neither the registry nor its runtime alive, and a closed
// loop drops the task.

// registry is the internal slots of a FinalizationRegistry: [[Cells]] and
// [[CleanupCallback]].
type registry struct {
	w        *weakRefs
	callback goja.Callable
	cells    []*cell

	mu     sync.Mutex // guards queued, which the cleanup goroutine sets
	queued bool       // a cleanup task is queued
}

// cell is a Record of [[Cells]].
type cell struct {
	target  weakTarget
	held    goja.Value
	token   weakTarget // zero for an empty [[UnregisterToken]]
	cleanup runtime.Cleanup
}

// constructRegistry is FinalizationRegistry ( cleanupCallback )
// (https://tc39.es/ecma262/#sec-finalization-registry-cleanup-callback) from
// step 2.
func (w *weakRefs) constructRegistry(newTarget *goja.Object, cleanup goja.Value, proto *goja.Object) *goja.Object {
	f, ok := goja.AssertFunction(cleanup)
	if !ok {
		panic(w.vm.NewTypeError("FinalizationRegistry: cleanup must be callable"))
	}
	return w.create(newTarget, proto, &registry{w: w, callback: f})
}

// thisRegistry is the check of both methods that this has [[Cells]].
func (w *weakRefs) thisRegistry(this goja.Value, method string) *registry {
	r, _ := w.slots(this).(*registry)
	if r == nil {
		panic(w.vm.NewTypeError("FinalizationRegistry.prototype.%s: this is not a FinalizationRegistry", method))
	}
	return r
}

// register is FinalizationRegistry.prototype.register ( target, heldValue [ , unregisterToken ] )
// (https://tc39.es/ecma262/#sec-finalization-registry.prototype.register).
func (w *weakRefs) register(call goja.FunctionCall) goja.Value {
	r := w.thisRegistry(call.This, "register")
	target, held, token := call.Argument(0), call.Argument(1), call.Argument(2)
	if !w.canBeHeldWeakly(target) {
		panic(w.vm.NewTypeError("FinalizationRegistry.prototype.register: invalid target"))
	}
	if target.SameAs(held) {
		panic(w.vm.NewTypeError("FinalizationRegistry.prototype.register: target and holdings must not be same"))
	}
	c := &cell{target: makeWeak(target), held: held}
	if w.canBeHeldWeakly(token) {
		c.token = makeWeak(token)
	} else if !goja.IsUndefined(token) {
		panic(w.vm.NewTypeError("FinalizationRegistry.prototype.register: invalid unregister token"))
	}
	rp := weak.Make(r)
	switch t := target.(type) {
	case *goja.Object:
		c.cleanup = runtime.AddCleanup(t, collected, rp)
	case *goja.Symbol:
		c.cleanup = runtime.AddCleanup(t, collected, rp)
	}
	r.cells = append(r.cells, c)
	return goja.Undefined()
}

// collected runs on the Go runtime's cleanup goroutine once a target of the
// registry rp is collected. It runs no script: it queues the registry's
// cleanup job, unless one is queued already.
func collected(rp weak.Pointer[registry]) {
	r := rp.Value()
	if r == nil || r.w.queue == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.queued {
		r.queued = r.w.queue(r.cleanupJob)
	}
}

// cleanupJob is the job HostEnqueueFinalizationRegistryCleanupJob queues:
// CleanupFinalizationRegistry, an exception reported.
func (r *registry) cleanupJob() {
	r.mu.Lock()
	r.queued = false
	r.mu.Unlock()
	for {
		// Step 3: a cell whose target is empty is removed, then its
		// callback called.
		i := -1
		for j, c := range r.cells {
			if c.target.value() == nil {
				i = j
				break
			}
		}
		if i < 0 {
			return
		}
		c := r.cells[i]
		r.cells = append(r.cells[:i], r.cells[i+1:]...)
		if _, err := r.callback(goja.Undefined(), c.held); err != nil {
			r.w.report(err)
			collected(weak.Make(r)) // the cells left wait for another job
			return
		}
	}
}

// unregister is FinalizationRegistry.prototype.unregister ( unregisterToken )
// (https://tc39.es/ecma262/#sec-finalization-registry.prototype.unregister).
func (w *weakRefs) unregister(call goja.FunctionCall) goja.Value {
	r := w.thisRegistry(call.This, "unregister")
	token := call.Argument(0)
	if !w.canBeHeldWeakly(token) {
		panic(w.vm.NewTypeError("FinalizationRegistry.prototype.unregister: invalid unregister token"))
	}
	t := makeWeak(token)
	removed := false
	cells := r.cells[:0]
	for _, c := range r.cells {
		if c.token == t {
			c.cleanup.Stop()
			removed = true
			continue
		}
		cells = append(cells, c)
	}
	clear(r.cells[len(cells):])
	r.cells = cells
	return w.vm.ToValue(removed)
}
