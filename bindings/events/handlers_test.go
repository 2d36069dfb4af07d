package events

import (
	"testing"

	"github.com/wsjs/wsjs/webidl"
)

// defineSocketish defines Socketish, an EventTarget with WebSocket's event
// handler attributes.
func defineSocketish(t *testing.T, e *env) {
	t.Helper()
	err := e.realm.DefineInterface(&webidl.Interface{
		Name:        "Socketish",
		Parent:      "EventTarget",
		Constructor: func(c webidl.Call) any { return &Target{} },
		Attributes: []webidl.Attribute{
			HandlerAttribute("onopen"), HandlerAttribute("onerror"),
			HandlerAttribute("onclose"), HandlerAttribute("onmessage"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestHandlerListeners checks how event handlers and their listeners share the
// listener list.
func TestHandlerListeners(t *testing.T) {
	tests := []struct {
		name string
		src  string // must evaluate to true
	}{
		{"getter returns the same object", `(() => {
			const s = new Socketish(), f = () => {};
			s.onmessage = f;
			return s.onmessage === f && s.onmessage === s.onmessage && s.onopen === null })()`},
		{"non-callable object is kept and not called", `(() => {
			const s = new Socketish(), o = {}, log = [];
			s.onopen = o;
			s.addEventListener("open", () => log.push("a"));
			s.dispatchEvent(new Event("open"));
			return s.onopen === o && log.join() === "a" })()`},
		{"each handler keeps its own place", `(() => {
			const s = new Socketish(), log = [];
			s.onmessage = () => log.push("m1");
			s.onopen = () => log.push("o1");
			s.addEventListener("open", () => log.push("a"));
			s.addEventListener("message", () => log.push("b"));
			s.onmessage = () => log.push("m2");
			s.onopen = () => log.push("o2");
			s.dispatchEvent(new Event("open"));
			s.dispatchEvent(new Event("message"));
			return log.join() === "o2,a,m2,b" })()`},
		{"changed while dispatching: the new value runs", `(() => {
			const s = new Socketish(), log = [];
			s.addEventListener("open", () => { s.onopen = () => log.push("h2") });
			s.onopen = () => log.push("h1");
			s.dispatchEvent(new Event("open"));
			return log.join() === "h2" })()`},
		{"set to null while dispatching: not run", `(() => {
			const s = new Socketish(), log = [];
			s.addEventListener("open", () => { s.onopen = null });
			s.onopen = () => log.push("h1");
			s.dispatchEvent(new Event("open"));
			return log.length === 0 && s.onopen === null })()`},
		{"set to null and again while dispatching: added for the next event", `(() => {
			const s = new Socketish(), log = [];
			s.addEventListener("open", () => { s.onopen = null; s.onopen = () => log.push("h2") }, {once: true});
			s.onopen = () => log.push("h1");
			s.dispatchEvent(new Event("open"));
			s.dispatchEvent(new Event("open"));
			return log.join() === "h2" })()`},
		{"removeEventListener with the handler's function leaves the handler", `(() => {
			const s = new Socketish(), log = [], f = () => log.push("h");
			s.onopen = f;
			s.removeEventListener("open", f);
			s.dispatchEvent(new Event("open"));
			return log.join() === "h" && s.onopen === f })()`},
		{"a listener with the handler's function is another listener", `(() => {
			const s = new Socketish(), log = [], f = () => log.push("x");
			s.onopen = f;
			s.addEventListener("open", f);
			s.onopen = null;
			s.dispatchEvent(new Event("open"));
			return log.join() === "x" })()`},
		{"handlers of one object only", `(() => {
			const a = new Socketish(), b = new Socketish(), f = () => {};
			a.onclose = f;
			return b.onclose === null && a.onclose === f })()`},
	}
	e := newEnv(t)
	defineSocketish(t, e)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { e.check(t, tt.src) })
	}
}

// TestHandlerHasListeners checks that a handler counts as a listener for
// HasListeners while it is not null.
func TestHandlerHasListeners(t *testing.T) {
	e := newEnv(t)
	defineSocketish(t, e)
	obj := e.run(t, `var s = new Socketish(); s.onmessage = () => {}; s`)
	impl, _ := e.realm.Impl(obj, "EventTarget")
	tg := impl.(TargetImpl).EventTarget()
	if !tg.HasListeners("message") || tg.HasListeners("open") {
		t.Error("HasListeners with onmessage set")
	}
	e.run(t, `s.onmessage = null`)
	if tg.HasListeners("message") || len(tg.listeners) != 0 {
		t.Errorf("after onmessage = null: %d listeners", len(tg.listeners))
	}
}
