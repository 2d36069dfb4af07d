package runtime_test

import (
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime"
)

// fuzzHelpers make the values a Go function cannot: strings of any code
// units, symbols, BigInts, iterables, and objects whose getters or valueOf
// run script.
const fuzzHelpers = `({
	str: (...units) => String.fromCharCode(...units),
	sym: () => Symbol("s"),
	big: (n) => BigInt(n),
	set: (...vs) => new Set(vs),
	throwing: (k) => ({ get [k]() { throw new Error("thrown by a getter"); } }),
	valueOf: (v) => ({ valueOf() { return v; } }),
})`

// fuzzCall calls every function of the table with the value v and checks that
// each returns or throws a TypeError, the error a getter threw, or, for err,
// its own error.
const fuzzCall = `(() => {
	for (const name of names) {
		try { globalThis[name](v); } catch (e) {
			const expected = e instanceof TypeError || e.message === "thrown by a getter" ||
				name === "err" && e.name === "GoError";
			if (!expected) {
				return name + " threw " + e;
			}
		}
	}
	return "";
})()`

// FuzzIDLFunc converts arbitrary JavaScript values, built from the input, to
// every IDL type IDLFunc supports: a conversion returns or throws a TypeError
// (or what script it calls throws), and never panics in Go.
func FuzzIDLFunc(f *testing.F) {
	for _, seed := range [][]byte{
		{}, {0}, {1}, {2, 1}, {3, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f}, {4, 200},
		{5, 3, 0xd8, 0, 0, 'a', 0xdc, 0}, {6, 2, 4, 1, 4, 2}, {7, 3, 0, 5, 1, 'k', 1, 4, 9, 2, 6, 1, 5, 1, 'x'},
		{8, 0}, {9}, {10, 7}, {11, 3, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, {12, 2, 4, 1, 5, 1, 'z'},
	} {
		f.Add(seed)
	}
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer rt.Close()
	var helpers *goja.Object
	var call *goja.Program
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		var names []any
		for name, fn := range idlFuncs {
			if err := vm.Set(name, fn); err != nil {
				return err
			}
			names = append(names, name)
		}
		if err := vm.Set("names", vm.NewArray(names...)); err != nil {
			return err
		}
		h, err := vm.RunString(fuzzHelpers)
		helpers = h.ToObject(vm)
		call = goja.MustCompile("fuzz.js", fuzzCall, false)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
			g := fuzzValues{vm: vm, helpers: helpers, data: data}
			if err := vm.Set("v", g.value(0)); err != nil {
				return err
			}
			res, err := vm.RunProgram(call)
			if err == nil && res.String() != "" {
				t.Error(res.String())
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// fuzzValues builds JavaScript values from bytes.
type fuzzValues struct {
	vm      *goja.Runtime
	helpers *goja.Object
	data    []byte
}

func (g *fuzzValues) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *fuzzValues) helper(name string, args ...goja.Value) goja.Value {
	fn, _ := goja.AssertFunction(g.helpers.Get(name))
	v, err := fn(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	return v
}

// memberNames are the names the dictionary of the table reads, and others.
var memberNames = []string{"key", "ttl", "tags", "labels", "priority", "ratio", "inner", "raw", "nested", "x"}

// value returns the value the next bytes describe.
func (g *fuzzValues) value(depth int) goja.Value {
	vm := g.vm
	kind := g.byte() % 13
	if depth > 4 && kind >= 6 {
		kind = 4
	}
	switch kind {
	case 0:
		return goja.Undefined()
	case 1:
		return goja.Null()
	case 2:
		return vm.ToValue(g.byte()&1 == 1)
	case 3, 11:
		var b [8]byte
		for i := range b {
			b[i] = g.byte()
		}
		n := vm.ToValue(math.Float64frombits(binary.LittleEndian.Uint64(b[:])))
		if kind == 11 {
			return g.helper("valueOf", n)
		}
		return n
	case 4:
		return vm.ToValue(int(int8(g.byte())))
	case 5:
		n := int(g.byte() % 8)
		units := make([]goja.Value, n)
		for i := range units {
			units[i] = vm.ToValue(int(g.byte())<<8 | int(g.byte()))
		}
		return g.helper("str", units...)
	case 6, 12:
		n := int(g.byte() % 4)
		items := make([]goja.Value, n)
		for i := range items {
			items[i] = g.value(depth + 1)
		}
		if kind == 12 {
			return g.helper("set", items...)
		}
		arr := make([]any, n)
		for i, v := range items {
			arr[i] = v
		}
		return vm.NewArray(arr...)
	case 7:
		o := vm.NewObject()
		for n := int(g.byte() % 5); n > 0; n-- {
			_ = o.Set(memberNames[int(g.byte())%len(memberNames)], g.value(depth+1))
		}
		return o
	case 8:
		return g.helper("throwing", vm.ToValue(memberNames[int(g.byte())%len(memberNames)]))
	case 9:
		return g.helper("sym")
	default:
		return g.helper("big", vm.ToValue(int(int8(g.byte()))))
	}
}
