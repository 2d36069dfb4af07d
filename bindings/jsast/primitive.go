package jsast

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// IsPrimitive reports whether evaluating e gives a primitive value whenever
// it gives one: a literal other than a regular expression, a template
// literal without a tag, a unary expression (++ and -- included), a binary
// expression other than &&, || and ??.
func IsPrimitive(e ast.Expression) bool {
	switch e := e.(type) {
	case *ast.NumberLiteral, *ast.StringLiteral, *ast.BooleanLiteral, *ast.NullLiteral,
		*ast.UnaryExpression:
		return true
	case *ast.TemplateLiteral:
		return e.Tag == nil
	case *ast.BinaryExpression:
		switch e.Operator {
		case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
			return false
		}
		return true
	}
	return false
}
