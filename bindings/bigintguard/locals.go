package bigintguard

import (
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// A shift's count is read without a function made where it is a Number,
// wherever that can be done: a closure made each time would double the time
// of code that rotates by a variable count.
//
//   - A name is read twice, typeof n === "number" ? n : guard(n). Reading a
//     name twice can be seen only where it is a property of an object, the
//     global object's or a with statement's, whose getter could give a
//     Number the first time and a BigInt the next: where the name is a
//     parameter or a variable of the function the shift is in, declared at
//     the function's top level, it is a binding of that function (or of a
//     block inside it), which no code runs to read.
//   - Another count in a function with a body goes through a variable the
//     rewrite declares in it, (t = count, typeof t === "number" ? t :
//     guard(t)): nothing runs between the assignment and the reads, so no
//     other code can change t in between, even one that names it.
//
// Shifts in a with statement's body, in parameters' initializers and
// outside any function's body keep the closure.

// temp is the variable a function's shifts convert their counts through.
const temp = "__wsjs$bigint"

// counts is what the analysis of a script found for shift counts.
type counts struct {
	local map[*ast.Identifier]bool               // names read as local bindings
	temp  map[ast.Expression]*ast.BlockStatement // counts read through the body's temp
}

// analyze finds the shift counts of prg that can be read without a closure.
func analyze(prg *ast.Program) counts {
	c := counts{local: map[*ast.Identifier]bool{}, temp: map[ast.Expression]*ast.BlockStatement{}}
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
		block, _ := body.(*ast.BlockStatement)
		count := func(r ast.Expression) {
			if id, ok := r.(*ast.Identifier); ok && names[id.Name] {
				c.local[id] = true
			} else if block != nil {
				c.temp[r] = block
			}
		}
		jsast.WalkNode(body, func(v reflect.Value) bool {
			switch v.Interface().(type) {
			case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.WithStatement:
				return false // another function's names, or a with's
			}
			if _, r, _, ok := shiftOf(v.Interface()); ok {
				count(r)
			}
			return true
		})
		return true
	})
	return c
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

// shiftOf returns the shift v is (x << r, x >> r, x <<= r, x >>= r), its
// count r and whether it shifts left; >>> throws for a BigInt.
func shiftOf(v any) (n ast.Node, r ast.Expression, left, ok bool) {
	var op token.Token
	switch x := v.(type) {
	case *ast.BinaryExpression:
		n, op, r = x, x.Operator, x.Right
	case *ast.AssignExpression:
		n, op, r = x, x.Operator, x.Right
	default:
		return nil, nil, false, false
	}
	return n, r, op == token.SHIFT_LEFT, op == token.SHIFT_LEFT || op == token.SHIFT_RIGHT
}
