package jsast

import (
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

func TestInsertAfterDirectives(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`"use strict"; 'x'; f()`, "directive directive inserted expression"},
		{`f(); "not a directive"`, "inserted expression directive"},
		{``, "inserted"},
	} {
		prg, err := parser.ParseFile(nil, "", c.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		mark := &ast.EmptyStatement{}
		var kinds []string
		for _, s := range InsertAfterDirectives(prg.Body, []ast.Statement{mark}) {
			switch {
			case s == mark:
				kinds = append(kinds, "inserted")
			case IsDirective(s):
				kinds = append(kinds, "directive")
			default:
				kinds = append(kinds, "expression")
			}
		}
		if got := strings.Join(kinds, " "); got != c.want {
			t.Errorf("%q: %s, want %s", c.src, got, c.want)
		}
	}
}

func TestEditStatementLists(t *testing.T) {
	prg, err := parser.ParseFile(nil, "", `a(); { b() } function f() { c() } switch (x) { case 1: d() } class C { static { e() } }`, 0)
	if err != nil {
		t.Fatal(err)
	}
	lists := 0
	EditStatementLists(prg, func(list []ast.Statement) []ast.Statement {
		lists++
		return list
	})
	// The program, the block, f's body, the case clause and the static block.
	if lists != 5 {
		t.Errorf("edited %d lists, want 5", lists)
	}
}
