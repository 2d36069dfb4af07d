package jsast

import (
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// TestEnd checks the text from the start of each statement's expression to
// its End against its source.
func TestEnd(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"a + 진", "a + 진"},                 // goja: a byte more
		{"a + 진진진", "a + 진진진"},             // goja: a byte less
		{"a + \\u{c9c4}", "a + \\u{c9c4}"}, // goja: "a + \\u{c"
		{"a + b\\u0063", "a + b\\u0063"},
		{"a = o.진", "a = o.진"},
		{"class C { #x; m() { a = this.#x } }", "a = this.#x"}, // goja: "a = this.#"
		{"class C { #x; m() { a = o?.#x } }", "a = o?.#x"},
		{"class C { #x; m() { a = #x in o } }", "a = #x in o"},
		{"a = /x/gi === 1", "a = /x/gi === 1"},
		{"a = /x/gi", "a = /x/gi"}, // goja: "a = /x/g"
		{"a = b ? c : /x/y\n", "a = b ? c : /x/y"},
		{"a = () => 진", "a = () => 진"},
		{"a = new F", "a = new F"},
		{"a = new F(진)", "a = new F(진)"},
		{"a = (b, 진)", "a = (b, 진"}, // the parentheses are not in the tree
		{"function* g() { a = yield 진 }", "a = yield 진"},
		{"function* g() { a = yield }", "a = yield"},
		{"a = x++", "a = x++"},
		{"a = -진", "a = -진"},
		{"a = f(...진)", "a = f(...진)"},
		{"a = new.target", "a = new.target"},
	} {
		prg, err := parser.ParseFile(nil, "", c.src, 0)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		e := firstExpression(prg.Body)
		if e == nil {
			t.Fatalf("%q: no expression statement", c.src)
		}
		if got := c.src[e.Idx0()-1 : End(c.src, e)]; got != c.want {
			t.Errorf("%q: the expression reads %q, want %q", c.src, got, c.want)
		}
	}
}

// firstExpression returns the expression of the first expression statement
// in list, in the bodies of functions, classes and methods too.
func firstExpression(list []ast.Statement) ast.Expression {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.ExpressionStatement:
			return s.Expression
		case *ast.FunctionDeclaration:
			if e := firstExpression(s.Function.Body.List); e != nil {
				return e
			}
		case *ast.ClassDeclaration:
			for _, el := range s.Class.Body {
				if m, ok := el.(*ast.MethodDefinition); ok {
					if e := firstExpression(m.Body.Body.List); e != nil {
						return e
					}
				}
			}
		}
	}
	return nil
}
