package jsast

import (
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// goja's compiler folds a logical expression (&&, ||, ??) whose left
// operand is constant: it evaluates the operand while compiling. Where that
// operand is itself a constant logical expression, asking whether it is
// constant evaluates its own left operand, and compiling it evaluates that
// again, so each level doubles the work: `1 && 1 && ... && 1` with 25
// operands compiles in seconds, with 30 in minutes, out of reach of any
// deadline. FoldedLeaves finds the literals that make such operands
// constant, for the loader and the eval built-ins to wrap each in a comma
// expression, (0, literal), which goja does not fold: the operand is no
// longer constant, is compiled once, and still gives its value.

// FoldedLeaves returns the fields of the tree n that hold the first literal
// of the left operand of a logical expression, where that operand is a
// constant logical expression; each once.
func FoldedLeaves(n any) []*ast.Expression {
	var found []*ast.Expression
	seen := map[*ast.Expression]bool{}
	WalkNode(n, func(v reflect.Value) bool {
		b, ok := v.Interface().(*ast.BinaryExpression)
		if !ok || !isLogical(b) {
			return true
		}
		if l, ok := b.Left.(*ast.BinaryExpression); ok && isLogical(l) && isConstant(l) {
			if f := firstLeaf(&b.Left); !seen[f] {
				seen[f] = true
				found = append(found, f)
			}
		}
		return true
	})
	return found
}

// HideFromFolding returns (0, e), which evaluates to what e does, at e's
// position.
func HideFromFolding(e ast.Expression) ast.Expression {
	return &ast.SequenceExpression{Sequence: []ast.Expression{&ast.NumberLiteral{Idx: e.Idx0(), Literal: "0", Value: int64(0)}, e}}
}

// firstLeaf returns the field that holds the first operand of the
// expression in f, through unary and binary operators.
func firstLeaf(f *ast.Expression) *ast.Expression {
	for {
		switch x := (*f).(type) {
		case *ast.UnaryExpression:
			f = &x.Operand
		case *ast.BinaryExpression:
			f = &x.Left
		default:
			return f
		}
	}
}

func isLogical(b *ast.BinaryExpression) bool {
	switch b.Operator {
	case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
		return true
	}
	return false
}

// isConstant reports whether goja's compiler may take e for a constant: a
// literal other than a regular expression or a template, and operators
// applied to such; a logical expression is when its left operand is, as
// its right one may not be reached. It may say so of more than goja does.
func isConstant(e ast.Expression) bool {
	for {
		switch x := e.(type) {
		case *ast.NumberLiteral, *ast.StringLiteral, *ast.BooleanLiteral, *ast.NullLiteral:
			return true
		case *ast.UnaryExpression:
			e = x.Operand
		case *ast.BinaryExpression:
			if !isLogical(x) && !isConstant(x.Right) {
				return false
			}
			e = x.Left
		default:
			return false
		}
	}
}
