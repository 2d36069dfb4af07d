package blockfunc

import (
	"strconv"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// Rewrite gives the non-strict code of prg, a script goja parsed and is to
// compile (in strict mode if strict says so), the annex's semantics for
// function declarations in blocks. The names it adds are not identifiers, so
// no script can name them:
//
//   - In function code, the body gets a var declaration of each hoisted name
//     and a constant "%set F", a function that assigns its argument to that
//     var binding; after each hoisted declaration comes a lexical
//     declaration "%copyN" initialized by calling "%set F" with the block's
//     binding: the evaluation the annex gives the declaration
//     (https://tc39.es/ecma262/#sec-web-compat-functiondeclarationinstantiation).
//   - In global code, whose global bindings are known only when the script
//     runs, the script first asks the realm's hooks (Install) to declare each
//     name as a global var where the annex would, and each "%copyN" asks them
//     to set the global binding where it was declared
//     (https://tc39.es/ecma262/#sec-web-compat-globaldeclarationinstantiation).
//   - A call of eval passes its first argument through the hooks, which
//     rewrite the code a direct eval of non-strict code runs (RewriteEval).
//   - A function declaration that is a clause of an if statement becomes
//     the only statement of a block, as the annex treats it.
//   - A var declaration of a catch parameter's name in its block assigns
//     the parameter, in strict code too (catchvars.go).
//
// A realm without the hooks runs the script as goja would have, without
// the annex's semantics in global and eval code.
func Rewrite(prg *ast.Program, strict bool) {
	a := analyze(prg, globalCode, strict)
	r := &treeRewrite{copies: map[*[]ast.Statement][]copyAfter{}}
	for _, f := range a.ifFuncs {
		b := &ast.BlockStatement{LeftBrace: f.decl.Idx0(), List: []ast.Statement{f.decl}, RightBrace: f.decl.Idx1() - 1}
		*f.slot = b
		f.list, f.slot = &b.List, nil
	}
	for _, s := range a.scopes {
		r.scope(s)
	}
	for list, copies := range r.copies {
		out := make([]ast.Statement, 0, len(*list)+len(copies))
		for _, st := range *list {
			out = append(out, st)
			for _, c := range copies {
				if c.after == st {
					out = append(out, c.copy)
				}
			}
		}
		*list = out
	}
	for _, c := range a.evalCalls {
		r.evalCall(c)
	}
	r.catchVars(a.catches)
}

// treeRewrite is one rewrite of a tree.
type treeRewrite struct {
	copies map[*[]ast.Statement][]copyAfter // by the list they go in
	n      int                              // copies made so far
}

// A copyAfter is the statement that follows a hoisted declaration.
type copyAfter struct {
	after ast.Statement
	copy  ast.Statement
}

// scope adds what the code of s needs: in function code, the var bindings
// and their setters; in global code, the call of the hooks that declares the
// global vars.
func (r *treeRewrite) scope(s *varScope) {
	var names []unistring.String
	seen := map[unistring.String]bool{}
	for _, f := range s.hoisted {
		if !seen[f.name] {
			seen[f.name] = true
			names = append(names, f.name)
		}
	}
	at := s.hoisted[0].decl.Idx0()
	var prologue []ast.Statement
	switch s.kind {
	case functionCode:
		for _, name := range names {
			d := &ast.VariableDeclaration{Var: at, List: []*ast.Binding{{Target: ident(name, at)}}}
			switch fn := s.fn.(type) {
			case *ast.FunctionLiteral:
				fn.DeclarationList = append(fn.DeclarationList, d)
			case *ast.ArrowFunctionLiteral:
				fn.DeclarationList = append(fn.DeclarationList, d)
			}
			prologue = append(prologue, declare(token.CONST, setterName(name), setter(name, at), at))
		}
	case globalCode:
		args := make([]ast.Expression, len(names))
		for i, name := range names {
			args[i] = str(name, at)
		}
		prologue = append(prologue, &ast.ExpressionStatement{Expression: hookCall("declare", args, at)})
	}
	body := *s.body
	i := 0
	for i < len(body) && jsast.IsDirective(body[i]) {
		i++
	}
	*s.body = append(append(append([]ast.Statement(nil), body[:i]...), prologue...), body[i:]...)
	for _, f := range s.hoisted {
		r.copies[f.list] = append(r.copies[f.list], copyAfter{after: f.decl, copy: r.copyOf(s, f)})
	}
}

// copyOf is the statement that takes the place of f's evaluation: a lexical
// declaration, whose completion is empty as a function declaration's is,
// initialized by the copy of the block's binding to the var binding.
func (r *treeRewrite) copyOf(s *varScope, f *blockFunc) ast.Statement {
	at := f.decl.Idx0()
	var init ast.Expression
	if s.kind == functionCode {
		init = &ast.CallExpression{Callee: ident(setterName(f.name), at), LeftParenthesis: at, ArgumentList: []ast.Expression{ident(f.name, at)}, RightParenthesis: at}
	} else {
		init = hookCall("set", []ast.Expression{str(f.name, at), ident(f.name, at)}, at)
	}
	name := unistring.NewFromString("%copy" + strconv.Itoa(r.n))
	r.n++
	return declare(token.LET, name, init, at)
}

// evalCall passes the first argument of c through the hook that rewrites
// eval code: (typeof H === "undefined" ? (%e, %x) => %x : H.eval)(eval, x).
func (r *treeRewrite) evalCall(c *ast.CallExpression) {
	if len(c.ArgumentList) == 0 {
		return
	}
	if _, ok := c.ArgumentList[0].(*ast.SpreadElement); ok {
		return
	}
	at := c.Idx0()
	x := unistring.String("%x")
	identity := &ast.ArrowFunctionLiteral{
		Start:         at,
		ParameterList: &ast.ParameterList{Opening: at, List: []*ast.Binding{{Target: ident("%e", at)}, {Target: ident(x, at)}}, Closing: at},
		Body:          &ast.ExpressionBody{Expression: ident(x, at)},
	}
	hook := &ast.ConditionalExpression{
		Test:       hookMissing(at),
		Consequent: identity,
		Alternate:  &ast.DotExpression{Left: ident(hookName, at), Identifier: *ident("eval", at)},
	}
	c.ArgumentList[0] = &ast.CallExpression{
		Callee:           hook,
		LeftParenthesis:  at,
		ArgumentList:     []ast.Expression{ident("eval", at), c.ArgumentList[0]},
		RightParenthesis: at,
	}
}

// setterName names the constant holding the setter of the var binding name.
func setterName(name unistring.String) unistring.String {
	return "%set " + name
}

// setter is (%v) => name = %v.
func setter(name unistring.String, at file.Idx) ast.Expression {
	v := unistring.String("%v")
	return &ast.ArrowFunctionLiteral{
		Start:         at,
		ParameterList: &ast.ParameterList{Opening: at, List: []*ast.Binding{{Target: ident(v, at)}}, Closing: at},
		Body:          &ast.ExpressionBody{Expression: &ast.AssignExpression{Operator: token.ASSIGN, Left: ident(name, at), Right: ident(v, at)}},
	}
}

// hookCall is typeof H !== "undefined" && H.method(args...).
func hookCall(method string, args []ast.Expression, at file.Idx) ast.Expression {
	call := &ast.CallExpression{
		Callee:           &ast.DotExpression{Left: ident(hookName, at), Identifier: *ident(unistring.NewFromString(method), at)},
		LeftParenthesis:  at,
		ArgumentList:     args,
		RightParenthesis: at,
	}
	present := &ast.UnaryExpression{Operator: token.NOT, Idx: at, Operand: hookMissing(at)}
	return &ast.BinaryExpression{Operator: token.LOGICAL_AND, Left: present, Right: call}
}

// hookMissing is typeof H === "undefined".
func hookMissing(at file.Idx) ast.Expression {
	return &ast.BinaryExpression{
		Operator:   token.STRICT_EQUAL,
		Left:       &ast.UnaryExpression{Operator: token.TYPEOF, Idx: at, Operand: ident(hookName, at)},
		Right:      str("undefined", at),
		Comparison: true,
	}
}

func declare(kind token.Token, name unistring.String, init ast.Expression, at file.Idx) ast.Statement {
	return &ast.LexicalDeclaration{Idx: at, Token: kind, List: []*ast.Binding{{Target: ident(name, at), Initializer: init}}}
}

func ident(name unistring.String, at file.Idx) *ast.Identifier {
	return &ast.Identifier{Name: name, Idx: at}
}

func str(s unistring.String, at file.Idx) *ast.StringLiteral {
	return &ast.StringLiteral{Idx: at, Literal: strconv.Quote(s.String()), Value: s}
}
