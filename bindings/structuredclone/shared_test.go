package structuredclone

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// newSharingRealm returns a realm with the built-ins, in cluster.
func newSharingRealm(t *testing.T, cluster *bindings.Cluster) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	env := bindings.NewEnv(r, nil)
	env.Cluster = cluster
	if err := bindings.Install(env, builtins.Binding, Binding); err != nil {
		t.Fatal(err)
	}
	return vm, r
}

func TestSharedArrayBuffer(t *testing.T) {
	vm, _ := newSharingRealm(t, &bindings.Cluster{})
	check(t, vm, []string{
		`(() => { const s = new SharedArrayBuffer(4), c = clone(s); new Uint8Array(c)[0] = 7; return c !== s && c instanceof SharedArrayBuffer && c.byteLength === 4 && new Uint8Array(s)[0] === 7 })()`,
		`(() => { const s = new SharedArrayBuffer(2, {maxByteLength: 8}), c = clone(s); s.grow(6); return c.growable && c.byteLength === 6 && c.maxByteLength === 8 })()`,
		`(() => { const s = new SharedArrayBuffer(8), [a, b] = clone([new Int32Array(s, 4), s]); Atomics.store(a, 0, 5); return a.buffer === b && Atomics.load(new Int32Array(s), 1) === 5 })()`,
		`(() => { const s = new SharedArrayBuffer(4); return throws(() => clone(s, {transfer: [s]})) === 'DataCloneError:25' })()`,
		`(() => { const b = new ArrayBuffer(2, {maxByteLength: 8}); new Uint8Array(b)[1] = 3; const c = clone(b); return c.byteLength === 2 && new Uint8Array(c)[1] === 3 })()`,
		`(() => { const b = new ArrayBuffer(2, {maxByteLength: 8}), c = clone(b, {transfer: [b]}); return b.detached && c.byteLength === 2 })()`,
	})
}

func TestSharedArrayBufferAcrossRealms(t *testing.T) {
	cluster := &bindings.Cluster{}
	tests := []struct {
		name    string
		cluster *bindings.Cluster
		want    string
	}{
		{"same agent cluster", cluster, "shared"},
		{"another agent cluster", &bindings.Cluster{}, "DataCloneError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, r := newSharingRealm(t, cluster)
			vm2, r2 := newSharingRealm(t, tt.cluster)
			v, err := vm.RunString(`globalThis.s = new SharedArrayBuffer(4); s`)
			if err != nil {
				t.Fatal(err)
			}
			msg := Serialize(r, v, nil, "postMessage")
			got := "shared"
			func() {
				defer func() {
					if x := recover(); x != nil {
						got = "DataCloneError"
					}
				}()
				_ = vm2.Set("s", msg.Deserialize(r2, "postMessage"))
				if _, err := vm2.RunString(`new Uint8Array(s)[3] = 9`); err != nil {
					t.Fatal(err)
				}
				if v, _ := vm.RunString(`new Uint8Array(s)[3]`); v.ToInteger() != 9 {
					got = "copied"
				}
			}()
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestSharedArrayBufferNotIsolated checks that a realm that is not
// cross-origin isolated cannot clone a SharedArrayBuffer, alone or inside
// another value, and still clones the rest.
func TestSharedArrayBufferNotIsolated(t *testing.T) {
	vm, r := newSharingRealm(t, &bindings.Cluster{})
	r.SetCrossOriginIsolated(false)
	check(t, vm, []string{
		`throws(() => clone(new SharedArrayBuffer(4))) === 'DataCloneError:25'`,
		`throws(() => clone({a: [new Int8Array(new SharedArrayBuffer(4))]})) === 'DataCloneError:25'`,
		`clone(new ArrayBuffer(4)).byteLength === 4`,
	})
}
