package runtime

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/worker"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// The tests here compare a runtime whose web APIs are installed on first use
// (bindings.Defer, webidl's global.go) with one that installs them all at
// once, the way the first runtime of a process does: no script may tell them
// apart.

// shapeSource defines shape(root), a description of every object reachable
// from root through own properties and prototypes, read without calling a
// getter: for each object in the order first reached, its type, prototype,
// extensibility and own properties in order, with their attributes and
// values, where objects are numbered in the order first reached, so that
// the same identities give the same text.
const shapeSource = `function shape(root) {
	const ids = new Map(), queue = [], out = [];
	const id = (o) => {
		let n = ids.get(o);
		if (n === undefined) { n = ids.size; ids.set(o, n); queue.push(o); }
		return "#" + n;
	};
	const val = (v) => v !== null && (typeof v === "object" || typeof v === "function") ? id(v)
		: typeof v === "symbol" ? v.toString() : typeof v + ":" + String(v);
	id(root);
	for (let i = 0; i < queue.length; i++) {
		const o = queue[i];
		const parts = ["#" + i, typeof o, "proto=" + val(Object.getPrototypeOf(o)), Object.isExtensible(o) ? "ext" : "fixed"];
		for (const k of Reflect.ownKeys(o)) {
			const d = Reflect.getOwnPropertyDescriptor(o, k);
			let s = (typeof k === "symbol" ? k.toString() : JSON.stringify(k)) + ":";
			s += "value" in d ? "v=" + val(d.value) + (d.writable ? "w" : "") : "g=" + val(d.get) + ",s=" + val(d.set);
			parts.push(s + (d.enumerable ? "e" : "") + (d.configurable ? "c" : ""));
		}
		out.push(parts.join(" "));
	}
	return out.join("\n");
}
`

// runMode runs src in a runtime made with opts, with every web API
// installed at once (eager) or on first use, and returns what it printed.
// The lazy runtime is never one of the first two of its kind, which install
// at once, the second learning what the bindings define.
func runMode(t *testing.T, eager bool, src string, opts Options) string {
	t.Helper()
	eagerBindings.Store(eager)
	defer eagerBindings.Store(false)
	if !eager {
		key := fmt.Sprint(opts.DefineWindow, opts.BaseURL)
		if !learned[key] {
			runSrc(t, "first.js", "", opts)
			runSrc(t, "learn.js", "", opts)
			learned[key] = true
		}
	}
	r := runSrc(t, "main.js", src, opts)
	if r.err != nil || r.stderr != "" {
		t.Fatalf("eager %v: %v\n%s", eager, r.err, r.stderr)
	}
	return r.stdout
}

// learned records the options runMode made a runtime with to learn.
var learned = map[string]bool{}

// sameOutput fails t unless eager and lazy printed the same.
func sameOutput(t *testing.T, what, eager, lazy string) {
	t.Helper()
	if eager == lazy {
		return
	}
	e, l := strings.Split(eager, "\n"), strings.Split(lazy, "\n")
	for i := 0; i < len(e) || i < len(l); i++ {
		var a, b string
		if i < len(e) {
			a = e[i]
		}
		if i < len(l) {
			b = l[i]
		}
		if a != b {
			t.Fatalf("%s: line %d differs:\neager: %.2000s\nlazy:  %.2000s", what, i+1, a, b)
		}
	}
}

// TestLazyGlobalShape compares the whole graph of objects reachable from the
// global object of every kind, eager and deferred.
func TestLazyGlobalShape(t *testing.T) {
	page := shapeSource + "console.log(shape(globalThis));"
	worker := func(start string) string {
		return fmt.Sprintf(`const src = %q;
const url = URL.createObjectURL(new Blob([src]));
%s`, shapeSource+"postMessage(shape(globalThis));", start)
	}
	cases := []struct {
		name string
		src  string
		opts Options
	}{
		{"Window", page, Options{}},
		{"Window with window", page, Options{DefineWindow: true}},
		{"Window in a secure context", page, Options{BaseURL: "https://example.com/"}},
		{"DedicatedWorkerGlobalScope", worker(`const w = new Worker(url); w.onmessage = (e) => { console.log(e.data); w.terminate(); };`), Options{}},
		{"SharedWorkerGlobalScope", fmt.Sprintf(`const src = %q;
const w = new SharedWorker(URL.createObjectURL(new Blob([src])));
w.port.onmessage = (e) => { console.log(e.data); w.port.close(); };`,
			shapeSource+"const s = shape(globalThis); onconnect = (e) => { e.ports[0].postMessage(s); close(); };"), Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eager := runMode(t, true, c.src, c.opts)
			lazy := runMode(t, false, c.src, c.opts)
			if !strings.Contains(eager, `"WebSocket"`) && !strings.Contains(eager, `"postMessage"`) {
				t.Fatalf("the shape lacks the web APIs:\n%.500s", eager)
			}
			sameOutput(t, c.name, eager, lazy)
		})
	}
}

// TestLazyServiceWorkerShape is TestLazyGlobalShape for a service worker.
func TestLazyServiceWorkerShape(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js": shapeSource + `const s = shape(globalThis); onmessage = (e) => e.source.postMessage(s);`,
	})
	src := `navigator.serviceWorker.onmessage = (e) => console.log(e.data);
navigator.serviceWorker.register("sw.js").then((reg) => reg.installing.postMessage("go"));`
	opts := Options{BaseURL: srv.URL + "/dir/page.html"}
	eager := runMode(t, true, src, opts)
	lazy := runMode(t, false, src, opts)
	if !strings.Contains(eager, `"skipWaiting"`) {
		t.Fatalf("the shape lacks the service worker's global scope:\n%.500s", eager)
	}
	sameOutput(t, "ServiceWorkerGlobalScope", eager, lazy)
}

// TestLazyFirstTouch touches each global property of an eager Window first
// in a runtime that defers, and compares the whole graph of objects then:
// whatever a binding's first use installs, and in whatever order, the global
// object ends up the same.
func TestLazyFirstTouch(t *testing.T) {
	names := strings.Fields(runMode(t, true, `console.log(Object.getOwnPropertyNames(globalThis).join(" "))`, Options{}))
	want := runMode(t, true, shapeSource+"console.log(shape(globalThis));", Options{})
	step := 1
	if testing.Short() || raceSlowdown > 1 {
		step = 7 // every binding still comes first in some run
	}
	for i := 0; i < len(names); i += step {
		name := names[i]
		got := runMode(t, false, fmt.Sprintf("void typeof %s;\n%sconsole.log(shape(globalThis));", name, shapeSource), Options{})
		sameOutput(t, "first "+name, want, got)
	}
}

// TestLazyReflection runs, first thing in a runtime, each operation that
// could observe a global property not defined yet, and compares what it
// sees with an eager runtime.
func TestLazyReflection(t *testing.T) {
	for _, src := range []string{
		`const d = Object.getOwnPropertyDescriptor(globalThis, "WebSocket"); console.log(typeof d.value, d.writable, d.enumerable, d.configurable);`,
		`const d = Reflect.getOwnPropertyDescriptor(globalThis, "fetch"); console.log(typeof d.value, d.writable, d.enumerable, d.configurable);`,
		`const ds = Object.getOwnPropertyDescriptors(globalThis); console.log(Object.keys(ds).join(), ds.Headers.enumerable, ds.atob.enumerable);`,
		`Object.defineProperty(globalThis, "WebSocket", {value: 1}); const d = Object.getOwnPropertyDescriptor(globalThis, "WebSocket");
		 console.log(WebSocket, d.writable, d.enumerable, d.configurable, typeof CloseEvent);`,
		`Object.defineProperties(globalThis, {Blob: {value: 2}, fetch: {enumerable: false}}); console.log(Blob, typeof File, Object.keys(globalThis).join());`,
		`console.log(Reflect.defineProperty(globalThis, "URL", {value: 3, configurable: false}), URL, typeof URLSearchParams,
		 Reflect.defineProperty(globalThis, "URL", {value: 4}));`,
		`Object.freeze(globalThis); console.log(Object.isFrozen(globalThis), typeof fetch, Object.getOwnPropertyDescriptor(globalThis, "WebSocket").writable);`,
		`Object.seal(globalThis); console.log(Object.isSealed(globalThis), Object.isFrozen(globalThis), typeof Headers);`,
		`Object.preventExtensions(globalThis); console.log(Object.isExtensible(globalThis), typeof Request); try { globalThis.nope = 1; console.log(globalThis.nope); } catch (e) { console.log(e.name); }`,
		`console.log(Object.isFrozen(globalThis), Object.isSealed(globalThis), Object.isExtensible(globalThis));`,
		`console.log(Object.keys(globalThis).join(), Object.values(globalThis).map((v) => typeof v).join(), Object.entries(globalThis).length);`,
		`console.log(Object.getOwnPropertyNames(globalThis).join());`,
		`console.log(Reflect.ownKeys(globalThis).map(String).join());`,
		`console.log(Object.keys(Object.assign({}, globalThis)).join());`,
		`const ks = []; for (const k in globalThis) ks.push(k); console.log(ks.join());`,
		`const p = new Proxy(globalThis, {}); console.log(p.WebSocket === WebSocket, Reflect.ownKeys(p).length, "fetch" in p, Object.keys(p).join());`,
		`const o = Object.create(globalThis); console.log(o.fetch === fetch, o.hasOwnProperty("fetch"), "Blob" in o, typeof o.TextEncoder);`,
		`try { structuredClone(globalThis); } catch (e) { console.log(e.name, e.message); }`,
		`console.log(globalThis);`,
		`console.log(delete globalThis.WebSocket, typeof WebSocket, typeof CloseEvent, Object.getOwnPropertyNames(globalThis).includes("WebSocket"));`,
		`console.log(delete WebSocket, typeof WebSocket);`,
		`var WebSocket; console.log(typeof WebSocket, Object.getOwnPropertyDescriptor(globalThis, "WebSocket").enumerable);`,
		`var Headers = 1; console.log(Headers, typeof Request, Object.getOwnPropertyDescriptor(globalThis, "Headers").configurable);`,
		`function fetch() {} console.log(fetch.name, JSON.stringify(Object.getOwnPropertyDescriptor(globalThis, "fetch")), Object.getOwnPropertyNames(globalThis).indexOf("fetch"));`,
		`eval("var Blob"); console.log(typeof Blob);`,
		`let URL = 1; console.log(URL, typeof globalThis.URL, typeof URLSearchParams);`,
		`WebSocket = 5; console.log(WebSocket, typeof CloseEvent);`,
		`globalThis.TextEncoder = 1; console.log(TextEncoder, typeof TextDecoder);`,
		`console.log("Headers" in globalThis, globalThis.hasOwnProperty("Response"), Object.hasOwn(globalThis, "Request"), globalThis.propertyIsEnumerable("fetch"));`,
		`console.log(Object.getPrototypeOf(globalThis) === Window.prototype, globalThis instanceof EventTarget, Window.prototype.isPrototypeOf(globalThis), globalThis.__proto__ === Window.prototype);`,
		`try { Object.setPrototypeOf(globalThis, null); } catch (e) { console.log(e.name); }
		 console.log(Reflect.setPrototypeOf(globalThis, null), Reflect.setPrototypeOf(globalThis, Window.prototype), typeof addEventListener, typeof hasOwnProperty, Object.getPrototypeOf(globalThis) === Window.prototype);`,
		`console.log(Object.prototype.toString.call(globalThis), String(globalThis));`,
		`globalThis.__defineGetter__("Blob", () => 7); console.log(Blob, typeof File);`,
		`Object.prototype.foo = 1; console.log(foo, typeof nonexistent); try { nonexistent; } catch (e) { console.log(e.name); }`,
		`var a1; function b1() {} globalThis.c1 = 1; console.log(Object.getOwnPropertyNames(globalThis).slice(-4).join());`,
		`delete globalThis.Event; globalThis.Event = 1; typeof fetch; console.log(Object.getOwnPropertyNames(globalThis).slice(-2).join());`,
		`Object.defineProperty(globalThis, "x", {get() { return 1; }, configurable: false});
		 console.log(Object.getOwnPropertyDescriptor(globalThis, "x").configurable, typeof fetch, Object.getOwnPropertyNames(globalThis).slice(-2).join());`,
		`console.log(new Function("return this")() === globalThis, this === globalThis, Object.getOwnPropertySymbols(globalThis).length);`,
		`addEventListener("x", () => console.log("x")); dispatchEvent(new Event("x"));`,
		`console.log(typeof setTimeout, typeof queueMicrotask, typeof self, self === globalThis);`,
		`const b = new BroadcastChannel("c"); console.log(typeof b.postMessage, b.name, Object.getOwnPropertyNames(globalThis).indexOf("BroadcastChannel")); b.close();`,
		`BroadcastChannel = 1; console.log(BroadcastChannel, typeof MessageChannel, typeof structuredClone);`,
		`console.log(typeof event, crossOriginIsolated, onmessage, onmessageerror, typeof postMessage, Object.getOwnPropertyNames(globalThis).indexOf("postMessage"));`,
		`onmessage = (e) => console.log(e.data, e.origin, e.source === globalThis, event === e); postMessage("hi", "*");`,
		`addEventListener("message", (e) => console.log(e.data.source, e.data.flags, typeof event)); postMessage(/a+/giu);`,
		`event = 1; const d = Object.getOwnPropertyDescriptor(globalThis, "event"); console.log(event, d.writable, d.enumerable, d.configurable);`,
		`var event; console.log(event, typeof Object.getOwnPropertyDescriptor(globalThis, "event").get);`,
		`{ function fetch() { return 1; } } console.log(fetch(), typeof Request, Object.getOwnPropertyDescriptor(globalThis, "fetch").enumerable);`,
		`{ function onmessage() {} } console.log(typeof onmessage, typeof Object.getOwnPropertyDescriptor(globalThis, "onmessage").set);`,
		`eval("var Headers2 = typeof Headers"); console.log(Headers2, new Function("return typeof WebSocket")(), (0, eval)("typeof BroadcastChannel"));`,
		`console.log(String(structuredClone(/b/y)), structuredClone(new Uint8Array([1, 2])).length);`,
		`const w = eval; Object.defineProperty(globalThis, "eval", { get: () => (s) => "got " + s, configurable: true });
		 Object.prototype.value = w; Object.prototype.writable = true; console.log(eval("3"), typeof fetch);`,
		`const t = new EventTarget(); t.addEventListener("x", (e) => console.log(typeof event, event === e)); t.dispatchEvent(new Event("x")); console.log(typeof event);`,
		// Descriptor fields on Object.prototype, which goja's reading of a
		// Proxy trap's descriptor would see (webidl's trapDescriptor).
		`"use strict"; var data = 0; Object.prototype.set = function () {}; data = 1;
		 console.log(data, Object.getOwnPropertyDescriptor(globalThis, "console").writable, typeof fetch);`,
		`Object.prototype.get = function () { return 1 }; globalThis.x = 2; Object.prototype.value = 3;
		 console.log(x, typeof Object.getOwnPropertyDescriptor(globalThis, "fetch").value, Object.hasOwn(globalThis, "Blob"));`,
		// Three workers in turn, so that later ones defer: a BroadcastChannel
		// made after close() is not eligible for messaging.
		`const c = new BroadcastChannel("w"), seen = [];
		 c.onmessage = (e) => seen.push(e.data);
		 const url = URL.createObjectURL(new Blob(['close(); new BroadcastChannel("w").postMessage("closed"); postMessage("done");']));
		 const start = (n) => { const w = new Worker(url); w.onmessage = (e) => { console.log(n, e.data, seen.join()); if (n < 3) start(n + 1); else c.close(); }; };
		 start(1);`,
	} {
		sameOutput(t, src, runMode(t, true, src, Options{}), runMode(t, false, src, Options{}))
	}
}

// TestDeferredBindingsLeaveBuiltins checks that no binding that Defer may
// install on first use, after scripts have run, changes an object goja
// defines (String.prototype, Symbol, Object.prototype...): script could
// see the change come late. Those that must are marked Eager.
func TestDeferredBindingsLeaveBuiltins(t *testing.T) {
	builtins := goja.New().GlobalObject().GetOwnPropertyNames()
	for _, b := range webAPIs {
		if b.Eager {
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			vm := goja.New()
			realm := webidl.NewRealm(vm)
			loop := eventloop.New(vm, eventloop.Options{DeferGlobals: true})
			defer loop.Close()
			env := bindings.NewEnv(realm, loop)
			bindings.Configure(env, worker.Options{Host: (*host)(&Runtime{})})
			if err := bindings.Install(env, b.Needs...); err != nil {
				t.Fatal(err)
			}
			realm.Prepare()
			root := vm.NewObject()
			for _, name := range builtins {
				if name != "globalThis" {
					_ = root.Set(name, vm.GlobalObject().Get(name))
				}
			}
			before := builtinShape(t, vm, root)
			if err := bindings.Install(env, b); err != nil {
				t.Fatal(err)
			}
			sameOutput(t, b.Name, before, builtinShape(t, vm, root))
		})
	}
}

func builtinShape(t *testing.T, vm *goja.Runtime, root *goja.Object) string {
	t.Helper()
	f, err := vm.RunString("(" + shapeSource + ")")
	if err != nil {
		t.Fatal(err)
	}
	shape, _ := goja.AssertFunction(f)
	v, err := shape(goja.Undefined(), root)
	if err != nil {
		t.Fatal(err)
	}
	return v.String()
}

// TestNewStartsNoGoroutine checks that a runtime with nothing to do costs no
// goroutine: neither New, nor its first run of an empty script, once the
// goroutine that drove the run (unresponsive.go) has returned.
func TestNewStartsNoGoroutine(t *testing.T) {
	runSrc(t, "first.js", "", Options{})
	runSrc(t, "learn.js", "", Options{})
	before := settledGoroutines(-1)
	rt, err := New(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if n := goruntime.NumGoroutine(); n != before {
		t.Errorf("%d goroutines after New, %d before", n, before)
	}
	if err := rt.RunScript(context.Background(), "empty.js", ""); err != nil {
		t.Fatal(err)
	}
	// The heap bound's watchdog may have ended meanwhile (heapwatch).
	if n := settledGoroutines(before); n > before {
		t.Errorf("%d goroutines after an empty run, %d before", n, before)
	}
}

// settledGoroutines returns the number of goroutines once those returning
// have returned: once it is at most want, or, with want negative, once it
// has not changed over a hundred yields; within a second.
func settledGoroutines(want int) int {
	n, same := goruntime.NumGoroutine(), 0
	for end := time.Now().Add(time.Second); time.Now().Before(end) && (want >= 0 || same < 100); {
		if want >= 0 && n <= want {
			return n
		}
		goruntime.Gosched()
		if m := goruntime.NumGoroutine(); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
	return n
}
