package structuredclone

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/webidl"
)

// TestSerializeAcrossRuntimes serializes values in one runtime and
// deserializes them in another one on another goroutine, as postMessage does.
func TestSerializeAcrossRuntimes(t *testing.T) {
	tests := []struct {
		name, value, transfer, check string
	}{
		{"primitive", `"a long string that goja imports lazily: \u00e9\ud800"`, `[]`,
			`v === "a long string that goja imports lazily: \u00e9\ud800"`},
		{"object graph", `(() => { const o = {a: [1, , 3], m: new Map([["k", {n: 1n}]])}; o.self = o; return o })()`, `[]`,
			`v.self === v && v.a.length === 3 && !(1 in v.a) && v.m.get("k").n === 1n && Object.getPrototypeOf(v) === Object.prototype`},
		{"error", `new RangeError("bad", {cause: "why"})`, `[]`,
			`v instanceof RangeError && v.message === "bad" && v.cause === "why"`},
		{"transfer", `globalThis.buf = new Uint8Array([7, 8, 9]).buffer`, `[buf]`,
			`v.byteLength === 3 && new Uint8Array(v)[2] === 9`},
		{"view over a transferred buffer", `(() => { globalThis.buf = new ArrayBuffer(8); return new Int16Array(buf, 2, 2) })()`, `[buf]`,
			`v instanceof Int16Array && v.length === 2 && v.byteOffset === 2 && v.buffer.byteLength === 8`},
		{"DOMException", `new DOMException("m", "SyntaxError")`, `[]`,
			`v instanceof DOMException && v.name === "SyntaxError" && v.code === 12`},
		{"string from Go", `({s: goString, t: [goString]})`, `[]`,
			`v.s === "a string made in Go, longer than sixteen bytes: \u00e9" && v.t[0] === v.s`},
		{"property key with a long name", `({["a key longer than sixteen characters \u00e9"]: 1})`, `[]`,
			`v["a key longer than sixteen characters \u00e9"] === 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, fromRealm := newRealm(t)
			// A string made from Go, which goja converts to UTF-16 lazily.
			_ = from.Set("goString", "a string made in Go, longer than sixteen bytes: \u00e9")
			var s *Serialized
			if exc := from.Try(func() {
				v, err := from.RunString(tt.value)
				if err != nil {
					panic(err)
				}
				list, err := from.RunString(tt.transfer)
				if err != nil {
					panic(err)
				}
				var transfer []*goja.Object
				_ = from.ExportTo(list, &transfer)
				s = Serialize(fromRealm, v, transfer, "postMessage")
			}); exc != nil {
				t.Fatal(exc)
			}
			if tt.transfer != "[]" {
				detached, err := from.RunString(`buf.byteLength === 0`)
				if err != nil || !detached.ToBoolean() {
					t.Errorf("the transferred buffer is not detached (%v)", err)
				}
			}
			done := make(chan error, 1)
			go func() {
				to, toRealm := newRealm(t)
				var err error
				if exc := to.Try(func() {
					_ = to.Set("v", s.Deserialize(toRealm, "postMessage"))
				}); exc != nil {
					err = exc
				} else if ok, e := to.RunString(tt.check); e != nil {
					err = e
				} else if !ok.ToBoolean() {
					err = errString(tt.check + " is false")
				}
				done <- err
			}()
			// The sender goes on using its values while the receiver reads.
			if _, err := from.RunString(`goString.indexOf("\u00e9") + String(` + tt.value + `).length`); err != nil && !strings.Contains(tt.value, "buf") {
				t.Error(err)
			}
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestSerializeErrors(t *testing.T) {
	vm, r := newRealm(t)
	exc := vm.Try(func() { Serialize(r, vm.ToValue(func() {}), nil, "postMessage") })
	if exc == nil || !strings.Contains(exc.Error(), "Failed to execute 'postMessage'") {
		t.Errorf("cloning a function: %v", exc)
	}
	name, _, _ := r.DOMExceptionInfo(exc.Value())
	if name != "DataCloneError" {
		t.Errorf("cloning a function threw %v, want a DataCloneError", exc.Value())
	}
	var s *Serialized
	if exc := vm.Try(func() { s = Serialize(r, vm.ToValue(1), nil, "postMessage") }); exc != nil {
		t.Fatal(exc)
	}
	if exc := vm.Try(func() { s.Deserialize(r, "postMessage") }); exc != nil {
		t.Fatal(exc)
	}
	if exc := vm.Try(func() { s.Deserialize(r, "postMessage") }); exc == nil {
		t.Error("a second Deserialize did not throw")
	}
	// A realm without Register.
	bare := goja.New()
	br := webidl.NewRealm(bare)
	if exc := bare.Try(func() { Serialize(br, bare.ToValue(1), nil, "postMessage") }); exc == nil {
		t.Error("Serialize in a realm without Register did not throw")
	}
}
