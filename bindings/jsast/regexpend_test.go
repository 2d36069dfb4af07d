package jsast

import (
	"reflect"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// TestMendRegExpLiteral checks the text from the start of each regular
// expression literal to its Idx1, once mended, against its source.
func TestMendRegExpLiteral(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"x = /a/gi", "/a/gi"},      // goja: "/a/g"
		{"x = / /c", "/ /c"},        // goja: "/ /"
		{"x = /a/g === 1", "/a/g"},  // goja: "/a/g =="
		{"x = /a/gi + 1", "/a/gi"},  // goja: "/a/gi "
		{"x = /a/g\n\n  ;", "/a/g"}, // goja: "/a/g\n\n  "
		{"x = /a/gi/**/", "/a/gi"},  // goja: "/a/gi/**"
		{"x = /\\u0041\\//gi;", "/\\u0041\\//gi"},
		{"x = [/é[/]/u, /b/]", "/é[/]/u"},
		{"x = /a/", "/a/"},
		{"f = () => /a/y\nconst y = 2", "/a/y"}, // goja: "/a/y\ncons"
	} {
		prg, err := parser.ParseFile(nil, "", c.src, 0)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		var first *ast.RegExpLiteral
		Walk(prg, func(v reflect.Value) bool {
			if l, ok := v.Interface().(*ast.RegExpLiteral); ok && first == nil {
				first = l
			}
			return true
		})
		MendRegExpLiteral(first)
		if got := c.src[first.Idx0()-1 : first.Idx1()-1]; got != c.want {
			t.Errorf("%q: the literal reads %q, want %q", c.src, got, c.want)
		}
	}
}
