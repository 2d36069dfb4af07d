package jsast

import (
	"reflect"

	"github.com/dop251/goja/ast"
)

// EditStatementLists puts edit(list) in place of each statement list of prg:
// its body, every block (function bodies and static blocks included) and
// every case clause's statements.
func EditStatementLists(prg *ast.Program, edit func([]ast.Statement) []ast.Statement) {
	prg.Body = edit(prg.Body)
	Walk(prg, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.BlockStatement:
			n.List = edit(n.List)
		case *ast.CaseStatement:
			n.Consequent = edit(n.Consequent)
		}
		return true
	})
}

// InsertAfterDirectives returns list with stmts inserted after its
// directive prologue, where they run first without ending the prologue.
func InsertAfterDirectives(list, stmts []ast.Statement) []ast.Statement {
	if len(stmts) == 0 {
		return list
	}
	i := 0
	for i < len(list) && IsDirective(list[i]) {
		i++
	}
	out := make([]ast.Statement, 0, len(list)+len(stmts))
	out = append(out, list[:i]...)
	out = append(out, stmts...)
	return append(out, list[i:]...)
}
