package subprocess

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/runtime"
)

// kinds makes a value of every kind structured cloning keeps, and checks
// what the host sent.
const kinds = `
const make = {
	undefined: () => undefined, null: () => null, bools: () => [true, false],
	numbers: () => [0, -0, 1.5, -7, 2 ** 60, NaN, Infinity, -Infinity],
	bigints: () => [0n, -(2n ** 80n)], strings: () => ["", "\u00e9t\u00e9", "lone \ud800"],
	wrappers: () => [new Boolean(true), new Number(2.5), new String("s"), Object(5n)],
	dates: () => [new Date(1700000000123), new Date(NaN)],
	regexp: () => /a+/gi, error: () => new TypeError("t", {cause: 1}),
	buffer: () => new Uint8Array([1, 2, 3]).buffer,
	views: () => { const b = new ArrayBuffer(16); new Uint8Array(b).forEach((_, i, a) => a[i] = i * 5);
		return [new Int8Array(b, 1, 3), new Uint8Array(b), new Uint8ClampedArray(b, 2), new Int16Array(b, 2, 2), new Uint16Array(b),
			new Int32Array(b, 4), new Uint32Array(b), new Float32Array(b), new Float64Array(b, 8), new BigInt64Array(b), new BigUint64Array(b),
			new DataView(b, 1, 2)] },
	map: () => new Map([[1, "a"], ["k", {x: [1]}]]), set: () => new Set([1, "a", null]),
	nested: () => ({a: [1, {b: {c: [null, undefined, "s"]}}], e: {}}),
	sparse: () => { const a = [1, , 3]; a.length = 5; a.extra = 1; return a },
	cycle: () => { const o = {n: 1}; o.self = o; o.list = [o]; return o },
	shared: () => { const s = {n: 1}; return {a: s, b: s, c: [s]} },
};
export function value(kind) { return make[kind]() }
export function float16() { return new Float16Array([1.5, -2, 65504]) }
export function mapCycle() { const m = new Map(); m.set("self", m); return m }
export function echo(v) { return v }
export function describe(v) {
	const d = x => x === null ? "null" : typeof x !== "object" ? typeof x + ":" + String(x) :
		Array.isArray(x) ? "[" + x.map(d).join() + "]" : Object.prototype.toString.call(x).slice(8, -1);
	return d(v);
}
export function same(a) { return a[0] === a[1] && a[0].Next === a[0] }
export function symbol() { return Symbol("s") }
export function weak() { return new WeakMap() }
export function nestedFn() { return {a: [1, () => 2]} }
`

func startKinds(t *testing.T) (*Process, *runtime.Runtime) {
	p := start(t, Config{Path: "kinds.js", Source: kinds})
	s, err := runtime.Compile(runtime.CompileOptions{Path: "kinds.js", Source: kinds})
	if err != nil {
		t.Fatal(err)
	}
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	if err := rt.Start(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return p, rt
}

// TestCloneKinds checks that a value of every kind comes back from the child
// as runtime.Runtime.Call returns it in process.
func TestCloneKinds(t *testing.T) {
	p, rt := startKinds(t)
	ctx := context.Background()
	for _, kind := range []string{"undefined", "null", "bools", "numbers", "bigints", "strings", "wrappers", "dates",
		"regexp", "error", "buffer", "views", "map", "set", "nested", "sparse", "cycle", "shared"} {
		got, err := p.Call(ctx, "value", kind)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		want, err := rt.Call(ctx, "value", kind)
		if err != nil {
			t.Fatal(err)
		}
		if ab, ok := want.(goja.ArrayBuffer); ok {
			want = ab.Bytes() // the documented difference
		}
		if !equal(got, want) {
			t.Errorf("%s: out of process %#v, in process %#v", kind, got, want)
		}
	}
	// What in process is a goja.Proxy, or does not end.
	if v, err := p.Call(ctx, "float16"); err != nil || !reflect.DeepEqual(v, []float32{1.5, -2, 65504}) {
		t.Errorf("float16 = %#v, %v", v, err)
	}
	v, err := p.Call(ctx, "mapCycle")
	if m, ok := v.([][2]any); err != nil || !ok || len(m) != 1 || reflect.ValueOf(m[0][1]).Pointer() != reflect.ValueOf(m).Pointer() {
		t.Errorf("mapCycle = %v, %v", v, err)
	}
	// Shared references and cycles are kept.
	v, _ = p.Call(ctx, "value", "shared")
	if m := v.(map[string]any); reflect.ValueOf(m["a"]).Pointer() != reflect.ValueOf(m["b"]).Pointer() {
		t.Error("shared references came back as copies")
	}
	v, _ = p.Call(ctx, "value", "cycle")
	if m := v.(map[string]any); reflect.ValueOf(m["self"]).Pointer() != reflect.ValueOf(m).Pointer() {
		t.Error("a cycle came back broken")
	}
}

// equal is reflect.DeepEqual with NaN equal to itself.
func equal(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	switch a := a.(type) {
	case float64:
		f, ok := b.(float64)
		return ok && math.IsNaN(a) && math.IsNaN(f)
	case []any:
		l, ok := b.([]any)
		if !ok || len(l) != len(a) {
			return false
		}
		for i := range a {
			if !equal(a[i], l[i]) {
				return false
			}
		}
		return true
	}
	return false
}

type point struct {
	X, Y int
	Next *point
}

// TestCloneArguments checks what Go arguments become in the child.
func TestCloneArguments(t *testing.T) {
	p, _ := startKinds(t)
	ctx := context.Background()
	shared := map[string]any{"n": 1}
	loop := &point{X: 1}
	loop.Next = loop
	when := time.UnixMilli(1700000000123)
	tests := []struct {
		arg  any
		desc string // describe(arg)
		echo any    // echo(arg)
	}{
		{nil, "null", nil},
		{[]any{true, "s", 7, 1.5, uint8(3)}, "[boolean:true,string:s,number:7,number:1.5,number:3]", []any{true, "s", int64(7), 1.5, int64(3)}},
		{math.Inf(-1), "number:-Infinity", math.Inf(-1)},
		{when, "Date", when},
		{[]byte{1, 2}, "Uint8Array", []uint8{1, 2}},
		{map[string]any{"a": []int{1}}, "Object", map[string]any{"a": []any{int64(1)}}},
		{point{X: 1, Y: 2}, "Object", map[string]any{"X": int64(1), "Y": int64(2), "Next": nil}},
		{[]any{shared, shared}, "[Object,Object]", nil},
	}
	for _, tt := range tests {
		d, err := p.Call(ctx, "describe", tt.arg)
		if err != nil || d != tt.desc {
			t.Errorf("describe(%#v) = %v, %v; want %s", tt.arg, d, err, tt.desc)
		}
		if tt.echo == nil {
			continue
		}
		if v, err := p.Call(ctx, "echo", tt.arg); err != nil || !reflect.DeepEqual(v, tt.echo) {
			t.Errorf("echo(%#v) = %#v, %v; want %#v", tt.arg, v, err, tt.echo)
		}
	}
	if ok, err := p.Call(ctx, "same", []any{loop, loop}); ok != true || err != nil {
		t.Errorf("a shared pointer to a cycle: %v, %v", ok, err)
	}
}

func TestCloneErrors(t *testing.T) {
	p, _ := startKinds(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		args []any
		want string
	}{
		{"symbol", nil, "Symbol(s) could not be cloned"},
		{"weak", nil, "WeakMap"},
		{"nestedFn", nil, "function could not be cloned"},
		{"echo", []any{make(chan int)}, "chan int could not be cloned"},
		{"echo", []any{map[string]any{"f": strings.ToUpper}}, "func(string) string could not be cloned"},
	} {
		_, err := p.Call(ctx, tt.name, tt.args...)
		var ce *structuredclone.DataCloneError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want a DataCloneError saying %q", tt.name, err, tt.want)
		}
	}
	if v, err := p.Call(ctx, "echo", 1); v != int64(1) || err != nil {
		t.Errorf("echo after errors = %v, %v", v, err)
	}
}

func TestCloneHostModules(t *testing.T) {
	src := `
import { echo, bad } from "host:m";
export async function roundTrip() {
	const m = new Map([["d", new Date(5)]]), o = {m, u8: new Uint8Array([9]), n: -0};
	o.self = o;
	const r = await echo(o);
	return r.self === r && r.m instanceof Map && r.m.get("d") instanceof Date && r.u8 instanceof Uint8Array && Object.is(r.n, -0);
}
export async function sendFn() {
	const p = echo(() => 1);
	try { await p; return "sent" } catch (e) { return p instanceof Promise && e.name }
}
export async function badResult() { try { await bad(); return "resolved" } catch (e) { return e.message } }`
	var got []any
	p := start(t, Config{Path: "m.js", Source: src, Modules: map[string]map[string]runtime.AsyncFunc{"m": {
		"echo": func(ctx context.Context, args []any) (any, error) {
			got = args
			o := args[0].(map[string]any)
			return map[string]any{"self": nil, "m": map[string]any{}, "u8": o["u8"], "n": o["n"], "d": o["m"].([][2]any)[0][1]}, nil
		},
		"bad": func(ctx context.Context, args []any) (any, error) { return make(chan int), nil },
	}}})
	ctx := context.Background()
	if _, err := p.Call(ctx, "roundTrip"); err != nil {
		t.Fatal(err)
	}
	o := got[0].(map[string]any)
	if reflect.ValueOf(o["self"]).Pointer() != reflect.ValueOf(o).Pointer() || !reflect.DeepEqual(o["u8"], []uint8{9}) ||
		!reflect.DeepEqual(o["m"], [][2]any{{"d", time.UnixMilli(5)}}) || !math.Signbit(o["n"].(float64)) {
		t.Errorf("the host module got %#v", got)
	}
	if v, err := p.Call(ctx, "sendFn"); v != "DataCloneError" || err != nil {
		t.Errorf("sendFn = %v, %v", v, err)
	}
	if v, err := p.Call(ctx, "badResult"); err != nil || !strings.Contains(v.(string), "chan int could not be cloned") {
		t.Errorf("badResult = %v, %v", v, err)
	}
}

// envHostile makes the test binary a hostile child (hostileChild), one
// that answers the first call with a bad frame.
const envHostile = "WSJS_TEST_HOSTILE"

// hostileChild answers the start message, then the first call with the
// frame mode names, and then waits for the host to close the pipe.
func hostileChild(mode string) int {
	in := bufio.NewReader(os.Stdin)
	fw := newFrameWriter(os.Stdout)
	if _, err := readFrame(in); err != nil {
		return 2
	}
	fw.write(&message{Op: opReady})
	call, err := readFrame(in)
	if err != nil {
		return 2
	}
	valid, _ := encodeGo(map[string]any{"a": []any{1, "x"}})
	payload := map[string][]byte{
		"truncated value": valid[:len(valid)-2],
		"huge length":     binary.AppendUvarint([]byte{1, tagString()}, math.MaxUint64),
		"deep nesting":    deepArrays(200000),
		"huge array":      binary.AppendUvarint([]byte{1, 0x20 + 12}, math.MaxUint32),
	}
	switch p, ok := payload[mode]; {
	case ok:
		fw.write(&message{Op: opResult, ID: call.ID, Payload: p})
	case mode == "huge frame":
		os.Stdout.Write([]byte{0xff, 0xff, 0xff, 0xff})
	case mode == "truncated frame":
		os.Stdout.Write([]byte{0, 0, 1, 0, 0, 0, 0, 2, '{', '}'})
		return 0
	}
	for {
		if _, err := readFrame(in); err != nil {
			return 0
		}
	}
}

// tagString is the wire format's tag of a UTF-8 string.
func tagString() byte {
	s, _ := encodeGo("")
	return s[1]
}

// deepArrays returns the encoding of n Arrays one inside the other.
func deepArrays(n int) []byte {
	b := []byte{1}
	for i := 0; i < n; i++ {
		b = append(b, 0x20+12, 1, 1, tagString(), 1, '0')
	}
	return append(b, 1) // null
}

func TestHostileChild(t *testing.T) {
	for _, tt := range []struct {
		mode string
		want string
		exit bool // the host kills the child
	}{
		{"truncated value", "bad encoding", false},
		{"huge length", "exceeds what is left", false},
		{"deep nesting", "levels deep", false},
		{"huge array", "more memory than allowed", false},
		{"huge frame", "exceeds", true},
		{"truncated frame", "unexpected EOF", true},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), envHostile+"="+tt.mode)
			p := start(t, Config{Path: "x.js", Source: "export {}", Command: cmd})
			_, err := p.Call(context.Background(), "f", 1)
			var ee *ExitError
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.As(err, &ee) != tt.exit {
				t.Errorf("Call = %v, want an error saying %q (exit %v)", err, tt.want, tt.exit)
			}
		})
	}
}
