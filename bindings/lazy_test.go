package bindings

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// fakes is a list of bindings that define globals, recording which ran.
type fakes struct {
	ran                          []string
	a, b, c, ext, eager, unnamed *Binding
	list                         []*Binding
}

func newFakes() *fakes {
	f := &fakes{}
	define := func(name string, globals ...string) func(env *Env) error {
		return func(env *Env) error {
			f.ran = append(f.ran, name)
			g, vm := env.Realm.Global(), env.Realm.VM()
			for _, n := range globals {
				o := vm.NewObject()
				_ = o.Set("from", name)
				if err := g.DefineDataProperty(n, o, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
					return err
				}
			}
			return nil
		}
	}
	f.a = &Binding{Name: "a", Register: define("a", "A1", "A2")}
	f.b = &Binding{Name: "b", Needs: []*Binding{f.a}, Register: define("b", "B")}
	f.c = &Binding{Name: "c", Register: define("c", "C")}
	// ext adds to what c defines.
	f.ext = &Binding{Name: "ext", Extends: []*Binding{f.c}, Register: func(env *Env) error {
		f.ran = append(f.ran, "ext")
		return env.Realm.Global().Get("C").(*goja.Object).Set("extended", true)
	}}
	f.eager = &Binding{Name: "eager", Eager: true, Register: define("eager", "E")}
	f.unnamed = &Binding{Name: "unnamed", Register: define("unnamed")}
	f.list = []*Binding{f.c, f.b, f.ext, f.eager, f.unnamed}
	return f
}

// deferred makes three envs deferring f's bindings and returns the last, the
// first that defers.
func (f *fakes) deferred(t *testing.T) (*goja.Runtime, *Env) {
	t.Helper()
	var vm *goja.Runtime
	var env *Env
	for range 3 {
		vm = goja.New()
		env = NewEnv(webidl.NewRealm(vm), nil)
		f.ran = nil
		if err := Defer(env, f.list...); err != nil {
			t.Fatal(err)
		}
	}
	return vm, env
}

func run(t *testing.T, vm *goja.Runtime, src string) string {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatal(err)
	}
	return v.String()
}

func TestDeferInstallsOnFirstUse(t *testing.T) {
	f := newFakes()
	vm, env := f.deferred(t)
	if len(f.ran) != 0 {
		t.Fatalf("Defer ran %v", f.ran)
	}
	if err := Prepare(env); err != nil {
		t.Fatal(err)
	}
	// The Eager binding, and the one without globals, nothing would trigger.
	if got := strings.Join(f.ran, " "); got != "eager unnamed" {
		t.Fatalf("Prepare ran %q", got)
	}
	f.ran = nil
	if got := run(t, vm, "B.from"); got != "b" || strings.Join(f.ran, " ") != "a b" {
		t.Fatalf("B is %q after %v, want b after a b", got, f.ran)
	}
	if got := run(t, vm, `C.from + " " + C.extended`); got != "c true" {
		t.Fatalf("C: %q", got)
	}
	// Extends: ext came with c.
	if got := strings.Join(f.ran, " "); got != "a b c ext" {
		t.Fatalf("ran %q", got)
	}
}

func TestDeferKeepsKeyOrder(t *testing.T) {
	f := newFakes()
	vm := goja.New()
	env := NewEnv(webidl.NewRealm(vm), nil)
	if err := env.Realm.DefineAll(); err != nil {
		t.Fatal(err)
	}
	if err := Install(env, f.list...); err != nil {
		t.Fatal(err)
	}
	want := run(t, vm, `Object.getOwnPropertyNames(globalThis).join()`)
	vm, env = f.deferred(t)
	if err := Prepare(env); err != nil {
		t.Fatal(err)
	}
	// Touched in the reverse order of an eager install.
	if got := run(t, vm, `C; B; Object.getOwnPropertyNames(globalThis).join()`); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestRequire(t *testing.T) {
	f := newFakes()
	vm, env := f.deferred(t)
	if err := Require(env.Realm, f.b); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.ran, " "); got != "a b" {
		t.Fatalf("Require ran %q", got)
	}
	if got := run(t, vm, "A2.from"); got != "a" {
		t.Fatalf("A2 is %q", got)
	}
}

func TestDeferLearnsPerKey(t *testing.T) {
	key := false
	defines := func(env *Env) error {
		name := "Off"
		if key {
			name = "On"
		}
		return env.Realm.Global().Set(name, 1)
	}
	b := &Binding{Name: "keyed", Register: defines, Key: func(*Env) any { return key }}
	list := []*Binding{b}
	for _, k := range []bool{false, true} {
		key = k
		var vm *goja.Runtime
		for range 3 {
			vm = goja.New()
			if err := Defer(NewEnv(webidl.NewRealm(vm), nil), list...); err != nil {
				t.Fatal(err)
			}
		}
		want := "number undefined"
		if k {
			want = "undefined number"
		}
		if got := run(t, vm, "typeof Off + ' ' + typeof On"); got != want {
			t.Errorf("key %v: %q, want %q", k, got, want)
		}
	}
}

// TestDeferFirstIsPlain checks that the first env of a kind installs on
// goja's own global object, and that the second, which learns, and the
// third, which defers, have the Proxy (webidl.Realm.Eager).
func TestDeferFirstIsPlain(t *testing.T) {
	f := newFakes()
	for i, wantPlain := range []bool{true, false, false} {
		vm := goja.New()
		r := webidl.NewRealm(vm)
		if err := Defer(NewEnv(r, nil), f.list...); err != nil {
			t.Fatal(err)
		}
		if plain := r.Global() == r.Target(); plain != wantPlain {
			t.Errorf("env %d: the global object is goja's: %v, want %v", i+1, plain, wantPlain)
		}
		if got := run(t, vm, "C.from + B.from"); got != "cb" {
			t.Errorf("env %d: %q", i+1, got)
		}
	}
}
