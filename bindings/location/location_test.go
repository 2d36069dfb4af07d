package location

import (
	"testing"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

func TestLocation(t *testing.T) {
	vm, r := jstest.NewRealm(t, Binding)
	r.SetAPIBaseURL("http://web-platform.test:8000/websockets/Close-1000.any.html?wss#frag")
	cases := []struct{ expr, want string }{
		{"location.href", "http://web-platform.test:8000/websockets/Close-1000.any.html?wss#frag"},
		{"String(location)", "http://web-platform.test:8000/websockets/Close-1000.any.html?wss#frag"},
		{"location.origin", "http://web-platform.test:8000"},
		{"location.protocol", "http:"},
		{"location.host", "web-platform.test:8000"},
		{"location.hostname", "web-platform.test"},
		{"location.port", "8000"},
		{"location.pathname", "/websockets/Close-1000.any.html"},
		{"location.search", "?wss"},
		{"location.hash", "#frag"},
		{"Object.prototype.toString.call(location)", "[object WorkerLocation]"},
		{"location === location", "true"},
		{"(() => { try { new WorkerLocation(); } catch (e) { return e.name; } })()", "TypeError"},
		{"(() => { 'use strict'; try { location = 1; } catch (e) { return e.name; } })()", "TypeError"},
		{"typeof Object.getOwnPropertyDescriptor(globalThis, 'location').get", "function"},
		// A getter's name is configurable, not enumerable (https://webidl.spec.whatwg.org/#dfn-attribute-getter).
		{"(g => [g.name, g.length, Object.keys(g).length, delete g.name].join())(Object.getOwnPropertyDescriptor(globalThis, 'location').get)", "get location,0,0,true"},
	}
	for _, c := range cases {
		v, err := vm.RunString(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if v.String() != c.want {
			t.Errorf("%s = %q, want %q", c.expr, v.String(), c.want)
		}
	}
	r.SetAPIBaseURL("https://example.test/")
	if v, _ := vm.RunString("location.origin + location.port + location.search"); v.String() != "https://example.test" {
		t.Errorf("after a base URL change: %q", v)
	}
}
