package builtins

import (
	"context"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// newLoopVM returns a goja runtime with the built-ins installed and its
// event loop.
func newLoopVM(t *testing.T) (*goja.Runtime, *eventloop.Loop) {
	t.Helper()
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{OnException: func(exc *goja.Exception) {
		t.Errorf("uncaught: %v", exc)
	}})
	t.Cleanup(loop.Close)
	if err := bindings.Install(bindings.NewEnv(webidl.NewRealm(vm), loop), Binding); err != nil {
		t.Fatal(err)
	}
	return vm, loop
}

// runTask runs src as a task and the loop until it is idle.
func runTask(t *testing.T, vm *goja.Runtime, loop *eventloop.Loop, src string) goja.Value {
	t.Helper()
	var v goja.Value
	loop.Queue(func() {
		var err error
		if v, err = vm.RunString(src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return v
}

// collectUntil runs the garbage collector, and the loop, until done is
// closed or a deadline passes.
func collectUntil(t *testing.T, loop *eventloop.Loop, done <-chan struct{}) {
	t.Helper()
	release := loop.Hold()
	go func() {
		deadline := time.After(10 * time.Second)
		for {
			runtime.GC()
			select {
			case <-done:
				release()
				return
			case <-deadline:
				t.Error("not collected")
				release()
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	if err := loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestWeakRefCollected checks that the target of a WeakRef is collected once
// nothing else refers to it and the job that made the WeakRef is over.
func TestWeakRefCollected(t *testing.T) {
	vm, loop := newLoopVM(t)
	if got := runTask(t, vm, loop, `globalThis.ref = new WeakRef({ a: 1 }); ref.deref().a`); got == nil || got.String() != "1" {
		t.Fatalf("deref in the job that made the WeakRef: got %v", got)
	}
	release := loop.Hold()
	go func() {
		defer release()
		deadline := time.After(10 * time.Second)
		for {
			runtime.GC()
			ok := make(chan bool, 1)
			loop.Queue(func() {
				v, err := vm.RunString(`ref.deref() === undefined`)
				ok <- err == nil && v.ToBoolean()
			})
			if <-ok {
				return
			}
			select {
			case <-deadline:
				t.Error("WeakRef target not collected")
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	if err := loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestFinalizationRegistryCleanup checks that a registry's callback is
// called, on the loop, with the held value of a collected target, and not
// for a target whose cell was unregistered.
func TestFinalizationRegistryCleanup(t *testing.T) {
	vm, loop := newLoopVM(t)
	done := make(chan struct{})
	_ = vm.Set("done", func() { close(done) })
	runTask(t, vm, loop, `globalThis.log = [];
		globalThis.reg = new FinalizationRegistry(held => { log.push(held); if (held === "a") done(); });
		(() => {
			const token = {};
			globalThis.token = token;
			reg.register({}, "gone", token);
			reg.register({}, "a");
		})();
		globalThis.unregistered = reg.unregister(token);`)
	collectUntil(t, loop, done)
	if got := runTask(t, vm, loop, `unregistered + " " + log.join()`).String(); got != "true a" {
		t.Errorf("got %q", got)
	}
}

// TestFinalizationRegistryLetsRuntimeGo checks that a registration whose
// target lives on keeps neither the registry nor its runtime alive once the
// runtime is dropped.
func TestFinalizationRegistryLetsRuntimeGo(t *testing.T) {
	collected := make(chan struct{})
	func() {
		vm := goja.New()
		loop := eventloop.New(vm, eventloop.Options{})
		if err := bindings.Install(bindings.NewEnv(webidl.NewRealm(vm), loop), Binding); err != nil {
			t.Fatal(err)
		}
		loop.Queue(func() {
			_, err := vm.RunString(`globalThis.target = {};
				globalThis.reg = new FinalizationRegistry(() => {});
				reg.register(target, "held");
				new WeakRef(target);`)
			if err != nil {
				t.Error(err)
			}
		})
		if err := loop.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		loop.Close()
		runtime.AddCleanup(vm, func(c chan struct{}) { close(c) }, collected)
	}()
	deadline := time.After(10 * time.Second)
	for {
		runtime.GC()
		select {
		case <-collected:
			return
		case <-deadline:
			t.Fatal("the runtime was not collected")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestKeptObjects checks that the WeakRef constructor and deref add their
// target to the kept objects, and that a task queued on the first addition
// empties them (AddToKeptObjects, ClearKeptObjects).
func TestKeptObjects(t *testing.T) {
	vm := goja.New()
	var tasks []func()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	env.QueueTask = func(task func()) bool { tasks = append(tasks, task); return true }
	w, err := newWeakRefs(env)
	if err != nil {
		t.Fatal(err)
	}
	target, err := vm.RunString(`globalThis.target = {}; globalThis.ref = new WeakRef(target); ref.deref(); target`)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.kept) != 2 || w.kept[0] != target || w.kept[1] != target || len(tasks) != 1 {
		t.Fatalf("kept %v, %d tasks; want the target twice and one task", w.kept, len(tasks))
	}
	tasks[0]()
	if len(w.kept) != 0 {
		t.Fatalf("kept %v after the task", w.kept)
	}
	if _, err := vm.RunString(`ref.deref()`); err != nil {
		t.Fatal(err)
	}
	if len(w.kept) != 1 || len(tasks) != 2 {
		t.Fatalf("kept %v, %d tasks after a second job's deref", w.kept, len(tasks))
	}
}

// TestFinalizationRegistrySelfReference checks that a registry whose callback
// refers to the registry is collected once script drops it, though a target
// it registered lives on.
func TestFinalizationRegistrySelfReference(t *testing.T) {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	w, err := newWeakRefs(bindings.NewEnv(webidl.NewRealm(vm), loop))
	if err != nil {
		t.Fatal(err)
	}
	v, err := vm.RunString(`globalThis.target = {};
		(() => { const r = new FinalizationRegistry(() => r); r.register(target, 1); return r; })()`)
	if err != nil {
		t.Fatal(err)
	}
	p := weak.Make(w.slots(v).(*registry))
	v = nil
	// goja's VM may keep the scope of the script frame that last called Go
	// (here the constructor, from the arrow function) until script runs
	// again.
	if _, err := vm.RunString(`[1, 2, 3].map(x => x * 2)`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for p.Value() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the registry was not collected")
		}
		runtime.GC()
	}
}
