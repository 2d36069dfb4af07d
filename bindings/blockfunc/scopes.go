package blockfunc

import (
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// A varScope is the code of a script, of eval code or of a function, whose
// var declarations it holds, with the function declarations in its blocks
// that the annex's semantics apply to.
type varScope struct {
	kind scopeKind
	// body is the statement list the scope's code starts with.
	body *[]ast.Statement
	// fn is the function, for function code: *ast.FunctionLiteral or
	// *ast.ArrowFunctionLiteral.
	fn ast.Node
	// hoisted are the function declarations whose names a var binding of
	// the scope also gets.
	hoisted []*blockFunc
}

type scopeKind int

const (
	globalCode scopeKind = iota
	evalCode
	functionCode
)

// A blockFunc is a function declaration directly in a block's statement
// list, in a case clause's, or alone in a clause of an if statement
// (https://tc39.es/ecma262/#sec-functiondeclarations-in-ifstatement-statement-clauses).
type blockFunc struct {
	decl *ast.FunctionDeclaration
	name unistring.String
	// list holds decl; nil when decl is a clause of an if statement, which
	// slot points to.
	list *[]ast.Statement
	slot *ast.Statement
}

// analysis is what a walk of a tree finds: in its non-strict code, the
// scopes with hoisted functions, the if clauses and the calls of eval; in
// all its code, the catch clauses.
type analysis struct {
	scopes []*varScope
	// ifFuncs are the function declarations that are clauses of if
	// statements, each to be made the only statement of a block.
	ifFuncs []*blockFunc
	// evalCalls are the calls whose callee is the identifier eval: direct
	// evals when eval is %eval%.
	evalCalls []*ast.CallExpression
	// catches are the catch clauses whose parameter is an identifier
	// (catchvars.go).
	catches []catchClause
}

// analyze walks prg, whose code is of kind (global or eval code), and
// strict if strict says so or its directives do.
func analyze(prg *ast.Program, kind scopeKind, strict bool) *analysis {
	a := &analysis{}
	if strict || isStrict(prg.Body) {
		a.walkStrict(prg)
		return a
	}
	a.scope(&varScope{kind: kind, body: &prg.Body}, nil)
	a.walk(prg.Body)
	return a
}

// walk finds, under the nodes in n, the non-strict functions, whose code it
// takes as scopes, the calls of eval, and the catch clauses. Class code is
// strict.
func (a *analysis) walk(n any) {
	jsast.WalkNode(n, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.ClassLiteral:
			a.walkStrict(n)
			return false
		case *ast.FunctionLiteral:
			if isStrict(n.Body.List) {
				a.walkStrict(n)
				return false
			}
			a.scope(&varScope{kind: functionCode, body: &n.Body.List, fn: n}, n.ParameterList)
		case *ast.ArrowFunctionLiteral:
			if b, ok := n.Body.(*ast.BlockStatement); ok {
				if isStrict(b.List) {
					a.walkStrict(n)
					return false
				}
				a.scope(&varScope{kind: functionCode, body: &b.List, fn: n}, n.ParameterList)
			}
		case *ast.CallExpression:
			if id, ok := n.Callee.(*ast.Identifier); ok && id.Name == "eval" {
				a.evalCalls = append(a.evalCalls, n)
			}
		case *ast.TryStatement:
			a.catch(n)
		}
		return true
	})
}

// walkStrict finds the catch clauses under n, strict code.
func (a *analysis) walkStrict(n any) {
	jsast.WalkNode(n, func(v reflect.Value) bool {
		if t, ok := v.Interface().(*ast.TryStatement); ok {
			a.catch(t)
		}
		return true
	})
}

// catch adds the catch clause of t if its parameter is an identifier.
func (a *analysis) catch(t *ast.TryStatement) {
	if c := t.Catch; c != nil {
		if id, ok := c.Parameter.(*ast.Identifier); ok {
			a.catches = append(a.catches, catchClause{param: id.Name, body: c.Body})
		}
	}
}

// isStrict tells whether a directive prologue makes code strict.
func isStrict(list []ast.Statement) bool {
	for _, s := range list {
		e, ok := s.(*ast.ExpressionStatement)
		if !ok {
			return false
		}
		l, ok := e.Expression.(*ast.StringLiteral)
		if !ok {
			return false
		}
		if l.Literal == `"use strict"` || l.Literal == `'use strict'` {
			return true
		}
	}
	return false
}

// scope finds the function declarations of s's blocks that the annex's
// semantics apply to (https://tc39.es/ecma262/#sec-web-compat-functiondeclarationinstantiation
// and the two sections after it): those that a var declaration of the same
// name could replace without an early error, so no block around them but
// their own declares the name lexically, nor the code at its top level;
// nor, in function code, the parameters.
func (a *analysis) scope(s *varScope, params *ast.ParameterList) {
	top := names{}
	for _, st := range *s.body {
		top.addLexical(st, false)
	}
	if s.kind == functionCode {
		if params != nil {
			for _, p := range params.List {
				top.addBound(p.Target)
			}
			top.addBound(params.Rest)
		}
		// A function named arguments in a block does not replace the
		// arguments object, as test262 has it
		// (block-decl-func-skip-arguments.js), after an earlier edition.
		top["arguments"]++
	}
	w := scopeWalk{a: a, s: s, frames: []names{top}}
	w.statements(*s.body)
	if len(s.hoisted) > 0 {
		a.scopes = append(a.scopes, s)
	}
}

// names counts the declarations of each name in a scope.
type names map[unistring.String]int

// addLexical adds the names s declares lexically, as a statement of a block
// (inBlock), where function declarations are lexical, or at the top level
// of a script or function, where they are var declarations.
func (ns names) addLexical(s ast.Statement, inBlock bool) {
	switch s := s.(type) {
	case *ast.LexicalDeclaration:
		for _, b := range s.List {
			ns.addBound(b.Target)
		}
	case *ast.ClassDeclaration:
		if s.Class.Name != nil {
			ns[s.Class.Name.Name]++
		}
	case *ast.FunctionDeclaration:
		if inBlock {
			ns[s.Function.Name.Name]++
		}
	case *ast.LabelledStatement:
		ns.addLexical(s.Statement, inBlock)
	}
}

// addBound adds the BoundNames of a binding target
// (https://tc39.es/ecma262/#sec-static-semantics-boundnames).
func (ns names) addBound(t ast.Expression) {
	switch t := t.(type) {
	case *ast.Identifier:
		ns[t.Name]++
	case *ast.AssignExpression: // a target with a default value
		ns.addBound(t.Left)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			ns.addBound(e)
		}
		ns.addBound(t.Rest)
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				ns[p.Name.Name]++
			case *ast.PropertyKeyed:
				ns.addBound(p.Value)
			}
		}
		ns.addBound(t.Rest)
	case *ast.SpreadElement:
		ns.addBound(t.Expression)
	}
}

// scopeWalk walks the statements of one scope, with the names each
// enclosing block declares lexically.
type scopeWalk struct {
	a      *analysis
	s      *varScope
	frames []names // outermost first: the scope's top level and parameters
}

func (w *scopeWalk) statements(list []ast.Statement) {
	for _, s := range list {
		w.statement(s)
	}
}

// block walks a statement list that is a scope of its own, that of a block
// or of a switch statement's case clauses.
func (w *scopeWalk) block(lists ...*[]ast.Statement) {
	frame := names{}
	for _, l := range lists {
		for _, s := range *l {
			frame.addLexical(s, true)
		}
	}
	w.frames = append(w.frames, frame)
	for _, l := range lists {
		for _, s := range *l {
			if f, ok := s.(*ast.FunctionDeclaration); ok {
				w.blockFunc(&blockFunc{decl: f, name: f.Function.Name.Name, list: l})
			}
		}
		w.statements(*l)
	}
	w.frames = w.frames[:len(w.frames)-1]
}

// frame walks s inside a scope that declares ns lexically.
func (w *scopeWalk) frame(ns names, s ast.Statement) {
	w.frames = append(w.frames, ns)
	w.statement(s)
	w.frames = w.frames[:len(w.frames)-1]
}

func (w *scopeWalk) statement(s ast.Statement) {
	switch s := s.(type) {
	case *ast.BlockStatement:
		w.block(&s.List)
	case *ast.IfStatement:
		w.clause(&s.Consequent)
		if s.Alternate != nil {
			w.clause(&s.Alternate)
		}
	case *ast.SwitchStatement:
		lists := make([]*[]ast.Statement, len(s.Body))
		for i, c := range s.Body {
			lists[i] = &c.Consequent
		}
		w.block(lists...)
	case *ast.ForStatement:
		ns := names{}
		if d, ok := s.Initializer.(*ast.ForLoopInitializerLexicalDecl); ok {
			for _, b := range d.LexicalDeclaration.List {
				ns.addBound(b.Target)
			}
		}
		w.frame(ns, s.Body)
	case *ast.ForInStatement:
		w.frame(forNames(s.Into), s.Body)
	case *ast.ForOfStatement:
		w.frame(forNames(s.Into), s.Body)
	case *ast.WhileStatement:
		w.statement(s.Body)
	case *ast.DoWhileStatement:
		w.statement(s.Body)
	case *ast.WithStatement:
		w.statement(s.Body)
	case *ast.LabelledStatement:
		if _, ok := s.Statement.(*ast.FunctionDeclaration); !ok {
			w.statement(s.Statement)
		}
	case *ast.TryStatement:
		w.statement(s.Body)
		if c := s.Catch; c != nil {
			// A var declaration may have the name of a catch parameter
			// that is an identifier, but none of those of a pattern
			// (https://tc39.es/ecma262/#sec-variablestatements-in-catch-blocks).
			ns := names{}
			if _, ok := c.Parameter.(*ast.Identifier); !ok {
				ns.addBound(c.Parameter)
			}
			w.frame(ns, c.Body)
		}
		if s.Finally != nil {
			w.statement(s.Finally)
		}
	}
}

// forNames are the names a for-in or for-of statement's head declares
// lexically.
func forNames(into ast.ForInto) names {
	ns := names{}
	if d, ok := into.(*ast.ForDeclaration); ok {
		ns.addBound(d.Target)
	}
	return ns
}

// clause walks a clause of an if statement: a function declaration there is
// the only statement of a block of its own.
func (w *scopeWalk) clause(slot *ast.Statement) {
	f, ok := (*slot).(*ast.FunctionDeclaration)
	if !ok {
		w.statement(*slot)
		return
	}
	if f.Function.Async || f.Function.Generator {
		return // a syntax error goja's compiler reports
	}
	b := &blockFunc{decl: f, name: f.Function.Name.Name, slot: slot}
	w.a.ifFuncs = append(w.a.ifFuncs, b)
	w.frames = append(w.frames, names{b.name: 1})
	w.blockFunc(b)
	w.frames = w.frames[:len(w.frames)-1]
}

// blockFunc adds f to the scope's hoisted functions if replacing it by a var
// declaration would cause no early error: its block declares its name only
// once, by f, and no block around declares it lexically, nor the scope's top
// level.
func (w *scopeWalk) blockFunc(f *blockFunc) {
	fn := f.decl.Function
	if fn.Async || fn.Generator {
		return
	}
	last := len(w.frames) - 1
	if w.frames[last][f.name] != 1 {
		return
	}
	for _, ns := range w.frames[:last] {
		if ns[f.name] > 0 {
			return
		}
	}
	w.s.hoisted = append(w.s.hoisted, f)
}
