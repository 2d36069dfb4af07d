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

// TestRegExpTerminated checks the literals goja's parser takes without
// their closing slash.
func TestRegExpTerminated(t *testing.T) {
	for src, want := range map[string]bool{"x = /[": false, "x = /[a": false, "x = /[/]/g": true, "x = /a/": true, "x = /\\//": true} {
		prg, err := parser.ParseFile(nil, "", src, 0)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		var l *ast.RegExpLiteral
		Walk(prg, func(v reflect.Value) bool {
			if r, ok := v.Interface().(*ast.RegExpLiteral); ok {
				l = r
			}
			return true
		})
		if got := RegExpTerminated(src, l); got != want {
			t.Errorf("%q: %v, want %v", src, got, want)
		}
	}
}
