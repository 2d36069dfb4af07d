package blockfunc

import (
	"strconv"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"
)

// A var declaration in a catch block may have the name of the catch
// parameter, when that is an identifier: the var binding is the
// function's (or the script's), and the initializer assigns the parameter,
// the nearer binding of the name
// (https://tc39.es/ecma262/#sec-variablestatements-in-catch-blocks). goja's
// compiler takes such a declaration for a redeclaration and rejects the
// script. The declaration's name stays in the declarations of its var scope,
// which goja hoists as they are; in the statements, the declaration of the
// parameter's name becomes an assignment:
//
//   - var p = x, q = y becomes { let %catchN = (p = x); var q = y; }, a block
//     whose completion is as empty as the declaration's;
//   - for (var p = x, q = y; ...) becomes for (p = x, q = y; ...), when each
//     name is an identifier;
//   - for (var p in o) becomes for (p in o).
//
// A name bound by a pattern keeps goja's error, as do declarations in eval
// code.

// A catchClause is a catch clause whose parameter is an identifier.
type catchClause struct {
	param unistring.String
	body  *ast.BlockStatement
}

// catchVars rewrites the declarations of the parameter of each clause.
func (r *treeRewrite) catchVars(clauses []catchClause) {
	for _, c := range clauses {
		w := catchWalk{r: r, param: c.param}
		w.statement(c.body)
	}
}

// catchWalk walks the statements of one catch block, not those of the
// functions in it.
type catchWalk struct {
	r     *treeRewrite
	param unistring.String
}

func (w *catchWalk) statements(list []ast.Statement) {
	for i := range list {
		w.slot(&list[i])
	}
}

// slot walks the statement at s, which it may replace.
func (w *catchWalk) slot(s *ast.Statement) {
	if v, ok := (*s).(*ast.VariableStatement); ok {
		if b := w.varStatement(v); b != nil {
			*s = b
		}
		return
	}
	w.statement(*s)
}

func (w *catchWalk) statement(s ast.Statement) {
	switch s := s.(type) {
	case *ast.BlockStatement:
		w.statements(s.List)
	case *ast.IfStatement:
		w.slot(&s.Consequent)
		if s.Alternate != nil {
			w.slot(&s.Alternate)
		}
	case *ast.SwitchStatement:
		for _, c := range s.Body {
			w.statements(c.Consequent)
		}
	case *ast.ForStatement:
		if d, ok := s.Initializer.(*ast.ForLoopInitializerVarDeclList); ok && w.declares(d.List) {
			if e, ok := w.assignments(d.List); !ok {
			} else if e == nil {
				s.Initializer = nil // for (var p; ...): the declaration of p is all
			} else {
				s.Initializer = &ast.ForLoopInitializerExpression{Expression: e}
			}
		}
		w.slot(&s.Body)
	case *ast.ForInStatement:
		if v, ok := s.Into.(*ast.ForIntoVar); ok && v.Binding.Initializer == nil && w.isParam(v.Binding.Target) {
			s.Into = &ast.ForIntoExpression{Expression: v.Binding.Target}
		}
		w.slot(&s.Body)
	case *ast.ForOfStatement:
		w.slot(&s.Body)
	case *ast.WhileStatement:
		w.slot(&s.Body)
	case *ast.DoWhileStatement:
		w.slot(&s.Body)
	case *ast.WithStatement:
		w.slot(&s.Body)
	case *ast.LabelledStatement:
		w.slot(&s.Statement)
	case *ast.TryStatement:
		w.statement(s.Body)
		if s.Catch != nil {
			w.statement(s.Catch.Body)
		}
		if s.Finally != nil {
			w.statement(s.Finally)
		}
	}
}

func (w *catchWalk) isParam(t ast.Expression) bool {
	id, ok := t.(*ast.Identifier)
	return ok && id.Name == w.param
}

func (w *catchWalk) declares(list []*ast.Binding) bool {
	for _, b := range list {
		if w.isParam(b.Target) {
			return true
		}
	}
	return false
}

// varStatement returns the block that takes the place of v if v declares
// the parameter's name, or nil.
func (w *catchWalk) varStatement(v *ast.VariableStatement) ast.Statement {
	if !w.declares(v.List) {
		return nil
	}
	b := &ast.BlockStatement{LeftBrace: v.Var, RightBrace: v.Idx1() - 1}
	for _, d := range v.List {
		switch {
		case !w.isParam(d.Target):
			b.List = append(b.List, &ast.VariableStatement{Var: v.Var, List: []*ast.Binding{d}})
		case d.Initializer != nil:
			name := unistring.NewFromString("%catch" + strconv.Itoa(w.r.n))
			w.r.n++
			b.List = append(b.List, declare(token.LET, name, assign(d), d.Target.Idx0()))
		}
	}
	return b
}

// assignments returns the assignments a for statement's var declarations
// make, nil if none has an initializer, and false if one of them is a
// pattern.
func (w *catchWalk) assignments(list []*ast.Binding) (ast.Expression, bool) {
	seq := &ast.SequenceExpression{}
	for _, d := range list {
		if _, ok := d.Target.(*ast.Identifier); !ok {
			return nil, false
		}
		if d.Initializer != nil {
			seq.Sequence = append(seq.Sequence, assign(d))
		}
	}
	if len(seq.Sequence) == 0 {
		return nil, true
	}
	return seq, true
}

// assign is the assignment of d's initializer to its identifier.
func assign(d *ast.Binding) ast.Expression {
	return &ast.AssignExpression{Operator: token.ASSIGN, Left: d.Target, Right: d.Initializer}
}
