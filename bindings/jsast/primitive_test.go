package jsast

import (
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

func TestIsPrimitive(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"1", true}, {`"s"`, true}, {"true", true}, {"null", true}, {"`a${b}`", true},
		{"-x", true}, {"typeof x", true}, {"void x", true}, {"x++", true}, {"a + b", true}, {"a instanceof b", true},
		{"x", false}, {"undefined", false}, {"/re/", false}, {"tag`a`", false}, {"a && b", false},
		{"a || b", false}, {"a ?? b", false}, {"(a, 1)", false}, {"a = 1", false}, {"f()", false}, {"{}", false},
	} {
		prg, err := parser.ParseFile(nil, "", "("+c.src+")", 0)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got := IsPrimitive(prg.Body[0].(*ast.ExpressionStatement).Expression); got != c.want {
			t.Errorf("%s: got %v, want %v", c.src, got, c.want)
		}
	}
}
