package builtins

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// TestJSONParse checks the values and errors of JSON.parse, for ASCII text
// and for text with other code units (a second parser instance).
func TestJSONParse(t *testing.T) {
	runCases(t, []scriptCase{
		// Lone surrogates, escaped and not, stay as they are.
		{`JSON.parse('"\\uD800"').charCodeAt(0)`, "55296"},
		{`JSON.parse('"\uDC00é"').charCodeAt(0)`, "56320"},
		{`JSON.parse('"\\uD83D\\uDE00"') === "😀"`, "true"},
		{`const s = "a\uD800b"; JSON.parse(JSON.stringify(s)) === s`, "true"},
		{`Object.keys(JSON.parse('{"\\uD800": 1, "é": 2}')).map((k) => k.length + ":" + k.charCodeAt(0)).join()`, "1:55296,1:233"},
		// Numbers as the spec reads them.
		{`[JSON.parse("1e400"), JSON.parse("-1e400"), JSON.parse("1e-400"), Object.is(JSON.parse("-0"), -0), Object.is(JSON.parse("-0.0"), -0)].join()`, "Infinity,-Infinity,0,true,true"},
		{`[JSON.parse("123456789012345"), JSON.parse("-1234567890123456789"), JSON.parse("1.5E+2"), JSON.parse("0.1")].join()`, "123456789012345,-1234567890123456800,150,0.1"},
		// Members as CreateDataProperty defines them.
		{`const o = JSON.parse('{"b":1,"a":2,"b":3}'); Object.keys(o).join() + o.b`, "b,a3"},
		{`const o = JSON.parse('{"__proto__": 1, "": 2}'); [Object.getPrototypeOf(o) === Object.prototype, Object.keys(o).join("|"), o[""]].join()`, "true,__proto__|,2"},
		{`Object.defineProperty(Object.prototype, "x", { set() { throw 1 } }); JSON.parse('{"x": 5}').x`, "5"},
		{`JSON.stringify(JSON.parse(' \t\r\n[ 1 , {"a" : [ ] } , "s" , true , false , null ] '))`, `[1,{"a":[]},"s",true,false,null]`},
		{`JSON.parse('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"') === "\"\\/\b\f\n\r\té"`, "true"},
		{`JSON.parse('"é\\n"') + JSON.parse('["ü", {"ö": "ä"}]')[1]["ö"]`, "é\nä"},
	})
	bad := []struct{ text, message string }{
		{`[1,]`, `Unexpected token ']', "[1,]" is not valid JSON`},
		{`01`, "Unexpected non-whitespace character after JSON at position 1"},
		{`"a` + "\t" + `"`, "Bad control character in string literal in JSON at position 2"},
		{`"\x"`, "Bad escaped character in JSON at position 2"},
		{`"\u12"`, "Bad Unicode escape in JSON at position 1"},
		{`"abc`, "Unterminated string in JSON at position 4"},
		{``, "Unexpected end of JSON input"},
		{`{"a" 1}`, `Unexpected token '1', "{"a" 1}" is not valid JSON`},
		{`[1 2]`, `Unexpected token '2', "[1 2]" is not valid JSON`},
		{`-`, "Unexpected end of JSON input"},
		{`1.`, "Unexpected end of JSON input"},
		{`tru`, "Unexpected end of JSON input"},
		{`nul1`, `Unexpected token '1', "nul1" is not valid JSON`},
		{`{'a': 1}`, `Unexpected token ''', "{'a': 1}" is not valid JSON`},
		{`["é",]`, `Unexpected token ']', "["é",]" is not valid JSON`},
	}
	vm := newVM(t, Options{})
	parse, _ := goja.AssertFunction(vm.Get("JSON").(*goja.Object).Get("parse"))
	for _, c := range bad {
		_, err := parse(goja.Undefined(), vm.ToValue(c.text))
		var ex *goja.Exception
		if !errors.As(err, &ex) || ex.Value().(*goja.Object).Get("name").String() != "SyntaxError" ||
			ex.Value().(*goja.Object).Get("message").String() != c.message {
			t.Errorf("JSON.parse(%q): %v, want a SyntaxError %q", c.text, err, c.message)
		}
	}
}

// TestJSONParseDepth checks the bound on nesting: a RangeError past the
// realm's, whatever the text after it.
func TestJSONParseDepth(t *testing.T) {
	vm := newVM(t, Options{NestingDepth: 100})
	for _, c := range []struct{ src, want string }{
		{`JSON.parse("[".repeat(100) + "]".repeat(100)).flat(Infinity).length`, "0"},
		{`try { JSON.parse("[".repeat(101) + "]".repeat(101)) } catch (e) { e.name }`, "RangeError"},
		{`try { JSON.parse('{"a":'.repeat(101)) } catch (e) { e.name }`, "RangeError"},
	} {
		if v, err := vm.RunString(c.src); err != nil || v.String() != c.want {
			t.Errorf("%s: %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}

// TestJSONParseInterruptible checks that a long parse sees the interrupt:
// goja's parse ran seconds for a 16 MB array.
func TestJSONParseInterruptible(t *testing.T) {
	for _, src := range []string{`"[" + "0,".repeat(2**23) + "0]"`, `"[" + '"é",'.repeat(2**22) + "0]"`} {
		t.Run(src[:12], func(t *testing.T) {
			vm := newVM(t, Options{Interruptible: true})
			long, err := vm.RunString(src)
			if err != nil {
				t.Fatal(err)
			}
			jstest.InterruptInside(t, vm, "JSON.parse(input)", long, 300*time.Millisecond)
		})
	}
}

// FuzzJSONParse checks that JSON.parse accepts what encoding/json finds
// valid and nothing else, never panics, and that what it makes stringifies
// to text that parses to the same.
func FuzzJSONParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e-3,"x\u00e9",true,null]}`, `"\ud800"`, `[1,]`, `-0`, `1e400`, ` [ ] `, `{"__proto__":{}}`, "\"\u00e9\t\""} {
		f.Add(s)
	}
	vm := newVM(f, Options{})
	check, err := vm.RunString(`(text) => {
		const v = JSON.parse(text);
		const s = JSON.stringify(v);
		return s === undefined || JSON.stringify(JSON.parse(s)) === s;
	}`)
	if err != nil {
		f.Fatal(err)
	}
	fn, _ := goja.AssertFunction(check)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.Count(text, "[")+strings.Count(text, "{") > 1000 {
			return // goja would read other text than encoding/json
		}
		v, err := fn(goja.Undefined(), vm.ToValue(text))
		if err != nil {
			var ex *goja.Exception
			if !errors.As(err, &ex) {
				t.Fatalf("%q: %v", text, err)
			}
			if name := ex.Value().(*goja.Object).Get("name").String(); name != "SyntaxError" {
				t.Fatalf("%q: %v", text, err)
			}
			if json.Valid([]byte(text)) {
				t.Fatalf("%q is valid JSON, but: %v", text, err)
			}
			return
		}
		if !json.Valid([]byte(text)) {
			t.Fatalf("%q is not valid JSON, but parsed", text)
		}
		if !v.ToBoolean() {
			t.Fatalf("%q does not round-trip", text)
		}
	})
}
