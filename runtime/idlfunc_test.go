package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime"
)

// kvOptions is a dictionary with a member of each kind.
type kvOptions struct {
	Key      string            `idl:"key,required"`
	TTL      uint32            `idl:"ttl,enforcerange,default=60"`
	Tags     []string          // "tags"
	Labels   map[string]int32  // "labels"
	Priority *int16            `idl:"priority"`
	Ratio    float64           `idl:"ratio,unrestricted"`
	Inner    *kvOptions        `idl:"inner"`
	Skipped  string            `idl:"-"`
	Raw      goja.Value        `idl:"raw"`
	Nested   map[string][]bool `idl:"nested"`
}

func (o kvOptions) String() string {
	s := fmt.Sprintf("key=%s ttl=%d tags=%q labels=%v", o.Key, o.TTL, o.Tags, o.Labels)
	if o.Priority != nil {
		s += fmt.Sprintf(" priority=%d", *o.Priority)
	}
	if o.Ratio != 0 {
		s += fmt.Sprintf(" ratio=%v", o.Ratio)
	}
	if o.Inner != nil {
		s += " inner={" + o.Inner.String() + "}"
	}
	if o.Raw != nil && !goja.IsUndefined(o.Raw) {
		s += " raw=" + o.Raw.String()
	}
	if o.Nested != nil {
		s += fmt.Sprintf(" nested=%v", o.Nested)
	}
	return s
}

// idlFuncs are the functions the table calls, by name.
var idlFuncs = map[string]func(goja.FunctionCall, *goja.Runtime) goja.Value{
	"str":      runtime.IDLFunc("str", func(s string) string { return s }),
	"jsstr":    runtime.IDLFunc("jsstr", func(s goja.String) int { return s.Length() }),
	"bool":     runtime.IDLFunc("bool", func(b bool) bool { return b }),
	"byte":     runtime.IDLFunc("byte", func(n int8) int8 { return n }),
	"octet":    runtime.IDLFunc("octet", func(n uint8) uint8 { return n }),
	"short":    runtime.IDLFunc("short", func(n int16) int16 { return n }),
	"ushort":   runtime.IDLFunc("ushort", func(n uint16) uint16 { return n }),
	"long":     runtime.IDLFunc("long", func(n int32) int32 { return n }),
	"ulong":    runtime.IDLFunc("ulong", func(n uint32) uint32 { return n }),
	"llong":    runtime.IDLFunc("llong", func(n int64) string { return fmt.Sprint(n) }),
	"ullong":   runtime.IDLFunc("ullong", func(n uint64) string { return fmt.Sprint(n) }),
	"elong":    runtime.IDLFunc("elong", func(n int32) int32 { return n }, "n,enforcerange"),
	"eulong":   runtime.IDLFunc("eulong", func(n uint32) uint32 { return n }, "n,enforcerange"),
	"cloctet":  runtime.IDLFunc("cloctet", func(n uint8) uint8 { return n }, "n,clamp"),
	"double":   runtime.IDLFunc("double", func(f float64) float64 { return f }),
	"udouble":  runtime.IDLFunc("udouble", func(f float64) string { return fmt.Sprint(f) }, "f,unrestricted"),
	"float":    runtime.IDLFunc("float", func(f float32) float32 { return f }),
	"seq":      runtime.IDLFunc("seq", func(s []int32) string { return fmt.Sprint(s) }),
	"rec":      runtime.IDLFunc("rec", func(m map[string]string) string { return fmt.Sprint(m) }),
	"dict":     runtime.IDLFunc("dict", func(o kvOptions) string { return o.String() }),
	"nullable": runtime.IDLFunc("nullable", func(s *string) string { return fmt.Sprint(s != nil && *s != "") }),
	"any":      runtime.IDLFunc("any", func(v goja.Value) string { return fmt.Sprintf("%T", v) }),
	"opt": runtime.IDLFunc("opt", func(a string, n int32, s string) string { return fmt.Sprintf("%s %d %q", a, n, s) },
		"a", "n,optional,default=7", "s,optional"),
	"err": runtime.IDLFunc("err", func(ok bool) (string, error) {
		if !ok {
			return "", errors.New("not ok")
		}
		return "ok", nil
	}),
	"none": runtime.IDLFunc("none", func() {}),
	"optdict": runtime.IDLFunc("optdict", func(n int32, o struct {
		TTL     uint32 `idl:",default=60"`
		URLPath string
		ID      int32 `idl:",enforcerange"`
	}) string {
		return fmt.Sprintf("%d %s %d", o.TTL, o.URLPath, o.ID)
	}, "n", "o,optional"),
}

func TestIDLFunc(t *testing.T) {
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		for name, f := range idlFuncs {
			if err := vm.Set(name, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ call, want string }{
		// DOMString and USVString.
		{`str("a")`, "a"},
		{`str(12.5)`, "12.5"},
		{`str(null)`, "null"},
		{`str({ toString() { return "obj"; } })`, "obj"},
		{`str("\uD800x")`, "\uFFFDx"},
		{`str(Symbol())`, "TypeError: Cannot convert a Symbol value to a string"},
		{`str()`, "TypeError: Failed to execute 'str': 1 argument(s) required, but only 0 present."},
		{`jsstr("\uD800x")`, "2"},
		// boolean.
		{`bool(0)`, "false"},
		{`bool("0")`, "true"},
		{`bool(undefined)`, "false"},
		// Integers: ToInt32 and the like, modulo 2^n.
		{`byte(200)`, "-56"},
		{`octet(-1)`, "255"},
		{`short(40000)`, "-25536"},
		{`ushort(-1)`, "65535"},
		{`long(2**31)`, "-2147483648"},
		{`long(-1.9)`, "-1"},
		{`long(NaN)`, "0"},
		{`long("12")`, "12"},
		{`ulong(-1)`, "4294967295"},
		{`ulong(2**32 + 5)`, "5"},
		{`llong(2**53 + 2)`, "9007199254740994"},
		{`ullong(-1)`, "18446744073709551615"},
		{`long(1n)`, "TypeError: Cannot convert a BigInt value to a number"},
		// [EnforceRange] and [Clamp].
		{`elong(2**31 - 1)`, "2147483647"},
		{`elong(2**31)`, "TypeError: Value is outside the 'long' value range."},
		{`elong(Infinity)`, "TypeError: Value is not a finite number and cannot be converted to 'long'."},
		{`eulong(-1)`, "TypeError: Value is outside the 'unsigned long' value range."},
		{`eulong(-0.5)`, "0"},
		{`cloctet(300)`, "255"},
		{`cloctet(2.5)`, "2"},
		// double and unrestricted double, float.
		{`double(1.5)`, "1.5"},
		{`double(NaN)`, "TypeError: The provided value is non-finite."},
		{`double("x")`, "TypeError: The provided value is non-finite."},
		{`udouble(NaN)`, "NaN"},
		{`udouble(-Infinity)`, "-Inf"},
		{`float(1e40)`, "TypeError: The provided value is outside the range of 'float'."},
		// sequence<long>.
		{`seq([1, "2", 3.5])`, "[1 2 3]"},
		{`seq(new Set([4]))`, "[4]"},
		{`seq(1)`, "TypeError: The provided value cannot be converted to a sequence."},
		{`seq({})`, "TypeError: The object must have a callable @@iterator property."},
		// record<DOMString, DOMString>.
		{`rec({ b: 1, a: "x" })`, "map[a:x b:1]"},
		{`rec(Object.defineProperty({}, "h", { value: 1 }))`, "map[]"},
		{`rec("s")`, "TypeError: The provided value is not an object and cannot be converted to a record."},
		// Dictionaries.
		{`dict({ key: "k" })`, `key=k ttl=60 tags=[] labels=map[]`},
		{`dict({ key: "k", ttl: 5, tags: ["a"], labels: { x: 1.5 }, priority: 3, ratio: NaN, inner: { key: "i" }, raw: 9, nested: { n: [0, 1] } })`,
			`key=k ttl=5 tags=["a"] labels=map[x:1] priority=3 ratio=NaN inner={key=i ttl=60 tags=[] labels=map[]} raw=9 nested=map[n:[false true]]`},
		{`dict({ key: "k", priority: null, inner: null })`, `key=k ttl=60 tags=[] labels=map[]`},
		{`dict({})`, "TypeError: Failed to read the 'key' property from 'kvOptions': Required member is undefined."},
		{`dict()`, "TypeError: Failed to execute 'dict': 1 argument(s) required, but only 0 present."},
		{`dict(undefined)`, "TypeError: Failed to read the 'key' property from 'kvOptions': Required member is undefined."},
		{`dict(5)`, "TypeError: Failed to convert value to 'kvOptions': the value is not an object."},
		{`dict({ key: "k", ttl: -1 })`, "TypeError: Value is outside the 'unsigned long' value range."},
		{`dict({ key: "k", tags: 1 })`, "TypeError: The provided value cannot be converted to a sequence."},
		{`dict({ get key() { throw new RangeError("from a getter"); } })`, "RangeError: from a getter"},
		{`(() => {
			const read = [];
			dict(new Proxy({ key: "k" }, { get(o, k) { read.push(k); return o[k]; } }));
			return read.join();
		})()`, "inner,key,labels,nested,priority,ratio,raw,tags,ttl"},
		// Nullable.
		{`nullable(null)`, "false"},
		{`nullable(undefined)`, "false"},
		{`nullable("x")`, "true"},
		// any.
		{`any({})`, "*goja.Object"},
		{`any()`, "TypeError: Failed to execute 'any': 1 argument(s) required, but only 0 present."},
		// Optional trailing arguments, with and without a default.
		{`opt("a")`, `a 7 ""`},
		{`opt("a", undefined, undefined)`, `a 7 ""`},
		{`opt("a", 1, "s")`, `a 1 "s"`},
		{`opt("a", 1, null)`, `a 1 "null"`},
		{`opt()`, "TypeError: Failed to execute 'opt': 1 argument(s) required, but only 0 present."},
		// An optional dictionary argument that is missing is converted
		// from undefined.
		{`optdict(1)`, "60  0"},
		{`optdict(1, { ttl: 2, urlPath: "/", id: 3 })`, "2 / 3"},
		{`optdict(1, null)`, "60  0"},
		{`optdict(1, 2)`, "TypeError: Failed to convert value to 'dictionary': the value is not an object."},
		{`optdict(1, { id: 2**31 })`, "TypeError: Value is outside the 'long' value range."},
		// Results.
		{`err(true)`, "ok"},
		{`err(false)`, "GoError: not ok"},
		{`none()`, "undefined"},
	} {
		var got string
		err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
			v, err := vm.RunString(`try { String(` + c.call + `) } catch (e) { e.name + ": " + e.message }`)
			if err == nil {
				got = v.String()
			}
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", c.call, err)
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", c.call, got, c.want)
		}
	}
}

// TestIDLFuncOutsideRuntime checks that a function IDLFunc made throws when
// a goja runtime that is not a Runtime calls it.
func TestIDLFuncOutsideRuntime(t *testing.T) {
	vm := goja.New()
	vm.Set("f", idlFuncs["long"])
	v, err := vm.RunString(`try { f(1) } catch (e) { e.name + ": " + e.message }`)
	if err != nil || v.String() != "TypeError: Failed to execute 'long': not called by a wsjs Runtime's script." {
		t.Errorf("got %v, %v", v, err)
	}
}

// TestIDLFuncDeclarations checks the declarations IDLFunc refuses.
func TestIDLFuncDeclarations(t *testing.T) {
	for _, c := range []struct {
		name   string
		fn     any
		params []string
		panic  string
	}{
		{"not a function", 1, nil, "is not a function"},
		{"variadic", func(...int32) {}, nil, "is not a function"},
		{"params", func(int32) {}, []string{"a", "b"}, "2 params for 1 parameters"},
		{"order", func(a, b int32) {}, []string{"a,optional", "b"}, "required parameter 2 after an optional one"},
		{"word", func(int32) {}, []string{"a,fast"}, `unknown word "fast"`},
		{"no name", func(int32) {}, []string{"enforcerange"}, "starts with a word, not a name"},
		{"no name, default", func(int32) {}, []string{"default=1,optional"}, "starts with a word, not a name"},
		{"type", func(chan int) {}, nil, "no IDL type for chan int"},
		{"map key", func(map[int]int) {}, nil, "no IDL type"},
		{"enforcerange", func(string) {}, []string{"s,enforcerange"}, "do not apply"},
		{"unrestricted", func(int32) {}, []string{"n,unrestricted"}, "do not apply"},
		{"default", func(int32) {}, []string{"n,default=x"}, `default "x"`},
		{"member", func(struct {
			A int32 `idl:"a,optional"`
		}) {
		}, nil, "optional unless required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				p := recover()
				if s, _ := p.(string); !strings.Contains(s, c.panic) {
					t.Errorf("panic %v, want one with %q", p, c.panic)
				}
			}()
			runtime.IDLFunc(c.name, c.fn, c.params...)
		})
	}
}
