package blockfunc

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// TestHoisted checks which function declarations in blocks get a var
// binding, scope by scope: "global", "eval" or the function's name.
func TestHoisted(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`{ function f() {} }`, []string{"global: f"}},
		{`if (x) function f() {} else function g() {}`, []string{"global: f g"}},
		{`switch (x) { case 1: function f() {} default: function g() {} }`, []string{"global: f g"}},
		{`function h() { { function f() {} } }`, []string{"h: f"}},
		{`var o = { m() { { function f() {} } } }`, []string{"(function): f"}},
		{`(() => { { function f() {} } })()`, []string{"(arrow): f"}},
		// Not a block's: top-level and labelled declarations.
		{`function f() {} l: function g() {}`, nil},
		{`{ l: function f() {} }`, nil},
		// Only plain function declarations.
		{`{ function* f() {} async function g() {} }`, nil},
		{`if (x) function* f() {} else async function g() {}`, nil},
		// Strict code, and class code, which is strict.
		{`"use strict"; { function f() {} }`, nil},
		{`function h() { "use strict"; { function f() {} } }`, nil},
		{`class C { m() { { function f() {} } } }`, nil},
		// A lexical declaration of the name around makes var f an early error.
		{`let f; { function f() {} }`, nil},
		{`{ let f; { function f() {} } }`, nil},
		{`{ class f {} { function f() {} } }`, nil},
		{`for (let f;;) { function f() {} }`, nil},
		{`for (const [f] of x) { function f() {} }`, nil},
		{`for (let {a: f} in x) { function f() {} }`, nil},
		{`switch (x) { case 1: let f; case 2: { function f() {} } }`, nil},
		{`try {} catch ({ f }) { { function f() {} } }`, nil},
		// A catch parameter that is an identifier does not.
		{`try {} catch (f) { { function f() {} } }`, []string{"global: f"}},
		// The outer of two nested declarations only.
		{`{ function f() {} { function f() {} } }`, []string{"global: f"}},
		// Two in one block: replacing either leaves the other.
		{`{ function f() {} function f() {} }`, nil},
		// var declarations and top-level functions do not conflict.
		{`var f; function g() {} { function f() {} function g() {} }`, []string{"global: f g"}},
		// Parameters, and arguments, in function code.
		{`function h(a, [b], ...c) { { function a() {} function b() {} function c() {} function d() {} } }`, []string{"h: d"}},
		{`function h() { { function arguments() {} } }`, nil},
		{`function h(a = 1) { { function f() {} } }`, []string{"h: f"}},
		// Nested functions are scopes of their own.
		{`{ function f() { { function g() {} } } }`, []string{"global: f", "f: g"}},
	}
	for _, c := range cases {
		prg, err := parser.ParseFile(nil, "", c.src, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		var got []string
		for _, s := range analyze(prg, globalCode, false).scopes {
			got = append(got, scopeName(s)+": "+hoistedNames(s))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}

func scopeName(s *varScope) string {
	switch fn := s.fn.(type) {
	case *ast.FunctionLiteral:
		if fn.Name != nil {
			return fn.Name.Name.String()
		}
		return "(function)"
	case *ast.ArrowFunctionLiteral:
		return "(arrow)"
	}
	return map[scopeKind]string{globalCode: "global", evalCode: "eval"}[s.kind]
}

func hoistedNames(s *varScope) string {
	var ns []string
	for _, f := range s.hoisted {
		ns = append(ns, f.name.String())
	}
	return strings.Join(ns, " ")
}
