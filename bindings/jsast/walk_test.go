package jsast

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// refWalk is the walk by its definition, with nothing worked out in
// advance: every pointer under v, fields and elements in order, an
// interface followed to what it holds.
func refWalk(v reflect.Value, visit func(reflect.Value) bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer && !visit(v) {
			return
		}
		refWalk(v.Elem(), visit)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && mayHoldTree(f.Type) {
				refWalk(v.Field(i), visit)
			}
		}
	case reflect.Slice:
		if mayHoldTree(v.Type().Elem()) {
			for i := range v.Len() {
				refWalk(v.Index(i), visit)
			}
		}
	}
}

// sources are the scripts the tests walk: a few of every kind of node, and
// the built-ins written in JavaScript.
func sources(t testing.TB) map[string]string {
	srcs := map[string]string{
		"functions.js": `function f(a, b = 1, ...c) { return a + b } const g = async (x) => await x;
			class C extends Object { #p = 1; static s = 2; m() { return this.#p } get x() { return 1 } static { f() } }
			label: for (let i = 0; i < 3; i++) { if (i) continue label; else break }
			for (const k in {a: 1}) {} for (const v of [1, 2]) {} while (false) {} do {} while (false)
			try { throw new Error("e") } catch ({message}) {} finally {}
			switch (1) { case 1: default: }
			const {a, b: [c, ...d] = []} = {}; let re = /a+/g; var t = tag` + "`x${1}y`" + `;
			(function* gen() { yield* [1] })(); new.target; x?.y?.[z]?.(w); a ??= b || c && !d;`,
		"empty.js": ``,
	}
	files, err := filepath.Glob("../builtins/js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[filepath.Base(f)] = string(b)
	}
	return srcs
}

func TestWalkVisitsAsDefined(t *testing.T) {
	for name, src := range sources(t) {
		prg, err := parser.ParseFile(nil, name, src, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var want, got []reflect.Value
		refWalk(reflect.ValueOf(prg), func(v reflect.Value) bool { want = append(want, v); return true })
		Walk(prg, func(v reflect.Value) bool { got = append(got, v); return true })
		if len(got) != len(want) {
			t.Fatalf("%s: %d pointers visited, want %d", name, len(got), len(want))
		}
		for i := range want {
			if got[i].Type() != want[i].Type() || got[i].Pointer() != want[i].Pointer() {
				t.Fatalf("%s: visit %d is %v, want %v", name, i, got[i].Type(), want[i].Type())
			}
		}
	}
}

func TestWalkSkipsWhatVisitDeclines(t *testing.T) {
	prg, err := parser.ParseFile(nil, "", "function f() { g(); } h();", 0)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	Walk(prg, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.FunctionLiteral:
			return false
		case *ast.Identifier:
			calls = append(calls, string(n.Name))
		}
		return true
	})
	if got := strings.Join(calls, " "); got != "h" {
		t.Errorf("identifiers visited: %q, want %q", got, "h")
	}
}

func TestReplaceExpressions(t *testing.T) {
	prg, err := parser.ParseFile(nil, "", "a + f(b, c);", 0)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	ReplaceExpressions(prg, func(e ast.Expression) ast.Expression {
		if id, ok := e.(*ast.Identifier); ok {
			asked = append(asked, string(id.Name))
			if id.Name == "b" {
				return &ast.NullLiteral{Idx: id.Idx}
			}
		}
		return nil
	})
	if got := strings.Join(asked, " "); got != "a f b c" {
		t.Errorf("asked for %q, want %q", got, "a f b c")
	}
	args := prg.Body[0].(*ast.ExpressionStatement).Expression.(*ast.BinaryExpression).Right.(*ast.CallExpression).ArgumentList
	if _, ok := args[0].(*ast.NullLiteral); !ok {
		t.Errorf("first argument is %T, want *ast.NullLiteral", args[0])
	}
}

func BenchmarkWalk(b *testing.B) {
	var prgs []*ast.Program
	for name, src := range sources(b) {
		prg, err := parser.ParseFile(nil, name, src, 0)
		if err != nil {
			b.Fatal(err)
		}
		prgs = append(prgs, prg)
	}
	b.ResetTimer()
	for range b.N {
		for _, prg := range prgs {
			Walk(prg, func(reflect.Value) bool { return true })
		}
	}
}

func TestWalkConcurrently(t *testing.T) {
	srcs := sources(t)
	var prgs []*ast.Program
	for name, src := range srcs {
		prg, err := parser.ParseFile(nil, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		prgs = append(prgs, prg)
	}
	counts := make(chan int)
	for range 4 {
		go func() {
			n := 0
			for _, prg := range prgs {
				Walk(prg, func(reflect.Value) bool { n++; return true })
			}
			counts <- n
		}()
	}
	first := <-counts
	for range 3 {
		if n := <-counts; n != first {
			t.Errorf("walks visited %d and %d pointers", first, n)
		}
	}
}
