package builtins

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/webidl"
)

// goja has no async generators. The loader lowers them with esbuild and puts
// the operations js/asyncgenerator.js makes in place of esbuild's helpers:
// they reach the scripts through a global lexical binding named
// AsyncGeneratorHooks, which no script can name. The script also makes the
// intrinsics %AsyncIteratorPrototype%, %AsyncGeneratorPrototype%,
// %AsyncGeneratorFunction.prototype% and %AsyncFromSyncIteratorPrototype%;
// %AsyncGeneratorFunction% is made here, in Go, as the other function
// constructors are (functions.go).

// AsyncGeneratorHooks names the binding of the operations lowered async
// generators call: start, await, yieldStar, forAwait, function, methods and
// classMethods (see js/asyncgenerator.js), name, which the loader calls to
// undo esbuild's renaming of a function's name, and promiseResolve, which every
// await the loader compiles awaits the result of (promiseresolve.go).
const AsyncGeneratorHooks = "%AsyncGenerators"

//go:embed js/asyncgenerator.js
var asyncGeneratorScript string

var asyncGeneratorProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:asyncgenerator.js", asyncGeneratorScript)
})

// asyncHooksProgram declares the binding of the hooks and evaluates to a
// function that initializes it: let H; (v) => H = v.
var asyncHooksProgram = sync.OnceValue(func() *goja.Program {
	name := unistring.String(AsyncGeneratorHooks)
	v := unistring.String("%v")
	prg, err := goja.CompileAST(&ast.Program{Body: []ast.Statement{
		&ast.LexicalDeclaration{Token: token.LET, List: []*ast.Binding{{Target: &ast.Identifier{Name: name}}}},
		&ast.ExpressionStatement{Expression: &ast.ArrowFunctionLiteral{
			ParameterList: &ast.ParameterList{List: []*ast.Binding{{Target: &ast.Identifier{Name: v}}}},
			Body: &ast.ExpressionBody{Expression: &ast.AssignExpression{
				Operator: token.ASSIGN, Left: &ast.Identifier{Name: name}, Right: &ast.Identifier{Name: v},
			}},
		}},
	}}, true)
	if err != nil {
		panic(err)
	}
	return prg
})

// asyncIntrinsics are a realm's intrinsics of async iteration.
type asyncIntrinsics struct {
	asyncIteratorPrototype *goja.Object
}

type asyncIntrinsicsKey struct{}

// AsyncIteratorPrototype returns %AsyncIteratorPrototype%
// (https://tc39.es/ecma262/#sec-asynciteratorprototype) of a realm whose
// built-ins are installed, or nil.
func AsyncIteratorPrototype(realm *webidl.Realm) *goja.Object {
	if in, ok := realm.Data(asyncIntrinsicsKey{}).(*asyncIntrinsics); ok {
		return in.asyncIteratorPrototype
	}
	return nil
}

// installAsyncGenerators makes the intrinsics, the hooks and
// %AsyncGeneratorFunction%, whose functions compile compiles (none if nil).
func installAsyncGenerators(realm *webidl.Realm, compile func(src string) (*goja.Program, error)) error {
	vm := realm.VM()
	v, err := runScript(realm, asyncGeneratorProgram())
	if err != nil {
		return err
	}
	made := v.(*goja.Object)
	set, err := vm.RunProgram(asyncHooksProgram())
	if err != nil {
		return err
	}
	setHooks, _ := goja.AssertFunction(set)
	if _, err := setHooks(goja.Undefined(), made.Get("hooks")); err != nil {
		return err
	}
	realm.SetData(asyncIntrinsicsKey{}, &asyncIntrinsics{
		asyncIteratorPrototype: made.Get("AsyncIteratorPrototype").(*goja.Object),
	})
	fnProto := made.Get("AsyncGeneratorFunctionPrototype").(*goja.Object)
	return defineAsyncGeneratorFunction(realm, fnProto, compile)
}

// defineAsyncGeneratorFunction makes %AsyncGeneratorFunction%
// (https://tc39.es/ecma262/#sec-asyncgeneratorfunction-constructor), the
// constructor of proto, %AsyncGeneratorFunction.prototype%.
func defineAsyncGeneratorFunction(realm *webidl.Realm, proto *goja.Object, compile func(string) (*goja.Program, error)) error {
	vm := realm.VM()
	d := &dynamicCode{realm: realm, vm: vm}
	var ctor *goja.Object
	ctor = vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		newTarget := call.NewTarget
		if newTarget == nil {
			newTarget = ctor
		}
		return createAsyncGenerator(realm, d, compile, proto, newTarget, call.Arguments)
	}).(*goja.Object)
	for _, p := range []struct {
		name string
		v    goja.Value
	}{{"length", vm.ToValue(1)}, {"name", vm.ToValue("AsyncGeneratorFunction")}} {
		if err := ctor.DefineDataProperty(p.name, p.v, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	if err := ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if fn, ok := vm.GlobalObject().Get("Function").(*goja.Object); ok {
		if err := ctor.SetPrototype(fn); err != nil {
			return err
		}
	}
	return proto.DefineDataProperty("constructor", ctor, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// The text CreateDynamicFunction puts around the parameters and body of an
// async generator function
// (https://tc39.es/ecma262/#sec-createdynamicfunction, steps 12-16).
const asyncGeneratorHead = "async function* anonymous("

// createAsyncGenerator is CreateDynamicFunction
// (https://tc39.es/ecma262/#sec-createdynamicfunction) for kind
// asyncGenerator: the source is compiled by compile, as the loader lowers
// it. Unlike the spec's steps 17-19, the parameters and the body are not
// parsed apart: text in the parameters that closes the function is taken.
func createAsyncGenerator(realm *webidl.Realm, d *dynamicCode, compile func(string) (*goja.Program, error), proto, newTarget *goja.Object, args []goja.Value) *goja.Object {
	toString := stringBound{realm: realm}.toString
	// Steps 5-10: the parameters joined with commas, then the body.
	var params strings.Builder
	body := ""
	for i, a := range args {
		s := toString(a).String()
		switch {
		case i == len(args)-1:
			body = s
		case i > 0:
			params.WriteString(",")
			fallthrough
		default:
			params.WriteString(s)
		}
	}
	if compile == nil {
		d.throwSyntaxError("Async generator functions cannot be created from source here")
	}
	prg, err := compile(asyncGeneratorText(params.String(), body))
	if err != nil {
		d.throwSyntaxError("%s", err.Error())
	}
	v, err := realm.VM().RunProgram(prg)
	if err != nil {
		panic(err)
	}
	f, ok := v.(*goja.Object)
	if !ok {
		d.throwSyntaxError("Unexpected token in function source")
	}
	// Steps 27-30: the prototype, from new.target.
	if p, ok := newTarget.Get("prototype").(*goja.Object); ok {
		proto = p
	}
	if err := f.SetPrototype(proto); err != nil {
		panic(err)
	}
	return f
}

// asyncGeneratorText is the source text of an async generator function with the
// parameters and body, as an expression.
func asyncGeneratorText(params, body string) string {
	return "(" + asyncGeneratorHead + params + functionMiddle + body + functionTail
}
