package structuredclone

import (
	"testing"

	"github.com/wsjs/wsjs/bindings"
)

// Copies deserialize, each once, to values of their own: the bytes of
// ArrayBuffers are copied, charged to the copy's budget, and the graph keeps
// its shared references.
func TestCopy(t *testing.T) {
	cases := []struct {
		name, value, check string
		limit              int64 // the receiver's budget; 0 for no bound
		ok                 bool
	}{
		{name: "graph", ok: true,
			value: `(() => { const b = new Uint8Array([1, 2, 3]).buffer; const o = {b, v: new Uint8Array(b, 1), e: new Error("x", {cause: b}), m: new Map([[b, new Set([b])]])}; o.self = o; return o })()`,
			check: `v.self === v && v.v.buffer === v.b && v.e.cause === v.b && v.m.get(v.b).has(v.b) && v.v[0] === 2 && (v.v[0] = 9) === 9`},
		{name: "budget too small", value: `new ArrayBuffer(1 << 16)`, limit: 1 << 15},
		{name: "budget large enough", value: `new ArrayBuffer(1 << 16)`, limit: 1 << 18, ok: true, check: `v.byteLength === 65536`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, r, _ := newBudgeted(t, 0)
			m, exc := serialize(vm, r, c.value, "")
			if exc != "" {
				t.Fatal(exc)
			}
			to := bindings.NewBudget(c.limit)
			var copies []*Serialized
			for range 2 {
				cp, ok := m.Copy(to)
				if ok != c.ok {
					t.Fatalf("Copy: ok %v, want %v", ok, c.ok)
				}
				if ok {
					copies = append(copies, cp)
				}
			}
			if !c.ok {
				if to.Used() != 0 {
					t.Errorf("a failed copy left %d bytes charged", to.Used())
				}
				return
			}
			m.Discard()
			if to.Used() == 0 {
				t.Error("the copies are charged nothing")
			}
			toVM, toRealm := newRealm(t)
			for i, cp := range copies {
				if err := toVM.Set("v", cp.Deserialize(toRealm, "postMessage")); err != nil {
					t.Fatal(err)
				}
				if ok, err := toVM.RunString(c.check); err != nil || !ok.ToBoolean() {
					t.Errorf("copy %d: %s: %v %v", i, c.check, ok, err)
				}
			}
			if _, err := toVM.RunString(`v = null`); err != nil {
				t.Fatal(err)
			}
		})
	}
}
