package loader

import (
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// An import binding reads the exporting module's binding through a getter
// (see esm.go), which costs a call each time it is read. Most exported
// bindings never change once initialized: a function declaration, or a
// const, let, class or var that nothing assigns. The linker reads those
// once, when they are initialized, and makes the import a plain
// read-only property with their value. stableLocals finds them, by name:
// a binding is taken to change if an assignment anywhere in the module
// has a target of its name, or if the module calls eval directly.

// Stability says when an exported local binding stops changing.
type Stability uint8

const (
	// Mutable bindings may change at any time.
	Mutable Stability = iota
	// StableOnceEvaluated bindings keep the value they have once the
	// module has been evaluated.
	StableOnceEvaluated
	// StableOnceInstantiated bindings, function declarations, keep the
	// value they have once the module's environment is initialized.
	StableOnceInstantiated
)

// stableLocals returns the stability of each exported local of the
// module function fn.
func stableLocals(fn *ast.FunctionLiteral, locals []string) map[string]Stability {
	out := make(map[string]Stability, len(locals))
	assigned, eval := assignedNames(fn)
	if eval {
		return out
	}
	for _, l := range locals {
		if !assigned[l] {
			out[l] = StableOnceEvaluated
		}
	}
	for _, st := range fn.Body.List {
		if d, ok := st.(*ast.FunctionDeclaration); ok && d.Function.Name != nil {
			if n := string(d.Function.Name.Name); out[n] == StableOnceEvaluated {
				out[n] = StableOnceInstantiated
			}
		}
	}
	return out
}

// assignedNames returns the names assignments in fn have as targets, and
// whether fn calls eval directly.
func assignedNames(fn *ast.FunctionLiteral) (map[string]bool, bool) {
	names := map[string]bool{}
	eval := false
	targets := func(n ast.Node) {
		jsast.Walk(&ast.Program{Body: []ast.Statement{&ast.ExpressionStatement{Expression: asExpression(n)}}}, func(v reflect.Value) bool {
			switch n := v.Interface().(type) {
			case *ast.Identifier:
				names[string(n.Name)] = true
			case *ast.PropertyShort: // {a} binds a, whose Identifier is no pointer
				names[string(n.Name.Name)] = true
			case *ast.DotExpression, *ast.BracketExpression, *ast.PrivateDotExpression:
				return false // a property is assigned, not a binding
			}
			return true
		})
	}
	jsast.Walk(&ast.Program{Body: fn.Body.List}, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.AssignExpression:
			targets(n.Left)
		case *ast.UnaryExpression:
			if n.Operator == token.INCREMENT || n.Operator == token.DECREMENT {
				targets(n.Operand)
			}
		case *ast.ForIntoVar:
			targets(n.Binding.Target)
		case *ast.ForIntoExpression:
			targets(n.Expression)
		case *ast.CallExpression:
			if id, ok := n.Callee.(*ast.Identifier); ok && id.Name == "eval" {
				eval = true
			}
		}
		return true
	})
	return names, eval
}

// asExpression returns n, an expression or binding target, as an
// expression to walk.
func asExpression(n ast.Node) ast.Expression {
	if e, ok := n.(ast.Expression); ok {
		return e
	}
	return &ast.BadExpression{}
}
