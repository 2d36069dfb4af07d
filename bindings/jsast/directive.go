package jsast

import "github.com/dop251/goja/ast"

// IsDirective reports whether s may be a statement of a directive prologue
// (https://tc39.es/ecma262/#directive-prologue): an expression statement
// that is a string literal alone.
func IsDirective(s ast.Statement) bool {
	e, ok := s.(*ast.ExpressionStatement)
	if !ok {
		return false
	}
	_, ok = e.Expression.(*ast.StringLiteral)
	return ok
}
