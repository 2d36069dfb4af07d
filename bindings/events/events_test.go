package events

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

type env struct {
	vm       *goja.Runtime
	realm    *webidl.Realm
	reported []error
}

// newEnv creates a runtime with the events registered, the global object an
// EventTarget, listener exceptions collected in env.reported, and the test
// double of AbortSignal below.
func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{vm: goja.New()}
	e.realm = webidl.NewRealm(e.vm)
	benv := bindings.NewEnv(e.realm, nil)
	bindings.Configure(benv, Options{ReportException: func(err error) { e.reported = append(e.reported, err) }})
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	if err := InstallGlobal(e.realm); err != nil {
		t.Fatal(err)
	}
	defineTestSignal(t, e.realm)
	return e
}

// testSignal is a test double of an AbortSignal's internal slots.
type testSignal struct {
	Target
	aborted    bool
	algorithms []func()
}

func (s *testSignal) Aborted() bool         { return s.aborted }
func (s *testSignal) AddAlgorithm(f func()) { s.algorithms = append(s.algorithms, f) }

// defineTestSignal defines an AbortSignal interface whose objects come from
// newSignal() and are aborted by abortSignal(signal).
func defineTestSignal(t testing.TB, r *webidl.Realm) {
	err := r.DefineInterface(&webidl.Interface{Name: "AbortSignal", Parent: "EventTarget"})
	if err != nil {
		t.Fatal(err)
	}
	vm := r.VM()
	vm.Set("newSignal", func(goja.FunctionCall) goja.Value { return r.New("AbortSignal", &testSignal{}) })
	vm.Set("abortSignal", func(fc goja.FunctionCall) goja.Value {
		s := r.ToInterface(fc.Argument(0), "AbortSignal").(*testSignal)
		s.aborted = true
		for _, f := range s.algorithms {
			f()
		}
		return goja.Undefined()
	})
}

func (e *env) run(t testing.TB, src string) goja.Value {
	t.Helper()
	v, err := e.vm.RunString(src)
	if err != nil {
		t.Fatalf("%s\n: %v", src, err)
	}
	return v
}

// check runs src, which must evaluate to true.
func (e *env) check(t testing.TB, src string) {
	t.Helper()
	v, err := e.vm.RunString(src)
	if err != nil {
		t.Errorf("%s\n: %v", src, err)
		return
	}
	if !v.StrictEquals(e.vm.ToValue(true)) {
		t.Errorf("%s\n: got %v", src, v)
	}
}

func TestListenerBehaviour(t *testing.T) {
	tests := []struct {
		name string
		src  string // must evaluate to true
	}{
		{"order", `(() => {
			const t = new EventTarget(), log = [];
			t.addEventListener("x", () => log.push(1));
			t.addEventListener("x", { handleEvent() { log.push(2) } });
			t.addEventListener("x", () => log.push(3));
			t.addEventListener("y", () => log.push("y"));
			t.dispatchEvent(new Event("x"));
			return log.join() === "1,2,3" })()`},
		{"duplicates ignored", `(() => {
			const t = new EventTarget(); let n = 0; const f = () => n++;
			t.addEventListener("x", f); t.addEventListener("x", f); t.addEventListener("x", f, {once: true});
			t.addEventListener("x", f, true);
			t.dispatchEvent(new Event("x"));
			return n === 2 })()`},
		{"null callback", `(() => { const t = new EventTarget(); t.addEventListener("x", null); t.removeEventListener("x", null); return t.dispatchEvent(new Event("x")) })()`},
		{"once", `(() => {
			const t = new EventTarget(); let n = 0;
			t.addEventListener("x", () => n++, {once: true});
			t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x"));
			return n === 1 })()`},
		{"once removed before the call, re-adding works", `(() => {
			const t = new EventTarget(); let n = 0;
			const f = () => { n++; if (n < 3) t.addEventListener("x", f, {once: true}) };
			t.addEventListener("x", f, {once: true});
			t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x"));
			return n === 3 })()`},
		{"capture listeners first at target, whatever the order", `(() => {
			const t = new EventTarget(), log = [];
			t.addEventListener("x", e => log.push("b1"));
			t.addEventListener("x", e => log.push("c1"), true);
			t.addEventListener("x", e => log.push("b2"), {capture: false});
			t.addEventListener("x", e => log.push("c2"), {capture: true});
			t.dispatchEvent(new Event("x", {bubbles: true}));
			return log.join() === "c1,c2,b1,b2" })()`},
		{"capture/bubble phase order", `(() => {
			const t = new EventTarget(), log = [];
			t.addEventListener("x", e => log.push("b" + e.eventPhase));
			t.addEventListener("x", e => log.push("c" + e.eventPhase), true);
			t.dispatchEvent(new Event("x"));
			return log.join() === "c2,b2" })()`},
		{"remove with capture flag", `(() => {
			const t = new EventTarget(); let n = 0; const f = () => n++;
			t.addEventListener("x", f, true);
			t.removeEventListener("x", f); // capture false: no match
			t.dispatchEvent(new Event("x"));
			t.removeEventListener("x", f, {capture: true});
			t.dispatchEvent(new Event("x"));
			return n === 1 })()`},
		{"removal during dispatch", `(() => {
			const t = new EventTarget(), log = [];
			const b = () => log.push("b");
			t.addEventListener("x", () => { log.push("a"); t.removeEventListener("x", b) });
			t.addEventListener("x", b);
			t.dispatchEvent(new Event("x"));
			return log.join() === "a" })()`},
		{"added during dispatch does not run", `(() => {
			const t = new EventTarget(), log = [];
			t.addEventListener("x", () => { log.push("a"); t.addEventListener("x", () => log.push("late")) });
			t.dispatchEvent(new Event("x"));
			return log.join() === "a" })()`},
		{"stopImmediatePropagation", `(() => {
			const t = new EventTarget(), log = [];
			t.addEventListener("x", e => { log.push(1); e.stopImmediatePropagation() });
			t.addEventListener("x", () => log.push(2));
			const e = new Event("x");
			t.dispatchEvent(e);
			return log.join() === "1" && e.cancelBubble === false })()`},
		{"stopPropagation in capture skips bubble", `(() => {
			const t = new EventTarget(), log = [];
			t.addEventListener("x", e => { log.push("c"); e.stopPropagation() }, true);
			t.addEventListener("x", () => log.push("b"));
			t.dispatchEvent(new Event("x"));
			return log.join() === "c" })()`},
		{"cancelBubble before dispatch", `(() => {
			const t = new EventTarget(); let n = 0;
			t.addEventListener("x", () => n++);
			const e = new Event("x"); e.cancelBubble = true; e.cancelBubble = false;
			t.dispatchEvent(e);
			return n === 0 && e.cancelBubble === false })()`},
		{"preventDefault and return value", `(() => {
			const t = new EventTarget();
			t.addEventListener("x", e => e.preventDefault());
			const a = new Event("x", {cancelable: true}), b = new Event("x");
			return t.dispatchEvent(a) === false && a.defaultPrevented && !a.returnValue && t.dispatchEvent(b) === true && !b.defaultPrevented })()`},
		{"returnValue = false cancels", `(() => {
			const e = new Event("x", {cancelable: true}); e.returnValue = true; const before = e.defaultPrevented;
			e.returnValue = false; return !before && e.defaultPrevented })()`},
		{"passive ignores preventDefault", `(() => {
			const t = new EventTarget(); let inside;
			t.addEventListener("x", e => { e.preventDefault(); inside = e.defaultPrevented }, {passive: true});
			const e = new Event("x", {cancelable: true});
			return t.dispatchEvent(e) && inside === false && !e.defaultPrevented })()`},
		{"signal removes", `(() => {
			const t = new EventTarget(), s = newSignal(); let n = 0;
			t.addEventListener("x", () => n++, {signal: s});
			t.dispatchEvent(new Event("x"));
			abortSignal(s);
			t.dispatchEvent(new Event("x"));
			return n === 1 })()`},
		{"aborted signal adds nothing", `(() => {
			const t = new EventTarget(), s = newSignal(); let n = 0;
			abortSignal(s);
			t.addEventListener("x", () => n++, {signal: s});
			t.dispatchEvent(new Event("x"));
			return n === 0 })()`},
		{"signal must be an AbortSignal", `(() => {
			const t = new EventTarget();
			for (const signal of [null, {}, 1, new EventTarget()]) {
				try { t.addEventListener("x", () => {}, {signal}); return false } catch (e) { if (!(e instanceof TypeError)) return false }
			}
			t.addEventListener("x", () => {}, {signal: undefined});
			return true })()`},
		{"options read in order", `(() => {
			const t = new EventTarget(), log = [];
			const opts = new Proxy({}, { get(_, k) { log.push(String(k)); return undefined } });
			t.addEventListener("x", () => {}, opts);
			t.removeEventListener("x", () => {}, opts);
			return log.join() === "capture,once,passive,signal,capture" })()`},
		{"this and currentTarget", `(() => {
			const t = new EventTarget(); let ok = false;
			const l = { handleEvent(e) { ok = this === l && e.currentTarget === t && e.target === t && e.srcElement === t } };
			t.addEventListener("x", l);
			t.addEventListener("x", function (e) { ok = ok && this === t });
			t.dispatchEvent(new Event("x"));
			return ok })()`},
		{"handleEvent looked up at call time", `(() => {
			const t = new EventTarget(), log = []; const l = {};
			t.addEventListener("x", l);
			l.handleEvent = () => log.push(1);
			t.dispatchEvent(new Event("x"));
			l.handleEvent = () => log.push(2);
			t.dispatchEvent(new Event("x"));
			return log.join() === "1,2" })()`},
		{"type comparison is exact", `(() => {
			const t = new EventTarget(); let n = 0;
			t.addEventListener("\uD800", () => n++);
			t.dispatchEvent(new Event("\uDC00")); t.dispatchEvent(new Event("X".toLowerCase()));
			t.dispatchEvent(new Event("\uD800"));
			return n === 1 })()`},
		{"re-dispatch while dispatching throws", `(() => {
			const t = new EventTarget(); let name;
			t.addEventListener("x", e => { try { t.dispatchEvent(e) } catch (err) { name = err.name } });
			t.dispatchEvent(new Event("x"));
			return name === "InvalidStateError" })()`},
		{"event state after dispatch", `(() => {
			const t = new EventTarget(); let during;
			t.addEventListener("x", e => { during = [e.eventPhase, e.currentTarget === t, e.composedPath().length, e.composedPath()[0] === t] });
			const e = new Event("x");
			t.dispatchEvent(e);
			return during.join() === "2,true,1,true" && e.eventPhase === 0 && e.currentTarget === null && e.target === t && e.composedPath().length === 0 })()`},
		{"nested dispatch", `(() => {
			const a = new EventTarget(), b = new EventTarget(), log = [];
			a.addEventListener("x", e => { log.push("a"); b.dispatchEvent(new Event("y")); log.push(e.currentTarget === a) });
			b.addEventListener("y", e => log.push("b"));
			a.dispatchEvent(new Event("x"));
			return log.join() === "a,b,true" })()`},
		{"subclass", `(() => {
			class Emitter extends EventTarget { fire() { return this.dispatchEvent(new CustomEvent("hi", {detail: 5})) } }
			const em = new Emitter(); let d;
			em.addEventListener("hi", e => { d = e.detail });
			em.fire();
			return d === 5 && em instanceof EventTarget })()`},
		{"global is an EventTarget", `(() => {
			let n = 0; const f = () => n++;
			addEventListener("g", f);
			self = globalThis;
			globalThis.dispatchEvent(new Event("g"));
			removeEventListener("g", f);
			dispatchEvent(new Event("g"));
			return n === 1 && globalThis instanceof EventTarget })()`},
		{"argument errors", `(() => {
			const t = new EventTarget(), errs = [];
			for (const f of [() => t.addEventListener("x"), () => t.addEventListener("x", 1), () => t.dispatchEvent({}),
					() => t.dispatchEvent(), () => EventTarget.prototype.addEventListener.call({}, "x", null),
					() => t.addEventListener("x", () => {}, {once: Symbol()}) ]) {
				try { f(); errs.push("none") } catch (e) { errs.push(e.constructor.name) }
			}
			return errs.join() === "TypeError,TypeError,TypeError,TypeError,TypeError,none" })()`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.check(t, tt.src)
			if len(e.reported) > 0 {
				t.Errorf("unexpected reports: %v", e.reported)
			}
		})
	}
}

func TestListenerExceptionsAreReported(t *testing.T) {
	e := newEnv(t)
	e.check(t, `(() => {
		const t = new EventTarget(), log = [];
		t.addEventListener("x", () => { log.push(1); throw new RangeError("first") });
		t.addEventListener("x", { handleEvent: 5 });
		t.addEventListener("x", () => log.push(2));
		t.onx = 1;
		return t.dispatchEvent(new Event("x")) && log.join() === "1,2" })()`)
	if len(e.reported) != 2 {
		t.Fatalf("reported %d exceptions: %v", len(e.reported), e.reported)
	}
	if !strings.Contains(e.reported[0].Error(), "RangeError: first") || !strings.Contains(e.reported[1].Error(), "TypeError") {
		t.Errorf("reported %v", e.reported)
	}
}

func TestEventHandlerAttributes(t *testing.T) {
	e := newEnv(t)
	err := e.realm.DefineInterface(&webidl.Interface{
		Name:        "Socketish",
		Parent:      "EventTarget",
		Constructor: func(c webidl.Call) any { return &Target{} },
		Attributes:  []webidl.Attribute{HandlerAttribute("onopen"), HandlerAttribute("onmessage")},
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []string{
		`(() => { const d = Object.getOwnPropertyDescriptor(Socketish.prototype, "onopen"); return d.enumerable && d.configurable && d.get.name === "get onopen" && d.set.name === "set onopen" })()`,
		`new Socketish().onopen === null`,
		// Non-objects store null; any object is stored.
		`(() => { const s = new Socketish(); const o = {}; s.onopen = 5; const a = s.onopen; s.onopen = "f"; const b = s.onopen; s.onopen = o; return a === null && b === null && s.onopen === o })()`,
		// Position: where first set to non-null, kept when changed.
		`(() => {
			const s = new Socketish(), log = [];
			s.addEventListener("open", () => log.push("a"));
			s.onopen = () => log.push("h1");
			s.addEventListener("open", () => log.push("b"));
			s.onopen = () => log.push("h2");
			s.dispatchEvent(new Event("open"));
			return log.join() === "a,h2,b" })()`,
		// Setting null removes; setting again appends at the end.
		`(() => {
			const s = new Socketish(), log = [];
			s.onopen = () => log.push("h1");
			s.addEventListener("open", () => log.push("a"));
			s.onopen = null;
			s.dispatchEvent(new Event("open"));
			s.onopen = () => log.push("h2");
			s.dispatchEvent(new Event("open"));
			return log.join() === "a,a,h2" })()`,
		// Setting a non-object is the same as null.
		`(() => { const s = new Socketish(); let n = 0; s.onopen = () => n++; s.onopen = 0; s.dispatchEvent(new Event("open")); return n === 0 })()`,
		// Return false cancels (cancelable events only); this is currentTarget.
		`(() => {
			const s = new Socketish(); let self;
			s.onmessage = function () { self = this; return false };
			const a = new MessageEvent("message", {cancelable: true}), b = new MessageEvent("message");
			return s.dispatchEvent(a) === false && a.defaultPrevented && s.dispatchEvent(b) === true && self === s })()`,
		`(() => { const s = new Socketish(); s.onmessage = () => 0; const ev = new Event("message", {cancelable: true}); return s.dispatchEvent(ev) })()`,
		// Handlers of different names are independent.
		`(() => { const s = new Socketish(); let n = 0; s.onopen = () => n++; s.dispatchEvent(new Event("message")); return n === 0 })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(Socketish.prototype, "onopen").get.call(new EventTarget()); return false } catch (e) { return e instanceof TypeError } })()`,
	}
	for _, c := range checks {
		e.check(t, c)
	}
}

func TestGlobalOnError(t *testing.T) {
	e := newEnv(t)
	e.check(t, `(() => { const d = Object.getOwnPropertyDescriptor(globalThis, "onerror"); return d.enumerable && d.configurable && onerror === null && onunhandledrejection === null })()`)
	// OnErrorEventHandler gets (message, source, lineno, colno, error) and
	// returning true cancels.
	e.run(t, `var args; onerror = function (msg, src, line, col, err) { args = [this === globalThis, msg, src, line, col, err && err.message]; return true }`)
	ev, err := NewErrorEvent(e.realm, "error", ErrorEventInit{EventInit: EventInit{Cancelable: true}, Message: "boom", Filename: "f.js", Lineno: 3, Colno: 4, Error: e.run(t, `new Error("E")`)})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := Dispatch(e.realm, e.realm.Global(), ev)
	if err != nil || ok {
		t.Fatalf("Dispatch = %v, %v; want canceled", ok, err)
	}
	e.check(t, `JSON.stringify(args) === '[true,"boom","f.js",3,4,"E"]'`)
	// An ErrorEvent not named "error", or a plain Event named "error", gets
	// the event object and return false cancels.
	e.run(t, `onerror = function (ev) { args = [typeof ev, ev.type]; return false }`)
	e.check(t, `!dispatchEvent(new Event("error", {cancelable: true})) && args.join() === "object,error"`)
	e.check(t, `(() => { const t = new EventTarget(); t.onerror = 1; return true })()`)
	e.check(t, `(() => { try { Object.getOwnPropertyDescriptor(globalThis, "onerror").get.call(new EventTarget()); return false } catch (e) { return e instanceof TypeError } })()`)
	e.check(t, `Object.getOwnPropertyDescriptor(globalThis, "onerror").get.call(undefined) === onerror`)
	e.check(t, `(() => { const ev = new ErrorEvent("error", {cancelable: true, message: "m"}); onerror = (m) => { args = m; return true }; return !dispatchEvent(ev) && args === "m" })()`)
}

func TestReportException(t *testing.T) {
	e := newEnv(t)
	_, err := e.vm.RunScript("main.js", "\n  null.x")
	if err == nil {
		t.Fatal("no exception")
	}
	if ReportException(e.realm, err) {
		t.Fatal("handled without a handler")
	}
	e.run(t, `var seen; addEventListener("error", ev => { seen = [ev.isTrusted, ev.cancelable, ev.message, ev.filename, ev.lineno, ev.colno, ev.error instanceof TypeError]; ev.preventDefault() })`)
	if !ReportException(e.realm, err) {
		t.Fatal("not handled by a canceling listener")
	}
	e.check(t, `seen[0] === true && seen[1] === true && seen[2].startsWith("Uncaught TypeError") && seen[3] === "main.js" && seen[4] === 2 && seen[5] >= 3 && seen[6]`)

	// A Go error is reported as a GoError value.
	e.run(t, `seen = undefined`)
	ReportException(e.realm, errors.New("go failure"))
	e.check(t, `seen[2] === "Uncaught go failure"`)

	// An error thrown by an error handler is not reported recursively.
	e2 := newEnv(t)
	var out bytes.Buffer
	vm := goja.New()
	r := webidl.NewRealm(vm)
	benv := bindings.NewEnv(r, nil)
	benv.Stderr = &out
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	if err := InstallGlobal(r); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(`var calls = 0; onerror = () => { calls++; throw new Error("in handler") };
		const t = new EventTarget(); t.addEventListener("x", () => { throw new Error("in listener") }); t.dispatchEvent(new Event("x"))`); err != nil {
		t.Fatal(err)
	}
	if v := vm.Get("calls").ToInteger(); v != 1 {
		t.Errorf("onerror ran %d times", v)
	}
	if !strings.Contains(out.String(), "in handler") || !strings.Contains(out.String(), "in listener") {
		t.Errorf("stderr: %q", out.String())
	}
	_ = e2
}

// TestReportHostileException checks that ReportException fires its ErrorEvent
// for thrown values whose conversion to a string runs script that throws, with
// the value described without running script, and never panics.
func TestReportHostileException(t *testing.T) {
	cases := []struct{ value, message string }{
		{`Object.create(null)`, "Uncaught #<Object>"},
		{`new Proxy({}, { get() { throw 1; }, getPrototypeOf() { throw 2; }, ownKeys() { throw 3; } })`, "Uncaught #<Object>"},
		{`(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })()`, "Uncaught #<Object>"},
		{`({ toString() { throw new Error("no"); } })`, "Uncaught #<Object>"},
		{`(() => { const e = new Error("m"); Object.defineProperty(e, "message", { get() { throw 1; } }); return e; })()`, "Uncaught #<Error>"},
		{`({ toString() { return "plain"; } })`, "Uncaught plain"},
	}
	for _, c := range cases {
		e := newEnv(t)
		e.run(t, `var seen; addEventListener("error", ev => { seen = [ev.message, ev.error === thrown]; ev.preventDefault() })`)
		_, err := e.vm.RunString(`var thrown = ` + c.value + `; throw thrown`)
		if err == nil {
			t.Fatal("no exception")
		}
		var handled bool
		if exc := e.vm.Try(func() { handled = ReportException(e.realm, err) }); exc != nil || !handled {
			t.Errorf("%s: handled %v, threw %v", c.value, handled, exc)
			continue
		}
		if got := e.run(t, `seen.join()`).String(); got != c.message+",true" {
			t.Errorf("%s: event saw %q, want %q", c.value, got, c.message+",true")
		}
	}
}

func TestUnhandledRejection(t *testing.T) {
	e := newEnv(t)
	p := e.run(t, `var p = Promise.reject(new Error("no")); p.catch(() => {}); p`).(*goja.Object)
	reason := e.run(t, `new Error("no")`)
	if ReportUnhandledRejection(e.realm, p, reason) {
		t.Fatal("handled without a listener")
	}
	e.run(t, `var got; onunhandledrejection = ev => { got = [ev.constructor.name, ev.promise === p, ev.reason.message, ev.cancelable, ev.isTrusted]; ev.preventDefault() }`)
	if !ReportUnhandledRejection(e.realm, p, reason) {
		t.Fatal("not handled")
	}
	e.check(t, `got.join() === "PromiseRejectionEvent,true,no,true,true"`)
	e.run(t, `var handled; onrejectionhandled = ev => { handled = [ev.type, ev.cancelable] }`)
	ReportRejectionHandled(e.realm, p, reason)
	e.check(t, `handled.join() === "rejectionhandled,false"`)
}

func TestGoAPI(t *testing.T) {
	e := newEnv(t)
	target := e.run(t, `var target = new EventTarget(), got = []; target.addEventListener("open", ev => got.push(ev.type, ev.isTrusted, ev.bubbles, ev.cancelable)); target`).(*goja.Object)
	if ok, err := Fire(e.realm, target, "open"); !ok || err != nil {
		t.Fatalf("Fire = %v %v", ok, err)
	}
	e.check(t, `got.join() === "open,true,false,false"`)

	e.run(t, `target.addEventListener("close", ev => { got = [ev.constructor.name, ev.wasClean, ev.code, ev.reason, ev.isTrusted]; ev.preventDefault() })`)
	ce, err := NewCloseEvent(e.realm, "close", CloseEventInit{EventInit: EventInit{Cancelable: true}, WasClean: true, Code: 1000, Reason: "bye ✓"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Dispatch(e.realm, target, ce); ok || err != nil {
		t.Fatalf("Dispatch(close) = %v %v, want canceled", ok, err)
	}
	e.check(t, `got.join() === "CloseEvent,true,1000,bye ✓,true"`)

	e.run(t, `target.addEventListener("progress", ev => { got = [ev.constructor.name, ev.lengthComputable, ev.loaded, ev.total, ev.isTrusted, ev.bubbles, ev.cancelable] })`)
	pe, err := NewProgressEvent(e.realm, "progress", ProgressEventInit{LengthComputable: true, Loaded: 5, Total: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Dispatch(e.realm, target, pe); !ok || err != nil {
		t.Fatalf("Dispatch(progress) = %v %v", ok, err)
	}
	e.check(t, `got.join() === "ProgressEvent,true,5,1099511627776,true,false,false"`)

	e.run(t, `target.addEventListener("message", ev => { got = [ev.data, ev.origin, ev.lastEventId, ev.source, ev.ports.length, Object.isFrozen(ev.ports)] })`)
	me, err := NewMessageEvent(e.realm, "message", MessageEventInit{Data: e.vm.ToValue("hello"), Origin: "ws://127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Dispatch(e.realm, target, me); err != nil {
		t.Fatal(err)
	}
	e.check(t, `got.join() === "hello,ws://127.0.0.1,,,0,true" && got[3] === null`)

	ev, _ := NewEvent(e.realm, "x", EventInit{})
	if _, err := Dispatch(e.realm, e.vm.NewObject(), ev); err == nil {
		t.Error("dispatch at a non-EventTarget succeeded")
	}
	if _, err := Dispatch(e.realm, target, e.vm.NewObject()); err == nil {
		t.Error("dispatch of a non-Event succeeded")
	}
	if _, err := NewPromiseRejectionEvent(e.realm, "x", PromiseRejectionEventInit{}); err == nil {
		t.Error("PromiseRejectionEvent without a promise")
	}
	if _, err := NewErrorEvent(e.realm, "error", ErrorEventInit{Message: "m"}); err != nil {
		t.Error(err)
	}

	// Without Register, the API reports an error.
	bare := webidl.NewRealm(goja.New())
	if _, err := Fire(bare, bare.Global(), "x"); err == nil {
		t.Error("Fire without Register succeeded")
	}
	if err := InstallGlobal(bare); err == nil {
		t.Error("InstallGlobal without Register succeeded")
	}
	if ReportException(bare, errors.New("x")) {
		t.Error("ReportException without Register handled")
	}
	if err := Register(bindings.NewEnv(e.realm, nil)); err == nil {
		t.Error("second Register succeeded")
	}

	// HasListeners.
	impl, _ := e.realm.Impl(target, "EventTarget")
	if tg := impl.(TargetImpl).EventTarget(); !tg.HasListeners("open") || tg.HasListeners("nothing") {
		t.Error("HasListeners")
	}
}
