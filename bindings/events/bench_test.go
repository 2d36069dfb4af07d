package events_test

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// dispatchEnv is a realm with an EventTarget in the global "t" whose listeners the
// script src adds.
func dispatchEnv(b *testing.B, src string) (*webidl.Realm, *goja.Object) {
	b.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, nil), events.Binding); err != nil {
		b.Fatal(err)
	}
	v, err := vm.RunString("var t = new EventTarget(); var n = 0;" + src + "; t")
	if err != nil {
		b.Fatal(err)
	}
	return r, v.(*goja.Object)
}

// BenchmarkDispatchMessageEvent is what a binding does for each message: create a
// trusted MessageEvent from Go and dispatch it to an event handler attribute's
// counterpart, one listener.
func BenchmarkDispatchMessageEvent(b *testing.B) {
	r, target := dispatchEnv(b, `t.addEventListener("message", (e) => { n += e.data.length; })`)
	dispatchMessages(b, r, target)
}

// dispatchMessages creates a trusted MessageEvent from Go and dispatches it
// to target, b.N times.
func dispatchMessages(b *testing.B, r *webidl.Realm, target *goja.Object) {
	data := r.VM().ToValue("0123456789abcdef0123456789abcdef")
	b.ReportAllocs()
	for b.Loop() {
		ev, err := events.NewMessageEvent(r, "message", events.MessageEventInit{Data: data, Origin: "ws://127.0.0.1:1"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := events.Dispatch(r, target, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFireNoListener is firing an event nobody listens to, such as open on a
// socket used only through onmessage.
func BenchmarkFireNoListener(b *testing.B) {
	r, target := dispatchEnv(b, "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := events.Fire(r, target, "open"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDispatchEventFromScript is dispatchEvent(new Event(...)) in script.
func BenchmarkDispatchEventFromScript(b *testing.B) {
	r, _ := dispatchEnv(b, `t.addEventListener("x", () => { n++; })`)
	fn, err := r.VM().RunString(`(function (k) { for (let i = 0; i < k; i++) t.dispatchEvent(new Event("x")); })`)
	if err != nil {
		b.Fatal(err)
	}
	run, _ := goja.AssertFunction(fn)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := run(nil, r.VM().ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkNewEventFromScript is new Event(...) in script, the platform object's
// creation alone.
func BenchmarkNewEventFromScript(b *testing.B) {
	r, _ := dispatchEnv(b, "")
	fn, err := r.VM().RunString(`(function (k) { let e; for (let i = 0; i < k; i++) e = new Event("x"); return e; })`)
	if err != nil {
		b.Fatal(err)
	}
	run, _ := goja.AssertFunction(fn)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := run(nil, r.VM().ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

// handlerEnv is dispatchEnv with an interface, Socketish, that has WebSocket's
// four event handler attributes.
func handlerEnv(b *testing.B, src string) (*webidl.Realm, *goja.Object) {
	b.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, nil), events.Binding); err != nil {
		b.Fatal(err)
	}
	err := r.DefineInterface(&webidl.Interface{
		Name:        "Socketish",
		Parent:      "EventTarget",
		Constructor: func(c webidl.Call) any { return &events.Target{} },
		Attributes: []webidl.Attribute{
			events.HandlerAttribute("onopen"), events.HandlerAttribute("onerror"),
			events.HandlerAttribute("onclose"), events.HandlerAttribute("onmessage"),
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	v, err := vm.RunString("var n = 0; var f = () => { n++; };" + src)
	if err != nil {
		b.Fatal(err)
	}
	o, _ := v.(*goja.Object)
	return r, o
}

// BenchmarkDispatchToHandler is BenchmarkDispatchMessageEvent with the listener an
// onmessage handler among the four a WebSocket usually has.
func BenchmarkDispatchToHandler(b *testing.B) {
	r, target := handlerEnv(b, `var t = new Socketish(); t.onopen = t.onerror = t.onclose = f; t.onmessage = (e) => { n += e.data.length; }; t`)
	dispatchMessages(b, r, target)
}

// BenchmarkSetHandlers is what a script does with each socket it opens: create it
// and set onopen, onmessage, onclose and onerror; the bytes per op are mostly what
// the object and its handlers keep.
func BenchmarkSetHandlers(b *testing.B) {
	r, _ := handlerEnv(b, "")
	fn, err := r.VM().RunString(`(function (k) {
		let t;
		for (let i = 0; i < k; i++) { t = new Socketish(); t.onopen = f; t.onmessage = f; t.onclose = f; t.onerror = f; }
		return t;
	})`)
	if err != nil {
		b.Fatal(err)
	}
	run, _ := goja.AssertFunction(fn)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := run(nil, r.VM().ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGetHandler is reading an event handler attribute that is set.
func BenchmarkGetHandler(b *testing.B) {
	r, _ := handlerEnv(b, `var t = new Socketish(); t.onopen = t.onerror = t.onclose = t.onmessage = f`)
	fn, err := r.VM().RunString(`(function (k) { let h; for (let i = 0; i < k; i++) h = t.onmessage; return h; })`)
	if err != nil {
		b.Fatal(err)
	}
	run, _ := goja.AssertFunction(fn)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := run(nil, r.VM().ToValue(b.N)); err != nil {
		b.Fatal(err)
	}
}
