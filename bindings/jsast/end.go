package jsast

import (
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/wsjs/wsjs/bindings/jsnest"
)

// goja's parser gives some nodes an Idx1 that is not where their text ends,
// and every node ending with one inherits it (Idx1 follows the last child):
//   - an identifier whose name is not ASCII: goja adds the length of the
//     name as it stores it, two bytes per UTF-16 unit and two more, not its
//     length in the source ("진" ends a byte late, "진진진" a byte early);
//     nor does it count the escapes of one written with them;
//   - a private name (#x, this.#x): the # is not counted;
//   - a regular expression literal with flags (see MendRegExpLiteral).
// Code that writes text at the end of a node asks End, which follows the
// same last children and measures the last token in the source.

// End returns the byte offset in src, the source n was parsed from with
// base 1, where the text of the expression n ends.
func End(src string, n ast.Node) int {
	for {
		switch x := n.(type) {
		case *ast.AssignExpression:
			n = x.Right
		case *ast.AwaitExpression:
			n = x.Argument
		case *ast.BinaryExpression:
			n = x.Right
		case *ast.ConditionalExpression:
			n = x.Alternate
		case *ast.SequenceExpression:
			n = x.Sequence[len(x.Sequence)-1]
		case *ast.ArrowFunctionLiteral:
			n = x.Body
		case *ast.ExpressionBody:
			n = x.Expression
		case *ast.OptionalChain:
			n = x.Expression
		case *ast.Optional:
			n = x.Expression
		case *ast.SpreadElement:
			n = x.Expression
		case *ast.NewExpression:
			if x.ArgumentList != nil {
				return int(x.RightParenthesis)
			}
			n = x.Callee
		case *ast.UnaryExpression:
			if x.Postfix {
				return int(x.Idx1()) - 1 // "++" right after the operand, as goja has it
			}
			n = x.Operand
		case *ast.YieldExpression:
			if x.Argument == nil {
				return int(x.Idx1()) - 1
			}
			n = x.Argument
		case *ast.Identifier:
			return nameEnd(src, x, 0)
		case *ast.PrivateIdentifier:
			return nameEnd(src, &x.Identifier, 1)
		case *ast.DotExpression:
			return nameEnd(src, &x.Identifier, 0)
		case *ast.PrivateDotExpression:
			return nameEnd(src, &x.Identifier.Identifier, 1)
		case *ast.MetaProperty:
			return nameEnd(src, x.Property, 0)
		case *ast.RegExpLiteral:
			return regExpEnd(x)
		default:
			return int(n.Idx1()) - 1
		}
	}
}

// nameEnd returns where the name id ends in src, after a prefix of skip
// bytes (the # of a private name): its text is the name, or holds escapes.
func nameEnd(src string, id *ast.Identifier, skip int) int {
	from := int(id.Idx) - 1 + skip
	if from < 0 || from > len(src) {
		return int(id.Idx1()) - 1
	}
	if name := id.Name.String(); strings.HasPrefix(src[from:], name) {
		return from + len(name)
	}
	return jsnest.NameEnd(src, from)
}

// regExpEnd returns where the literal l ends: after the pattern between
// slashes and the flags, which goja keeps as written.
func regExpEnd(l *ast.RegExpLiteral) int {
	return int(l.Idx) - 1 + len(l.Pattern) + 2 + len(l.Flags)
}
