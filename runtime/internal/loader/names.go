package loader

import (
	"bytes"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// Where esbuild lowers something that declares names of its own at the top
// of its output (async generators, for await, using declarations), it
// renames every binding of the file that has the name of a top-level one in
// an inner scope: the gen of function f() { function gen() {} } becomes
// gen2 when a top-level gen exists. The code behaves the same, but the
// name a function or class takes from its binding
// (https://tc39.es/ecma262/#sec-setfunctionname) would be gen2.
//
// esbuild's source map names the original of each identifier it renamed,
// at the identifier. restoreNames gives the functions and classes named by
// such an identifier the original name back, through the realm's name hook
// (js/asyncgenerator.js), which redefines "name" only if it still holds what
// the printed code gave it (a class's static name member keeps its own):
//
//   - a function or class expression whose name was renamed, and an
//     anonymous one a renamed binding names (const gen2 = () => {},
//     gen2 = function () {}, a default in a pattern): a call around it;
//   - a function declaration: a call at the start of its statement list,
//     after the directives, as the declaration is instantiated there; a
//     class declaration: a call after it.
//
// esbuild's lowering of a using declaration (using x = function () {})
// passes the value through its helper (const x = __using(stack, function
// () {})), where the function takes no name: the function there is given
// the binding's name the same way.
//
// In a realm without the hooks the calls give back what they are given.

// restoreNames gives the functions and classes of prg named by renamed
// identifiers their original names; m maps prg's code to its sources.
func restoreNames(prg *ast.Program, m *codeMap) {
	if m == nil || !m.names && !strings.Contains(m.code, "__using") {
		return
	}
	r := &renames{m: m, fixes: map[ast.Expression]nameFix{}}
	jsast.Walk(prg, r.find)
	if len(r.fixes) > 0 {
		jsast.ReplaceExpressions(prg, r.replace)
	}
	// What the replacement did not reach are the literals of declarations.
	if len(r.fixes) > 0 {
		r.declare(prg)
	}
}

// nameFix is the name a function or class had in its source, and the one
// the printed code gives it.
type nameFix struct{ original, printed string }

type renames struct {
	m *codeMap
	// using is the name of esbuild's helper of using declarations, once
	// the walk has met its definition (first in the code), or "".
	using unistring.String
	// fixes are the function and class literals to rename.
	fixes map[ast.Expression]nameFix
}

// find notes what needs its name restored.
func (r *renames) find(v reflect.Value) bool {
	switch n := v.Interface().(type) {
	case *ast.FunctionLiteral:
		r.named(n, n.Name)
	case *ast.ClassLiteral:
		r.named(n, n.Name)
	case *ast.Binding:
		if !r.usingHelper(n) {
			r.naming(n.Target, n.Initializer)
			r.usingNaming(n.Target, n.Initializer)
		}
	case *ast.AssignExpression:
		switch n.Operator {
		case token.ASSIGN, token.LOGICAL_AND_ASSIGN, token.LOGICAL_OR_ASSIGN, token.COALESCE_ASSIGN:
			r.naming(n.Left, n.Right)
		}
	}
	return true
}

// named notes a function or class whose own name was renamed.
func (r *renames) named(e ast.Expression, name *ast.Identifier) {
	if fix, ok := r.renamed(name); ok {
		r.fixes[e] = fix
	}
}

// naming notes an anonymous function or class that a renamed binding names
// (https://tc39.es/ecma262/#sec-isanonymousfunctiondefinition).
func (r *renames) naming(target ast.Node, value ast.Expression) {
	id, ok := target.(*ast.Identifier)
	if !ok || !anonymousFunction(value) {
		return
	}
	if fix, ok := r.renamed(id); ok {
		fix.printed = ""
		r.fixes[value] = fix
	}
}

// usingHelper notes b if it defines esbuild's helper of using declarations:
// a variable named __using (with a number if esbuild renamed it) whose
// initializer is an arrow function of three parameters.
func (r *renames) usingHelper(b *ast.Binding) bool {
	id, ok := b.Target.(*ast.Identifier)
	f, isArrow := b.Initializer.(*ast.ArrowFunctionLiteral)
	if !ok || !isArrow || len(f.ParameterList.List) != 3 || !usingHelperName.MatchString(id.Name.String()) {
		return false
	}
	r.using = id.Name
	return true
}

// usingHelperName matches the names esbuild gives its helper of using
// declarations.
var usingHelperName = regexp.MustCompile(`^__using[0-9]*$`)

// usingNaming notes an anonymous function or class that esbuild's lowering
// of a using declaration passes to its helper.
func (r *renames) usingNaming(target ast.Node, value ast.Expression) {
	id, ok := target.(*ast.Identifier)
	call, isCall := value.(*ast.CallExpression)
	if !ok || !isCall || r.using == "" || len(call.ArgumentList) < 2 || !anonymousFunction(call.ArgumentList[1]) {
		return
	}
	if callee, ok := call.Callee.(*ast.Identifier); !ok || callee.Name != r.using {
		return
	}
	fix, renamed := r.renamed(id)
	if !renamed {
		fix.original = id.Name.String()
	}
	fix.printed = ""
	r.fixes[call.ArgumentList[1]] = fix
}

// renamed reports the original name of the identifier id, where esbuild
// renamed it: the map names it at id, and the printed name is that name
// with a number appended, as esbuild renames.
func (r *renames) renamed(id *ast.Identifier) (nameFix, bool) {
	if id == nil {
		return nameFix{}, false
	}
	printed := id.Name.String()
	original, ok := r.m.originalName(int(id.Idx) - 1)
	if !ok || len(printed) <= len(original) || !strings.HasPrefix(printed, original) {
		return nameFix{}, false
	}
	for _, c := range printed[len(original):] {
		if c < '0' || c > '9' {
			return nameFix{}, false
		}
	}
	return nameFix{original, printed}, true
}

// replace puts the name hook's call around an expression to rename, after
// doing so in what it holds.
func (r *renames) replace(e ast.Expression) ast.Expression {
	fix, ok := r.fixes[e]
	if !ok {
		return e
	}
	delete(r.fixes, e)
	jsast.ReplaceExpressions(&ast.Program{Body: []ast.Statement{&ast.ExpressionStatement{Expression: e}}}, r.replace)
	return nameCall(e, fix, e.Idx0())
}

// nameCall is the name hook's call on e.
func nameCall(e ast.Expression, fix nameFix, at file.Idx) ast.Expression {
	return hookCall("name", []ast.Expression{e, stringLiteral(fix.original, at), stringLiteral(fix.printed, at)}, at)
}

func stringLiteral(s string, at file.Idx) *ast.StringLiteral {
	return &ast.StringLiteral{Idx: at, Literal: strconv.Quote(s), Value: unistring.NewFromString(s)}
}

// declare adds the name hook's calls for the declarations to rename: those
// of functions first in their statement list, those of classes after them.
func (r *renames) declare(prg *ast.Program) {
	jsast.EditStatementLists(prg, func(list []ast.Statement) []ast.Statement {
		var first []ast.Statement
		out := make([]ast.Statement, 0, len(list))
		for _, s := range list {
			out = append(out, s)
			switch d := s.(type) {
			case *ast.FunctionDeclaration:
				if f, ok := r.fixes[d.Function]; ok {
					at := d.Function.Function
					first = append(first, &ast.ExpressionStatement{Expression: nameCall(&ast.Identifier{Name: d.Function.Name.Name, Idx: at}, f, at)})
				}
			case *ast.ClassDeclaration:
				if f, ok := r.fixes[d.Class]; ok {
					at := d.Class.Class
					out = append(out, &ast.ExpressionStatement{Expression: nameCall(&ast.Identifier{Name: d.Class.Name.Name, Idx: at}, f, at)})
				}
			}
		}
		return jsast.InsertAfterDirectives(out, first)
	})
}

// sourceMapNames reports whether the source map smap names any identifier.
// esbuild writes the names last, after the sources' text.
func sourceMapNames(smap []byte) bool {
	i := bytes.LastIndex(smap, []byte(`"names"`))
	if i < 0 {
		return false
	}
	rest := bytes.TrimLeft(smap[i+len(`"names"`):], " \t\r\n:")
	rest = bytes.TrimLeft(bytes.TrimPrefix(rest, []byte("[")), " \t\r\n")
	return len(rest) > 0 && rest[0] != ']'
}
