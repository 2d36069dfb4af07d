package webidl

import (
	"testing"

	"github.com/dop251/goja"
)

// TestEager checks that Eager makes goja's own global object the realm's
// when nothing has been given the Proxy, and keeps the Proxy otherwise;
// either way DOMException is defined and nothing is pending.
func TestEager(t *testing.T) {
	for _, c := range []struct {
		name      string
		given     bool
		wantPlain bool
	}{
		{"nothing given", false, true},
		{"Global called first", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			vm, r := newRealm(t)
			if c.given {
				_ = r.Global()
			}
			if err := r.Eager(); err != nil {
				t.Fatal(err)
			}
			r.Prepare()
			g := r.Global()
			if plain := g == r.Target(); plain != c.wantPlain {
				t.Fatalf("the global object is goja's: %v, want %v", plain, c.wantPlain)
			}
			if vm.GlobalObject() != g || run(t, vm, "globalThis") != goja.Value(g) {
				t.Fatal("globalThis is not the realm's global object")
			}
			if got := run(t, vm, `typeof DOMException + " " + Object.keys(globalThis).length + " " +
				(Object.getPrototypeOf(globalThis) === Object.prototype)`).String(); got != "function 0 true" {
				t.Fatalf("got %q", got)
			}
			if r.IsGlobal(g) != true {
				t.Fatal("IsGlobal is false for the global object")
			}
		})
	}
}
