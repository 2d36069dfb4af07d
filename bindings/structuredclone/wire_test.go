package structuredclone

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
)

// wireValues are JavaScript values of every kind the wire carries, with a
// check of their clone (v).
var wireValues = []struct{ value, check string }{
	{`undefined`, `v === undefined`},
	{`null`, `v === null`},
	{`true`, `v === true`},
	{`-0`, `Object.is(v, -0)`},
	{`NaN`, `Number.isNaN(v)`},
	{`-Infinity`, `v === -Infinity`},
	{`2 ** 60`, `v === 2 ** 60`},
	{`-123456789`, `v === -123456789`},
	{`-(2n ** 70n)`, `v === -(2n ** 70n)`},
	{`0n`, `v === 0n`},
	{`"lone \ud800 surrogate, and more than sixteen"`, `v === "lone \ud800 surrogate, and more than sixteen"`},
	{`"\u00e9t\u00e9"`, `v === "\u00e9t\u00e9"`},
	{`[new Boolean(false), new Number(-0), new String("s"), Object(3n)]`,
		`v[0] instanceof Boolean && !v[0].valueOf() && Object.is(v[1].valueOf(), -0) && v[2].valueOf() === "s" && v[3].valueOf() === 3n`},
	{`[new Date(1e12), new Date(NaN)]`, `v[0].getTime() === 1e12 && Number.isNaN(v[1].getTime())`},
	{`/a+\u00e9/giy`, `v instanceof RegExp && v.source === /a+\u00e9/.source && v.flags === "giy" && v.lastIndex === 0`},
	{`new Uint8Array([1, 2, 3]).buffer`, `v instanceof ArrayBuffer && new Uint8Array(v).join() === "1,2,3"`},
	{`(() => { const b = new ArrayBuffer(16); return [new Int8Array(b, 1, 2), new Uint8ClampedArray(b), new Int16Array(b, 2, 3), new Uint16Array(b),
		new Int32Array(b, 4, 1), new Uint32Array(b), new Float32Array(b, 8), new Float64Array(b, 8), new BigInt64Array(b), new BigUint64Array(b, 8),
		new DataView(b, 3, 5), new Float16Array(b, 2, 1)] })()`,
		`v.every(x => x.buffer === v[0].buffer) && v[0].byteOffset === 1 && v[0].length === 2 && v[4].length === 1 && v[10].byteLength === 5 && v[10].byteOffset === 3 && v[11] instanceof Float16Array && v.map(x => x.constructor.name).join() === "Int8Array,Uint8ClampedArray,Int16Array,Uint16Array,Int32Array,Uint32Array,Float32Array,Float64Array,BigInt64Array,BigUint64Array,DataView,Float16Array"`},
	{`new Map([[1, "a"], [{k: 1}, new Set([1, "x", null])]])`, `v instanceof Map && v.get(1) === "a" && [...v.keys()][1].k === 1 && [...v.values()][1].has("x")`},
	{`(() => { const e = new TypeError("bad", {cause: 1}); e.stack = "at f"; return [e, new Error(), new RangeError("x")] })()`,
		`v[0] instanceof TypeError && v[0].message === "bad" && v[0].cause === 1 && v[0].stack === "at f" && !("message" in Object(Object.getOwnPropertyDescriptors(v[1]))) && v[2] instanceof RangeError`},
	{`(() => { const a = [1, , 3]; a.extra = "x"; a[10] = {}; return a })()`, `v.length === 11 && !(1 in v) && v.extra === "x" && typeof v[10] === "object"`},
	{`(() => { const shared = {n: 1}, o = {a: shared, b: [shared], "\ud800": 2}; o.self = o; o.s = new Set([shared]); return o })()`,
		`v.self === v && v.a === v.b[0] && v.s.has(v.a) && v["\ud800"] === 2`},
	{`(() => { const b = new ArrayBuffer(4, {maxByteLength: 12}); new Uint8Array(b).set([1, 2, 3, 4]); return [b, new Uint8Array(b), new DataView(b, 1, 2)] })()`,
		`v[0].resizable && v[0].maxByteLength === 12 && v[0].byteLength === 4 && v[1].buffer === v[0] && v[1].join() === "1,2,3,4" && v[2].byteLength === 2 && (v[0].resize(8), v[1].length === 8 && v[1][7] === 0)`},
	// Last: goja's Export of a Map in a cycle does not end.
	{`(() => { const m = new Map(), o = {m}; m.set(m, o); return o })()`, `v.m.get(v.m) === v`},
}

// newWireRealm returns a realm with the built-ins, which have
// Float16Array and SharedArrayBuffer.
func newWireRealm(t testing.TB) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	return jstest.NewRealm(t, builtins.Binding, Binding)
}

func runJS(t *testing.T, vm *goja.Runtime, src string) goja.Value {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// throughWire serializes v in r, sends it through the wire format, and
// returns what was decoded.
func throughWire(t *testing.T, vm *goja.Runtime, r *webidl.Realm, v goja.Value) *Serialized {
	t.Helper()
	var s *Serialized
	if exc := vm.Try(func() { s = Serialize(r, v, nil, "test") }); exc != nil {
		t.Fatal(exc)
	}
	defer s.Discard()
	b, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeBinary(b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWireRoundTrip(t *testing.T) {
	from, fromRealm := newWireRealm(t)
	to, toRealm := newWireRealm(t)
	for _, tt := range wireValues {
		d := throughWire(t, from, fromRealm, runJS(t, from, tt.value))
		if exc := to.Try(func() { _ = to.Set("v", d.Deserialize(toRealm, "test")) }); exc != nil {
			t.Fatalf("%s: %v", tt.value, exc)
		}
		if !runJS(t, to, tt.check).ToBoolean() {
			t.Errorf("%s: %s is false", tt.value, tt.check)
		}
	}
}

// TestWireToGo checks that ToGo makes of a clone what goja's Export makes of
// the original.
func TestWireToGo(t *testing.T) {
	vm, r := newWireRealm(t)
	for _, tt := range wireValues[:len(wireValues)-1] {
		v := runJS(t, vm, tt.value)
		got := throughWire(t, vm, r, v).ToGo()
		want := v.Export()
		if ab, ok := want.(goja.ArrayBuffer); ok {
			want = ab.Bytes() // ToGo's documented difference
		}
		if views, ok := want.([]any); ok && len(views) == 12 {
			views[10], views[11] = map[string]any{}, []float32{0} // DataView; Float16Array, a Proxy to Export
		}
		if views, ok := want.([]any); ok && len(views) == 3 && reflect.TypeOf(views[0]) == reflect.TypeFor[goja.ArrayBuffer]() {
			// A resizable buffer's bytes in use, and views over it, Proxies to Export.
			views[0], views[1], views[2] = []byte{1, 2, 3, 4}, []byte{1, 2, 3, 4}, map[string]any{}
		}
		if f, ok := want.(float64); ok && math.IsNaN(f) {
			if g, ok := got.(float64); !ok || !math.IsNaN(g) {
				t.Errorf("%s: ToGo = %#v", tt.value, got)
			}
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ToGo = %#v, Export = %#v", tt.value, got, want)
		}
	}
}

type node struct {
	Name string
	Next *node
	priv int
}

type embedded struct{ Inner int }

type outer struct {
	embedded
	Outer []string
	Fn    func() `json:"-"`
}

func TestFromGo(t *testing.T) {
	loop := &node{Name: "a"}
	loop.Next = loop
	shared := map[string]any{"n": 1}
	when := time.UnixMilli(1234567890123)
	tests := []struct {
		in    any
		check string // of the value deserialized from it
		out   any    // ToGo of it
	}{
		{nil, `v === null`, nil},
		{[]any{true, "s", int8(-3), uint64(math.MaxUint64), 1.5, float32(0.5), big.NewInt(-7)},
			`v[0] === true && v[1] === "s" && v[2] === -3 && v[3] === 2 ** 64 && v[4] === 1.5 && v[5] === 0.5 && v[6] === -7n`,
			[]any{true, "s", int64(-3), float64(math.MaxUint64), 1.5, 0.5, big.NewInt(-7)}},
		{when, `v instanceof Date && v.getTime() === 1234567890123`, when},
		{[]byte{1, 2}, `v instanceof Uint8Array && v.join() === "1,2"`, []uint8{1, 2}},
		{[]byte(nil), `v instanceof Uint8Array && v.length === 0`, []uint8{}},
		{[]int(nil), `Array.isArray(v) && v.length === 0`, []any{}},
		{map[int]string{2: "b", 10: "a"}, `v[2] === "b" && v[10] === "a"`, map[string]any{"2": "b", "10": "a"}},
		{(*node)(nil), `v === null`, nil},
		{loop, `v.Name === "a" && v.Next === v && !("priv" in v)`, nil},
		{[]any{shared, shared}, `v[0] === v[1] && v[0].n === 1`, nil},
		{outer{embedded{1}, []string{"x"}, nil}, `v.Inner === 1 && v.Outer[0] === "x" && v.Fn === null && !("embedded" in v)`,
			map[string]any{"Inner": int64(1), "Outer": []any{"x"}, "Fn": nil}},
	}
	vm, r := newWireRealm(t)
	for _, tt := range tests {
		s, err := FromGo(tt.in)
		if err != nil {
			t.Fatalf("%#v: %v", tt.in, err)
		}
		b, err := s.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, use := range []string{"deserialize", "ToGo"} {
			d, err := DecodeBinary(b, 0)
			if err != nil {
				t.Fatal(err)
			}
			if use == "ToGo" {
				if got := d.ToGo(); tt.out != nil && !reflect.DeepEqual(got, tt.out) {
					t.Errorf("%#v: ToGo = %#v, want %#v", tt.in, got, tt.out)
				}
				continue
			}
			if exc := vm.Try(func() { _ = vm.Set("v", d.Deserialize(r, "test")) }); exc != nil {
				t.Fatal(exc)
			}
			if !runJS(t, vm, tt.check).ToBoolean() {
				t.Errorf("%#v: %s is false", tt.in, tt.check)
			}
		}
	}
}

func TestFromGoErrors(t *testing.T) {
	deep := []any{nil}
	for i := 0; i < maxDepth+1; i++ {
		deep = []any{deep}
	}
	for _, tt := range []struct {
		in   any
		want string
	}{
		{func() {}, "func()"},
		{map[string]any{"c": make(chan int)}, "chan int"},
		{complex(1, 2), "complex128"},
		{map[float64]int{1: 1}, "map[float64]int"},
		{goja.Undefined(), "belongs to a runtime"},
		{deep, "levels deep"},
	} {
		_, err := FromGo(tt.in)
		if _, ok := err.(*DataCloneError); !ok || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("FromGo(%T) = %v, want a DataCloneError naming %q", tt.in, err, tt.want)
		}
	}
}

func TestAppendBinaryErrors(t *testing.T) {
	vm, r := newWireRealm(t)
	for _, src := range []string{`new DOMException("m")`, `new SharedArrayBuffer(1)`} {
		var s *Serialized
		if exc := vm.Try(func() { s = Serialize(r, runJS(t, vm, src), nil, "test") }); exc != nil {
			t.Fatal(exc)
		}
		if _, err := s.AppendBinary(nil); err == nil {
			t.Errorf("%s crossed", src)
		} else if _, ok := err.(*DataCloneError); !ok {
			t.Errorf("%s: %v is not a DataCloneError", src, err)
		}
		s.Discard()
	}
}

// nested returns the encoding of n Arrays one inside the other.
func nested(n int) []byte {
	b := []byte{wireVersion}
	for i := 0; i < n; i++ {
		b = append(b, tagRecord+byte(kindArray), 1, 1, tagString, 1, '0')
	}
	return append(b, tagNull)
}

func TestDecodeBinaryErrors(t *testing.T) {
	vm, r := newWireRealm(t)
	var s *Serialized
	if exc := vm.Try(func() { s = Serialize(r, runJS(t, vm, wireValues[len(wireValues)-1].value), nil, "test") }); exc != nil {
		t.Fatal(exc)
	}
	valid, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range valid {
		if _, err := DecodeBinary(valid[:i], 0); err == nil {
			t.Errorf("the first %d of %d bytes decoded", i, len(valid))
		}
	}
	huge := binary.AppendUvarint([]byte{wireVersion, tagRecord + byte(kindArrayBuffer)}, math.MaxUint64)
	view := func(name, tracking byte, offset, length uint64, buffer ...byte) []byte {
		b := []byte{wireVersion, tagRecord + byte(kindArrayBufferView), name, tracking}
		b = binary.AppendUvarint(b, offset)
		b = binary.AppendUvarint(b, length)
		return append(b, buffer...)
	}
	buf8 := []byte{tagRecord + byte(kindArrayBuffer), 8, 0, 0, 0, 0, 0, 0, 0, 0}
	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"version", []byte{9, tagNull}, "version"},
		{"trailing", []byte{wireVersion, tagNull, tagNull}, "after the value"},
		{"huge length", huge, "exceeds what is left"},
		{"huge count", binary.AppendUvarint([]byte{wireVersion, tagRecord + byte(kindObject)}, 1<<40), "exceeds what is left"},
		{"huge array", binary.AppendUvarint([]byte{wireVersion, tagRecord + byte(kindArray)}, 1<<31), "more memory"},
		{"bad ref", []byte{wireVersion, tagRef, 0}, "reference"},
		{"bad tag", []byte{wireVersion, 0x1f}, "unknown tag"},
		{"bad kind", []byte{wireVersion, 0xff}, "unknown record kind"},
		{"view out of bounds", view(4, 0, 2, 4, buf8...), "bounds"},
		{"misaligned view", view(4, 0, 1, 1, buf8...), "bounds"},
		{"view of an object", view(1, 0, 0, 0, tagRecord+byte(kindObject), 0), "other than an ArrayBuffer"},
		{"view of itself", view(1, 0, 0, 0, tagRef, 0), "other than an ArrayBuffer"},
		{"bad view name", view(99, 0, 0, 0, buf8...), "bad view"},
		{"resizable below its length", []byte{wireVersion, tagRecord + byte(kindResizableArrayBuffer), 2, 0, 0, 1}, "maxByteLength out of range"},
		{"resizable past 2^53", binary.AppendUvarint([]byte{wireVersion, tagRecord + byte(kindResizableArrayBuffer), 0}, 1<<53), "maxByteLength out of range"},
		{"resizable too large", binary.AppendUvarint([]byte{wireVersion, tagRecord + byte(kindResizableArrayBuffer), 0}, 1<<40), "more memory"},
		{"wrong wrapper", []byte{wireVersion, tagRecord + byte(kindBigInt), tagTrue}, "wrong primitive"},
		{"negative zero BigInt", []byte{wireVersion, tagBigInt, 1, 0}, "bad BigInt"},
		{"number key", []byte{wireVersion, tagRecord + byte(kindObject), 1, tagInt, 2, tagNull}, "string expected"},
		{"bad error name", []byte{wireVersion, tagRecord + byte(kindError), 9, 0}, "bad Error"},
		{"bad flags", []byte{wireVersion, tagRecord + byte(kindRegExp), tagString, 0, 1, 'x'}, "flags"},
	} {
		_, err := DecodeBinary(tt.in, 1<<20)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	if _, err := DecodeBinary(nested(maxDepth+1), 0); err == nil || !strings.Contains(err.Error(), "levels deep") {
		t.Errorf("%d levels: %v", maxDepth+1, err)
	}
	if _, err := DecodeBinary(nested(maxDepth), 0); err != nil {
		t.Errorf("%d levels: %v", maxDepth, err)
	}
	// Views count their elements, which ToGo copies, each time.
	views := []byte{wireVersion, tagRecord + byte(kindArray), 200, 1, 200, 1} // length and count 200
	for i := 0; i < 200; i++ {
		views = append(views, tagString, byte(len(strconv.Itoa(i))))
		views = append(views, strconv.Itoa(i)...)
		if i == 0 {
			views = append(views, tagRecord+byte(kindArrayBufferView), 2, 0, 0, 0, tagRecord+byte(kindArrayBuffer), 0x80, 0x80, 4)
			views = append(views, make([]byte, 1<<16)...)
		} else {
			views = append(views, tagRecord+byte(kindArrayBufferView), 2, 1, 0, 0, tagRef, 2)
		}
	}
	if _, err := DecodeBinary(views, 1<<20); err == nil || !strings.Contains(err.Error(), "more memory") {
		t.Errorf("200 views of 64 KiB decoding into 1 MiB: %v", err)
	}
	if _, err := DecodeBinary(views, 1<<25); err != nil {
		t.Errorf("200 views of 64 KiB decoding into 32 MiB: %v", err)
	}
	if _, err := DecodeBinary(valid, 100); err == nil || !strings.Contains(err.Error(), "more memory") {
		t.Errorf("decoding into 100 bytes: %v", err)
	}
}

func FuzzDecodeBinary(f *testing.F) {
	vm, r := newWireRealm(f)
	for _, tt := range wireValues {
		v, err := vm.RunString(tt.value)
		if err != nil {
			f.Fatal(err)
		}
		var s *Serialized
		if exc := vm.Try(func() { s = Serialize(r, v, nil, "test") }); exc != nil {
			f.Fatal(exc)
		}
		b, err := s.AppendBinary(nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(nested(3))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeBinary(data, 1<<20)
		if err != nil {
			return
		}
		again, err := s.AppendBinary(nil)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		s2, err := DecodeBinary(again, 1<<20)
		if err != nil {
			t.Fatalf("decoding the re-encoding: %v", err)
		}
		if again2, _ := s2.AppendBinary(nil); !bytes.Equal(again, again2) {
			t.Fatal("the encoding is not stable")
		}
		_ = fmt.Sprint(len(again))
		s.ToGo()
	})
}
