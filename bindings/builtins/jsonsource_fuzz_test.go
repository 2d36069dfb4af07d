package builtins

import (
	"testing"

	"github.com/dop251/goja"
)

// FuzzJSONSource checks that JSON text goja parses is scanned into records
// without a panic, and that the source text a reviver is given for each
// primitive parses to the value it is given.
func FuzzJSONSource(f *testing.F) {
	for _, s := range []string{
		`1`, ` -1.5e+3 `, `"a\"\\\u0041\ud800"`, `[1, [true, null], {"a": "x"}]`, `{"a": 1, "a": [2], "": {}}`,
		`{"__proto__": [1e400, -0]}`, "\t[ ]\n", `{"\u00e9": "\ud83d\ude00"}`,
	} {
		f.Add(s)
	}
	vm := newVM(f, Options{NestingDepth: 64})
	check, err := vm.RunString(`(text) => {
		try { JSON.parse(text) } catch { return "" }
		let bad = "";
		JSON.parse(text, (k, v, c) => {
			if (c.source !== undefined && !Object.is(JSON.parse(c.source), v)) bad = c.source;
			return v;
		});
		return bad;
	}`)
	if err != nil {
		f.Fatal(err)
	}
	fn, _ := goja.AssertFunction(check)
	f.Fuzz(func(t *testing.T, text string) {
		v, err := fn(goja.Undefined(), vm.ToValue(text))
		if _, tooDeep := err.(*goja.Exception); err != nil && !tooDeep {
			t.Fatalf("%q: %v", text, err)
		}
		if err == nil && v.String() != "" {
			t.Errorf("%q: source %q does not parse to its value", text, v.String())
		}
	})
}
