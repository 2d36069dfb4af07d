package blockfunc

import (
	"errors"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/dop251/goja/unistring"

	"github.com/wsjs/wsjs/webidl"
)

// hookName names the realm's hooks, which scripts Rewrite changed call: a
// global lexical binding whose name is no identifier, so that no script can
// name, see or declare it.
const hookName unistring.String = "%BlockFunctions"

// installProgram declares the binding of the hooks and evaluates to a
// function that initializes it: let H; (%v) => H = %v.
var installProgram = sync.OnceValue(func() *goja.Program {
	prg, err := goja.CompileAST(&ast.Program{Body: []ast.Statement{
		declare(token.LET, hookName, nil, 0),
		&ast.ExpressionStatement{Expression: setter(hookName, 0)},
	}}, true)
	if err != nil {
		panic(err)
	}
	return prg
})

// varPrograms holds, by name, the programs "var name", which
// GlobalDeclarationInstantiation declares the way the annex needs
// (https://tc39.es/ecma262/#sec-globaldeclarationinstantiation).
var varPrograms sync.Map // unistring.String -> *goja.Program

// Install defines the hooks that the scripts Rewrite changed call in vm's
// realm. It must run before any script does. The global eval at that time
// is the one whose calls the hooks take for direct evals: %eval%, or a
// replacement that stands for it (bindings/builtins).
func Install(vm *goja.Runtime) error {
	in := webidl.Intrinsics{VM: vm}
	// The global eval as it is now, not through webidl.Intrinsics, which
	// gives %eval% as goja made it even after a replacement.
	eval, ok := vm.GlobalObject().Get("eval").(*goja.Object)
	if !ok {
		return errors.New("blockfunc: the global object has no eval")
	}
	h := &hooks{
		vm:           vm,
		global:       vm.GlobalObject(),
		eval:         eval,
		set:          in.Func("Reflect", "set"),
		hasOwn:       in.Func("Object", "hasOwn"),
		isExtensible: in.Func("Object", "isExtensible"),
	}
	o := vm.NewObject()
	for name, f := range map[string]func(goja.FunctionCall) goja.Value{
		"declare": h.declare, "set": h.setGlobal, "eval": h.rewriteEval,
	} {
		if err := o.Set(name, f); err != nil {
			return err
		}
	}
	init, err := vm.RunProgram(installProgram())
	if err != nil {
		return err
	}
	f, _ := goja.AssertFunction(init)
	_, err = f(goja.Undefined(), o)
	return err
}

// hooks are a realm's hooks.
type hooks struct {
	vm     *goja.Runtime
	global *goja.Object
	eval   *goja.Object  // the realm's eval (see Install)
	set    goja.Callable // Reflect.set
	hasOwn goja.Callable // Object.hasOwn
	// isExtensible is Object.isExtensible.
	isExtensible goja.Callable
}

// declare(...names) declares each name as a global var where the annex's
// steps for global code would: where no global lexical declaration has the
// name, and the global object has the property or can get it
// (https://tc39.es/ecma262/#sec-web-compat-globaldeclarationinstantiation).
func (h *hooks) declare(call goja.FunctionCall) goja.Value {
	for _, name := range call.Arguments {
		h.globalVar(unistring.NewFromString(name.String()))
	}
	return goja.Undefined()
}

// set(name, value) is the evaluation the annex gives a hoisted function
// declaration in global code: where the name is a global var, as declare
// made it, SetMutableBinding of the global environment, which sets the
// global object's property as Reflect.set does.
func (h *hooks) setGlobal(call goja.FunctionCall) goja.Value {
	name := call.Argument(0).String()
	if h.globalVar(unistring.NewFromString(name)) {
		if _, err := h.set(goja.Undefined(), h.global, call.Argument(0), call.Argument(1)); err != nil {
			panic(err)
		}
	}
	return goja.Undefined()
}

// globalVar declares name a global var as a script declaring it would, and
// reports whether the name is one: false when a global lexical declaration
// has it (the script throws a SyntaxError) or the global object has no such
// property and cannot get one (CanDeclareGlobalVar,
// https://tc39.es/ecma262/#sec-candeclareglobalvar).
func (h *hooks) globalVar(name unistring.String) bool {
	if !h.call(h.hasOwn, h.global, h.vm.ToValue(name.String())) && !h.call(h.isExtensible, h.global) {
		return false
	}
	p, ok := varPrograms.Load(name)
	if !ok {
		prg, err := goja.CompileAST(&ast.Program{DeclarationList: []*ast.VariableDeclaration{{List: []*ast.Binding{{Target: ident(name, 0)}}}}}, false)
		if err != nil {
			return false
		}
		p, _ = varPrograms.LoadOrStore(name, prg)
	}
	if _, err := h.vm.RunProgram(p.(*goja.Program)); err != nil {
		if _, ok := err.(*goja.Exception); ok {
			return false
		}
		panic(err) // an interrupt
	}
	return h.call(h.hasOwn, h.global, h.vm.ToValue(name.String()))
}

// call returns ToBoolean of what f returns for args, throwing what it throws.
func (h *hooks) call(f goja.Callable, args ...goja.Value) bool {
	v, err := f(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	return v.ToBoolean()
}

// rewriteEval(callee, x) is x, or, when callee is the realm's eval and x a string,
// the code RewriteEval makes of it.
func (h *hooks) rewriteEval(call goja.FunctionCall) goja.Value {
	x := call.Argument(1)
	if call.Argument(0) != h.eval {
		return x
	}
	s, ok := x.(goja.String)
	if !ok || !wellFormed(s) {
		return x
	}
	if out, changed := RewriteEval(s.String()); changed {
		return h.vm.ToValue(out)
	}
	return x
}

// wellFormed tells whether s has no lone surrogate, so that it is the same
// text as UTF-8.
func wellFormed(s goja.String) bool {
	n := s.Length()
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		switch {
		case c < 0xD800 || c > 0xDFFF:
		case c <= 0xDBFF && i+1 < n && s.CharAt(i+1) >= 0xDC00 && s.CharAt(i+1) <= 0xDFFF:
			i++
		default:
			return false
		}
	}
	return true
}
