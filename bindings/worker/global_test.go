package worker

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// newEnv returns the Env of a new realm, with the events binding
// registered, a loop and opts configured.
func newEnv(t *testing.T, global bindings.Global, opts Options) *bindings.Env {
	t.Helper()
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	t.Cleanup(loop.Close)
	env := bindings.NewEnv(realm, loop)
	env.Global = global
	bindings.Configure(env, opts)
	if err := bindings.Install(env, events.Binding); err != nil {
		t.Fatal(err)
	}
	return env
}

func TestWindowGlobal(t *testing.T) {
	tests := []struct {
		defineWindow bool
		want         string
	}{
		{false, "Window true false true 5"},
		{true, "Window true true true 5"},
	}
	for _, tt := range tests {
		env := newEnv(t, bindings.Window, Options{DefineWindow: tt.defineWindow})
		if err := bindings.Install(env, GlobalScope); err != nil {
			t.Fatal(err)
		}
		v, err := env.Realm.VM().RunString(`[
			Object.prototype.toString.call(globalThis).slice(8, -1),
			Object.getPrototypeOf(globalThis) === Window.prototype,
			typeof window !== "undefined" && window === globalThis,
			self === globalThis,
			// Window's self is [Replaceable].
			(self = 5, self),
		].join(" ")`)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.String(); got != tt.want {
			t.Errorf("DefineWindow %t: %s, want %s", tt.defineWindow, got, tt.want)
		}
	}
}

func TestInstallErrors(t *testing.T) {
	tests := []struct {
		name   string
		global bindings.Global
		opts   Options
		b      *bindings.Binding
		err    string
	}{
		{"no Host", bindings.Window, Options{}, Binding, "no Host"},
		{"worker global without a worker", bindings.DedicatedWorker, Options{Host: &fakeHost{}}, GlobalScope, "worker's runtime only"},
	}
	for _, tt := range tests {
		env := newEnv(t, tt.global, tt.opts)
		if err := bindings.Install(env, tt.b); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
		}
	}
}

// TestWindowMembers checks Window's origin, the handlers of
// WindowEventHandlers it has, and the this value of its members.
func TestWindowMembers(t *testing.T) {
	tests := []struct {
		base, src, want string
	}{
		{"https://example.test:8443/a/b.js", `origin`, "https://example.test:8443"},
		{"file:///tmp/x.js", `origin`, "null"},
		{"data:text/javascript,1", `origin`, "null"},
		{"https://example.test/", `Object.getOwnPropertyDescriptor(globalThis, "origin").set.call(null, "o"), origin`, "o"},
		{"https://example.test/", `["onoffline", "ononline", "onlanguagechange"].every(n => Object.hasOwn(globalThis, n) && globalThis[n] === null)`, "true"},
		{"https://example.test/", `try { Object.create(globalThis).origin } catch (e) { e.name }`, "TypeError"},
		{"https://example.test/", `try { Reflect.set(globalThis, "ononline", null, {}) } catch (e) { e.name }`, "TypeError"},
		{"https://example.test/", `try { Object.defineProperty(globalThis, "self", {configurable: false}); self = 1 } catch (e) { e.name }`, "TypeError"},
	}
	for _, tt := range tests {
		env := newEnv(t, bindings.Window, Options{})
		env.Realm.SetAPIBaseURL(tt.base)
		if err := bindings.Install(env, GlobalScope); err != nil {
			t.Fatal(err)
		}
		v, err := env.Realm.VM().RunString(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got := v.String(); got != tt.want {
			t.Errorf("%s (base %s): %s, want %s", tt.src, tt.base, got, tt.want)
		}
	}
}
