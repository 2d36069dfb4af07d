package jsnest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// treeDepth returns how deeply goja's syntax tree of prg nests, in nodes.
func treeDepth(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return treeDepth(v.Elem())
	case reflect.Slice:
		d := 0
		for i := range v.Len() {
			d = max(d, treeDepth(v.Index(i)))
		}
		return d
	case reflect.Struct:
		if v.Type().PkgPath() != reflect.TypeFor[ast.Program]().PkgPath() {
			return 0
		}
		d := 0
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				d = max(d, treeDepth(v.Field(i)))
			}
		}
		return 1 + d
	}
	return 0
}

// treeLevelsPerCount bounds how many nodes of goja's tree one level of
// Check's estimate may stand for (an expression statement holding a call
// holding its callee, for instance).
const treeLevelsPerCount = 4

// FuzzCheck checks that Check never panics, and that for text goja parses
// its estimate is not below the depth of goja's syntax tree (divided by
// treeLevelsPerCount): what it allows, goja's recursion goes through.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"a = [[1, (2)], {b: `${c}`}];", "if (a) /re/.test(b); else { c() }",
		"x = {} / [[1]] / 2", "do x; while (0); f()\n(g)", "a: for (;;) { break a }",
		"function f() {}\n/}/.x", "y = a ? b : c ? d : e", "async () => await await x",
		"class A extends B { m() { return super.m() } }", "x = 1 + - + - 1",
		strings.Repeat("[", 60) + strings.Repeat("]", 60), strings.Repeat("if(1)", 40) + ";",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<14 {
			return
		}
		err := Check(src)
		prg, perr := parser.ParseFile(nil, "", src, 0)
		if perr != nil {
			return
		}
		d := treeDepth(reflect.ValueOf(prg))
		if err == nil && d > treeLevelsPerCount*MaxDepth {
			t.Fatalf("Check allows a tree %d deep", d)
		}
		if bound := d / treeLevelsPerCount; bound > 1 && scan(src, bound-1) < 0 {
			t.Fatalf("estimate below %d for a tree %d deep", bound, d)
		}
	})
}
