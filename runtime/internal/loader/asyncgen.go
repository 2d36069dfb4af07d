package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/bindings/jsast"
)

// goja has no async generators: esbuild lowers an async generator function
// to an ordinary function whose body is
//
//	return __asyncGenerator(this, arguments or null, function* () { ... })
//
// the awaits of the generator's body to yield new __await(v), its yield* to
// yield* __yieldStar(v), and a for await loop to one over __forAwait(v), with
// the helpers defined at the top of its output. lowerAsyncGenerators puts the
// realm's operations (bindings/builtins, js/asyncgenerator.js) in place of
// those helpers, so that async generators have the spec's objects and
// prototypes:
//
//   - each helper's initializer becomes the realm's operation, where the
//     realm has them (the binding builtins.AsyncGeneratorHooks);
//   - the call of __asyncGenerator is given the function itself, whose
//     prototype property the generator object inherits from, where the
//     function has a name its parameters do not shadow (or is an anonymous
//     expression, which is given a name no script can write);
//   - a return with a value in the body awaits the value, as the spec's
//     return does in an async generator;
//   - the function gets the [[Prototype]] and prototype property of an async
//     generator function: a declaration by a call at the start of the block
//     that declares it, an expression by a call around it (which is given the
//     name the expression would have taken from where it is), methods by a
//     call around their object literal or a static block first in their
//     class.
//
// Helpers are known by their name and the shape of their definition
// (asyncHelperShapes): a helper esbuild prints differently is left as it is.

// asyncHelperName matches the names esbuild gives the helpers, with the
// number it appends to one a script's own name would shadow.
var asyncHelperName = regexp.MustCompile(`^__(await|asyncGenerator|yieldStar|forAwait)[0-9]*$`)

// asyncHelperHooks are the realm's operations that stand for each helper.
var asyncHelperHooks = map[string]string{
	"await": "await", "asyncGenerator": "start", "yieldStar": "yieldStar", "forAwait": "forAwait",
}

// selfName names an anonymous lowered function expression inside itself.
const selfName unistring.String = "%AsyncGeneratorFunction"

// asyncHelper is a helper definition found.
type asyncHelper struct {
	kind    string // a key of asyncHelperHooks
	binding *ast.Binding
}

// lowering is what one rewrite of a tree gathers.
type lowering struct {
	helpers map[unistring.String]*asyncHelper
	awaitID unistring.String // the name of __await, or ""
	// yieldStarID is the name of __yieldStar, or "".
	yieldStarID unistring.String
	startID     unistring.String // the name of __asyncGenerator, or ""
	// lowered are the lowered functions, with their call of the helper.
	lowered map[*ast.FunctionLiteral]*ast.CallExpression
	methods map[*ast.FunctionLiteral]bool // function literals that are methods
	decls   map[*ast.FunctionLiteral]bool // those of declarations
	names   map[*ast.FunctionLiteral]string
	// objects and classes holding lowered methods.
	objects map[*ast.ObjectLiteral]bool
	classes map[*ast.ClassLiteral]bool
	done    map[ast.Expression]bool
}

// lowerAsyncGenerators rewrites prg as the comment above says; a tree with
// no helpers is left as it is.
func lowerAsyncGenerators(prg *ast.Program) {
	l := &lowering{helpers: map[unistring.String]*asyncHelper{}}
	l.findHelpers(prg)
	if len(l.helpers) == 0 {
		return
	}
	for name, h := range l.helpers {
		switch h.kind {
		case "await":
			l.awaitID = name
		case "asyncGenerator":
			l.startID = name
		case "yieldStar":
			// esbuild also delegates with it in generator methods that are
			// not async (static *#m() { yield* v }), where its helper must
			// stay: only the calls in async generators are replaced.
			l.yieldStarID = name
			continue
		}
		at := h.binding.Target.Idx0()
		h.binding.Initializer = &ast.ConditionalExpression{
			Test:       hooksMissing(at),
			Consequent: h.binding.Initializer,
			Alternate:  hook(asyncHelperHooks[h.kind], at),
		}
	}
	if l.startID == "" {
		return
	}
	l.findFunctions(prg)
	if len(l.lowered) == 0 {
		return
	}
	for f, call := range l.lowered {
		l.passSelf(f, call)
		if g, ok := call.ArgumentList[2].(*ast.FunctionLiteral); ok {
			l.lowerBody(g.Body)
		}
	}
	l.declareFunctions(prg)
	l.done = map[ast.Expression]bool{}
	jsast.ReplaceExpressions(prg, l.replace)
	for c := range l.classes {
		at := c.Class
		c.Body = append([]ast.ClassElement{&ast.ClassStaticBlock{
			Static: at,
			Block: &ast.BlockStatement{LeftBrace: at, RightBrace: at, List: []ast.Statement{
				&ast.ExpressionStatement{Expression: hookCall("classMethods", []ast.Expression{&ast.ThisExpression{Idx: at}}, at)},
			}},
		}}, c.Body...)
	}
}

// findHelpers finds the helpers' definitions: var name = ...; with a
// helper's name and shape.
func (l *lowering) findHelpers(prg *ast.Program) {
	jsast.Walk(prg, func(v reflect.Value) bool {
		s, ok := v.Interface().(*ast.VariableStatement)
		if !ok {
			return true
		}
		if len(s.List) != 1 || s.List[0].Initializer == nil {
			return false
		}
		id, ok := s.List[0].Target.(*ast.Identifier)
		if !ok {
			return false
		}
		m := asyncHelperName.FindStringSubmatch(id.Name.String())
		if m == nil || shapeOf(s.List[0].Initializer) != asyncHelperShapes[m[1]] {
			return false
		}
		l.helpers[id.Name] = &asyncHelper{kind: m[1], binding: s.List[0]}
		return false
	})
}

// findFunctions finds the lowered functions and what the rewrite needs to
// know of where each is.
func (l *lowering) findFunctions(prg *ast.Program) {
	l.lowered = map[*ast.FunctionLiteral]*ast.CallExpression{}
	l.methods = map[*ast.FunctionLiteral]bool{}
	l.decls = map[*ast.FunctionLiteral]bool{}
	l.names = map[*ast.FunctionLiteral]string{}
	l.objects = map[*ast.ObjectLiteral]bool{}
	l.classes = map[*ast.ClassLiteral]bool{}
	jsast.Walk(prg, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.FunctionLiteral:
			if call := l.startCall(n); call != nil {
				l.lowered[n] = call
			}
		case *ast.FunctionDeclaration:
			l.decls[n.Function] = true
		case *ast.ObjectLiteral:
			for _, p := range n.Value {
				k, ok := p.(*ast.PropertyKeyed)
				if !ok {
					continue
				}
				f, ok := k.Value.(*ast.FunctionLiteral)
				// An anonymous function under a computed key takes its name
				// from the key's value, which a call around it would lose:
				// it is made an async generator with the methods.
				if !ok || k.Kind == ast.PropertyKindValue && !(k.Computed && f.Name == nil && l.startCall(f) != nil) {
					continue
				}
				l.methods[f] = true
				if l.startCall(f) != nil {
					l.objects[n] = true
				}
			}
		case *ast.ClassLiteral:
			for _, e := range n.Body {
				if m, ok := e.(*ast.MethodDefinition); ok {
					l.methods[m.Body] = true
					if l.startCall(m.Body) != nil {
						l.classes[n] = true
					}
				}
			}
		default:
			l.nameContext(n)
		}
		return true
	})
}

// nameContext notes the name an anonymous function the node n holds takes
// from it (https://tc39.es/ecma262/#sec-runtime-semantics-namedevaluation).
func (l *lowering) nameContext(n any) {
	note := func(target ast.Expression, e ast.Expression) {
		id, ok := target.(*ast.Identifier)
		if f, isFunc := e.(*ast.FunctionLiteral); ok && isFunc && f.Name == nil {
			l.names[f] = id.Name.String()
		}
	}
	switch n := n.(type) {
	case *ast.Binding:
		note(n.Target, n.Initializer)
	case *ast.AssignExpression:
		switch n.Operator {
		case token.ASSIGN, token.LOGICAL_AND_ASSIGN, token.LOGICAL_OR_ASSIGN, token.COALESCE_ASSIGN:
			note(n.Left, n.Right)
		}
	case *ast.PropertyShort:
		note(&n.Name, n.Initializer)
	case *ast.PropertyKeyed:
		if n.Kind == ast.PropertyKindValue && !n.Computed {
			note(keyName(n.Key), n.Value)
		}
	case *ast.FieldDefinition:
		if !n.Computed {
			note(keyName(n.Key), n.Initializer)
		}
	}
}

// keyName is the property key of a literal key as an identifier, or nil.
func keyName(key ast.Expression) ast.Expression {
	switch k := key.(type) {
	case *ast.Identifier:
		return k
	case *ast.StringLiteral:
		return &ast.Identifier{Name: k.Value, Idx: k.Idx}
	}
	return nil
}

// startCall returns the call of __asyncGenerator that is all f does, or nil.
func (l *lowering) startCall(f *ast.FunctionLiteral) *ast.CallExpression {
	if f == nil || f.Body == nil || len(f.Body.List) != 1 || f.Async || f.Generator {
		return nil
	}
	r, ok := f.Body.List[0].(*ast.ReturnStatement)
	if !ok {
		return nil
	}
	call, ok := r.Argument.(*ast.CallExpression)
	if !ok || len(call.ArgumentList) != 3 {
		return nil
	}
	if id, ok := call.Callee.(*ast.Identifier); !ok || id.Name != l.startID {
		return nil
	}
	if g, ok := call.ArgumentList[2].(*ast.FunctionLiteral); !ok || !g.Generator {
		return nil
	}
	return call
}

// passSelf gives the call of __asyncGenerator in f the function f (or
// null) and new.target: an async generator function has no [[Construct]],
// but the ordinary function esbuild lowers it to does, so start throws the
// TypeError that new would have. A method is no constructor already.
func (l *lowering) passSelf(f *ast.FunctionLiteral, call *ast.CallExpression) {
	if l.methods[f] {
		return
	}
	at := call.RightParenthesis
	var self ast.Expression = &ast.NullLiteral{Idx: at}
	switch {
	case f.Name == nil && l.decls[f]:
	case f.Name == nil:
		f.Name = &ast.Identifier{Name: selfName, Idx: f.Function}
		self = &ast.Identifier{Name: f.Name.Name, Idx: at}
	case !bindsName(f.ParameterList, f.Name.Name):
		self = &ast.Identifier{Name: f.Name.Name, Idx: at}
	}
	newTarget := &ast.MetaProperty{Meta: &ast.Identifier{Name: "new", Idx: at}, Property: &ast.Identifier{Name: "target", Idx: at}, Idx: at}
	call.ArgumentList = append(call.ArgumentList, self, newTarget)
}

// bindsName reports whether the parameters bind name.
func bindsName(params *ast.ParameterList, name unistring.String) bool {
	if name == "arguments" {
		return true
	}
	for _, b := range params.List {
		if bindsIn(b.Target, name) {
			return true
		}
	}
	return params.Rest != nil && bindsIn(params.Rest, name)
}

// bindsIn reports whether the binding target or pattern t binds name.
func bindsIn(t ast.Expression, name unistring.String) bool {
	switch t := t.(type) {
	case *ast.Identifier:
		return t.Name == name
	case *ast.AssignExpression:
		return bindsIn(t.Left, name)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			if bindsIn(e, name) {
				return true
			}
		}
		return t.Rest != nil && bindsIn(t.Rest, name)
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				if p.Name.Name == name {
					return true
				}
			case *ast.PropertyKeyed:
				if bindsIn(p.Value, name) {
					return true
				}
			}
		}
		return t.Rest != nil && bindsIn(t.Rest, name)
	}
	return false
}

// lowerBody rewrites the generator body of a lowered async generator (not
// functions in it): each return statement with a value returns yield new
// __await(value), as the spec's return in an async generator awaits its value
// (https://tc39.es/ecma262/#sec-return-statement-runtime-semantics-evaluation),
// and each call of __yieldStar calls the realm's yieldStar.
func (l *lowering) lowerBody(body *ast.BlockStatement) {
	jsast.WalkNode(body, func(v reflect.Value) bool {
		switch n := v.Interface().(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
			return false
		case *ast.ReturnStatement:
			if n.Argument != nil && l.awaitID != "" {
				at := n.Argument.Idx0()
				n.Argument = &ast.YieldExpression{Yield: at, Argument: &ast.NewExpression{
					New: at, Callee: &ast.Identifier{Name: l.awaitID, Idx: at},
					LeftParenthesis: at, ArgumentList: []ast.Expression{n.Argument}, RightParenthesis: at,
				}}
			}
		case *ast.CallExpression:
			if id, ok := n.Callee.(*ast.Identifier); ok && id.Name == l.yieldStarID && l.yieldStarID != "" {
				n.Callee = &ast.ConditionalExpression{Test: hooksMissing(id.Idx), Consequent: id, Alternate: hook("yieldStar", id.Idx)}
			}
		}
		return true
	})
}

// declareFunctions makes the lowered functions declared in each statement
// list async generator functions when the list's scope is entered: a call
// first in the list, after its directives.
func (l *lowering) declareFunctions(prg *ast.Program) {
	jsast.EditStatementLists(prg, func(list []ast.Statement) []ast.Statement {
		var calls []ast.Statement
		for _, s := range list {
			d, ok := s.(*ast.FunctionDeclaration)
			if !ok || l.lowered[d.Function] == nil || d.Function.Name == nil {
				continue
			}
			at := d.Function.Function
			calls = append(calls, &ast.ExpressionStatement{Expression: hookCall("function", []ast.Expression{
				&ast.Identifier{Name: d.Function.Name.Name, Idx: at},
			}, at)})
		}
		return jsast.InsertAfterDirectives(list, calls)
	})
}

// replace puts the calls that make async generators around the lowered
// function expressions and the object literals with lowered methods, after
// doing so in what they hold.
func (l *lowering) replace(e ast.Expression) ast.Expression {
	var method string
	var args []ast.Expression
	switch n := e.(type) {
	case *ast.FunctionLiteral:
		if l.lowered[n] == nil || l.methods[n] || l.decls[n] || l.done[e] {
			return e
		}
		method, args = "function", []ast.Expression{n}
		if n.Name != nil && n.Name.Name == selfName {
			name := l.names[n]
			args = append(args, &ast.StringLiteral{Idx: n.Function, Literal: strconv.Quote(name), Value: unistring.NewFromString(name)})
		}
	case *ast.ObjectLiteral:
		if !l.objects[n] || l.done[e] {
			return e
		}
		method, args = "methods", []ast.Expression{n}
	default:
		return e
	}
	l.done[e] = true
	jsast.ReplaceExpressions(&ast.Program{Body: []ast.Statement{&ast.ExpressionStatement{Expression: e}}}, l.replace)
	return hookCall(method, args, e.Idx0())
}

// hookCall is (typeof H === "undefined" ? (v) => v : H.method)(args...):
// the first argument itself where the realm has no hooks.
func hookCall(method string, args []ast.Expression, at file.Idx) ast.Expression {
	v := unistring.String("v")
	identity := &ast.ArrowFunctionLiteral{
		Start:         at,
		ParameterList: &ast.ParameterList{Opening: at, List: []*ast.Binding{{Target: &ast.Identifier{Name: v, Idx: at}}}, Closing: at},
		Body:          &ast.ExpressionBody{Expression: &ast.Identifier{Name: v, Idx: at}},
	}
	return &ast.CallExpression{
		Callee:          &ast.ConditionalExpression{Test: hooksMissing(at), Consequent: identity, Alternate: hook(method, at)},
		LeftParenthesis: at, ArgumentList: args, RightParenthesis: at,
	}
}

// hook is H.method.
func hook(method string, at file.Idx) ast.Expression {
	return &ast.DotExpression{
		Left:       &ast.Identifier{Name: builtins.AsyncGeneratorHooks, Idx: at},
		Identifier: ast.Identifier{Name: unistring.NewFromString(method), Idx: at},
	}
}

// hooksMissing is typeof H === "undefined".
func hooksMissing(at file.Idx) ast.Expression {
	return &ast.BinaryExpression{
		Operator: token.STRICT_EQUAL,
		Left:     &ast.UnaryExpression{Operator: token.TYPEOF, Idx: at, Operand: &ast.Identifier{Name: builtins.AsyncGeneratorHooks, Idx: at}},
		Right:    &ast.StringLiteral{Idx: at, Literal: `"undefined"`, Value: "undefined"},
	}
}

// asyncHelperShapes are the shapes (shapeOf) of the definitions of the
// helpers as the esbuild the module requires prints them; a test fails when
// they change.
var asyncHelperShapes = map[string]string{
	"await":          "9f7a34de407f0b1c383b8589",
	"asyncGenerator": "40e954941f863d92c85dfff7",
	"yieldStar":      "993e88fe9b74a22161b81b0f",
	"forAwait":       "b9d2bbdb8c24d71a56ddfb0c",
}

// shapeOf is a digest of the tree of e: its node types, operators,
// identifiers (a helper's with the number esbuild may append removed) and
// literals, in order.
func shapeOf(e ast.Expression) string {
	h := sha256.New()
	jsast.WalkNode(e, func(v reflect.Value) bool {
		io.WriteString(h, v.Type().String())
		switch n := v.Interface().(type) {
		case *ast.Identifier:
			io.WriteString(h, strings.TrimRight(n.Name.String(), "0123456789"))
		case *ast.StringLiteral:
			io.WriteString(h, n.Value.String())
		case *ast.NumberLiteral:
			io.WriteString(h, n.Literal)
		case *ast.BooleanLiteral:
			io.WriteString(h, n.Literal)
		case *ast.BinaryExpression:
			io.WriteString(h, n.Operator.String())
		case *ast.AssignExpression:
			io.WriteString(h, n.Operator.String())
		case *ast.UnaryExpression:
			io.WriteString(h, n.Operator.String())
		case *ast.DotExpression:
			io.WriteString(h, n.Identifier.Name.String())
		}
		h.Write([]byte{0})
		return true
	})
	return hex.EncodeToString(h.Sum(nil)[:12])
}
