package testutils

import (
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the TestUtils namespace object.
var Binding = &bindings.Binding{Name: "testutils", Register: Register}

// Register defines the namespace
//
//	[Exposed=(Window,Worker)]
//	namespace TestUtils {
//	  [NewObject] Promise<undefined> gc();
//	};
//
// as the global property "TestUtils" of env.Realm
// (https://testutils.spec.whatwg.org/#the-testutils-namespace), a namespace
// object as Web IDL describes it (https://webidl.spec.whatwg.org/#namespace-object).
func Register(env *bindings.Env) error {
	r := env.Realm
	vm := r.VM()
	ns := vm.NewObject()
	gc := webidl.NewFunction(vm, "gc", 0, func(goja.FunctionCall) goja.Value { return gcSteps(env) })
	if err := ns.DefineDataProperty("gc", gc, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	if err := ns.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("TestUtils"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return err
	}
	return vm.GlobalObject().DefineDataProperty("TestUtils", ns, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// gcSteps are the method steps of gc()
// (https://testutils.spec.whatwg.org/#dom-testutils-gc).
func gcSteps(env *bindings.Env) goja.Value {
	r := env.Realm
	// 1. Let p be a new promise.
	p, resolve, _ := r.NewPromise()
	queue := env.Queue()
	if queue == nil {
		// Without an event loop no task could resolve p: collect now.
		collect()
		resolve(goja.Undefined())
		return p
	}
	release := func() {}
	if env.Loop != nil {
		// The loop waits for p, as for pending I/O.
		release = env.Loop.Hold()
	}
	// 2. In parallel: collect, then queue a global task to resolve p. The
	// collection starts once the current task and its microtasks are done,
	// when the objects WeakRef keeps alive for them are let go
	// (https://tc39.es/ecma262/#sec-clear-kept-objects).
	queue(func() {
		go func() {
			collect()
			if !queue(func() { release(); resolve(goja.Undefined()) }) {
				release()
			}
		}()
	})
	// 3. Return p.
	return p
}

// collectCycles is how many collections gc() runs: an object held weakly
// by a table whose entries are swept after a collection (webidl's platform
// objects and their internal slots) is freed one collection after the
// object that refers to it.
const collectCycles = 2

// collect runs Go's garbage collector, which collects the realm's objects
// too, and waits after each collection for the cleanups of what it freed to
// have run: those sweep the tables of weak entries and queue the tasks of
// what the platform does for a collected object.
func collect() {
	for range collectCycles {
		// A cleanup the collection queues with the others: it has run once
		// those queued before it have started.
		done := make(chan struct{})
		runtime.AddCleanup(new(sentinel), func(done chan struct{}) { close(done) }, done)
		runtime.GC()
		<-done
		// Cleanups run in batches, not in the order they were queued, and
		// the sentinel's may run first: wait, for a bounded time, for the
		// counters to say that every queued cleanup has run.
		for deadline := time.Now().Add(cleanupWait); !cleanupsRun() && time.Now().Before(deadline); {
			runtime.Gosched()
		}
	}
}

// cleanupWait bounds how long collect waits for queued cleanups to run: a
// cleanup that blocks must not hold gc()'s promise forever.
const cleanupWait = time.Second

// cleanupsRun reports whether every cleanup queued so far has run.
func cleanupsRun() bool {
	s := []metrics.Sample{{Name: "/gc/cleanups/queued:cleanups"}, {Name: "/gc/cleanups/executed:cleanups"}}
	metrics.Read(s)
	return s[1].Value.Kind() != metrics.KindUint64 || s[1].Value.Uint64() >= s[0].Value.Uint64()
}

// sentinel is an object allocated on its own (it holds a pointer, so the
// tiny allocator does not combine it with others).
type sentinel struct{ _ *byte }
