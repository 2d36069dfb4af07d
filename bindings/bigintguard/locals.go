package bigintguard

import (
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// A shift's count that is a name is read twice, then, `typeof n ===
// "number" ? n : guard(n)`, which makes no function where the count is a
// Number: a closure made each time would double the time of code that
// rotates by a variable count. Reading a name twice can be seen only where
// it is a property of an object, the global object's or a with statement's,
// whose getter could return a Number the first time and a BigInt the next:
// where the name is a parameter or a variable of the function the shift is
// in, declared at the function's top level, it is a binding of that
// function (or of a block inside it), which no code runs to read.

// localCounts returns the names that are shift counts read as local
// bindings.
func localCounts(prg *ast.Program) map[*ast.Identifier]bool {
	local := map[*ast.Identifier]bool{}
	jsast.WalkNode(prg, func(v reflect.Value) bool {
		var params *ast.ParameterList
		var decls []*ast.VariableDeclaration
		var body any
		switch f := v.Interface().(type) {
		case *ast.FunctionLiteral:
			params, decls, body = f.ParameterList, f.DeclarationList, f.Body
		case *ast.ArrowFunctionLiteral:
			params, decls, body = f.ParameterList, f.DeclarationList, f.Body
		default:
			return true
		}
		names := declared(params, decls, body)
		if len(names) == 0 {
			return true
		}
		count := func(r ast.Expression) {
			if id, ok := r.(*ast.Identifier); ok && names[id.Name] {
				local[id] = true
			}
		}
		jsast.WalkNode(body, func(v reflect.Value) bool {
			switch n := v.Interface().(type) {
			case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.WithStatement:
				return false // another function's names, or a with's
			case *ast.BinaryExpression:
				if isShift(n.Operator) {
					count(n.Right)
				}
			case *ast.AssignExpression:
				if isShift(n.Operator) {
					count(n.Right)
				}
			}
			return true
		})
		return true
	})
	return local
}

// declared returns the names a function declares at its top level: its
// parameters, its vars and the lexical declarations of its body's
// statements.
func declared(params *ast.ParameterList, decls []*ast.VariableDeclaration, body any) map[unistring.String]bool {
	names := map[unistring.String]bool{}
	add := func(bs []*ast.Binding) {
		for _, b := range bs {
			if id, ok := b.Target.(*ast.Identifier); ok {
				names[id.Name] = true
			}
		}
	}
	if params != nil {
		add(params.List)
	}
	for _, d := range decls {
		add(d.List)
	}
	if b, ok := body.(*ast.BlockStatement); ok {
		for _, s := range b.List {
			if d, ok := s.(*ast.LexicalDeclaration); ok {
				add(d.List)
			}
		}
	}
	return names
}

func isShift(op token.Token) bool { return op == token.SHIFT_LEFT || op == token.SHIFT_RIGHT }
