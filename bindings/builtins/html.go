package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja lacks the String.prototype HTML methods of Annex B
// (https://tc39.es/ecma262/#sec-string.prototype.anchor and those after it),
// which every browser engine has. Each wraps its this value in one HTML
// element, some with one attribute, by CreateHTML.

// htmlMethods lists the methods: name, tag and attribute (empty for none).
var htmlMethods = []struct{ name, tag, attribute string }{
	{"anchor", "a", "name"},
	{"big", "big", ""},
	{"blink", "blink", ""},
	{"bold", "b", ""},
	{"fixed", "tt", ""},
	{"fontcolor", "font", "color"},
	{"fontsize", "font", "size"},
	{"italics", "i", ""},
	{"link", "a", "href"},
	{"small", "small", ""},
	{"strike", "strike", ""},
	{"sub", "sub", ""},
	{"sup", "sup", ""},
}

// installHTMLMethods defines the methods on String.prototype: writable,
// configurable, not enumerable, with length 1 for those taking an attribute
// value and 0 for the others.
func installHTMLMethods(realm *webidl.Realm) error {
	vm := realm.VM()
	proto := webidl.Intrinsics{VM: vm}.Object("String", "prototype")
	for _, m := range htmlMethods {
		length := 0
		if m.attribute != "" {
			length = 1
		}
		f := webidl.NewFunction(vm, m.name, length, func(call goja.FunctionCall) goja.Value {
			return createHTML(realm, call.This, m.tag, m.attribute, call.Argument(0))
		})
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// createHTML is CreateHTML (https://tc39.es/ecma262/#sec-createhtml).
func createHTML(realm *webidl.Realm, str goja.Value, tag, attribute string, value goja.Value) goja.Value {
	// 1-2. RequireObjectCoercible, then ToString.
	s := thisString(realm, str)
	// 3. p1 is "<" followed by tag.
	var b goja.StringBuilder
	b.WriteUTF8String("<" + tag)
	// 4. The attribute, its value converted to a string, with each
	// quotation mark written &quot;.
	if attribute != "" {
		v := stringBound{realm: realm}.toString(value)
		b.WriteUTF8String(" " + attribute + `="`)
		from := 0
		for i := 0; i < v.Length(); i++ {
			if v.CharAt(i) == '"' {
				b.WriteSubstring(v, from, i)
				b.WriteUTF8String("&quot;")
				from = i + 1
			}
		}
		b.WriteSubstring(v, from, v.Length())
		b.WriteUTF8String(`"`)
	}
	// 5-8. ">", the string, and the end tag.
	b.WriteUTF8String(">")
	b.WriteString(s)
	b.WriteUTF8String("</" + tag + ">")
	return b.String()
}
