package builtins

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/jsast"
	"github.com/wsjs/wsjs/bindings/jsregexp"
	"github.com/wsjs/wsjs/webidl"
)

// The Function, AsyncFunction and GeneratorFunction constructors (goja has
// no async generators) parse their source with goja's parser, which panics on
// \u{10FFFF} in a string literal and knows no HTML-like comments
// (escapes.go). Each is replaced by a native constructor with the same name,
// length, prototype object and [[Prototype]], which CreateDynamicFunction's
// steps (https://tc39.es/ecma262/#sec-createdynamicfunction) reach through:
// it converts the parameters and body to strings once, in order, rewrites
// the escape and the comments where they hold them, and calls the original
// with the strings and new.target. The parameters are joined with commas first, as the original
// would join them, so that a literal spanning two of them is seen whole. A
// panic that goja's parser still raises becomes a SyntaxError.
//
// Unlike the original's, the replacement's [[Construct]] reads
// new.target.prototype once before the original reads it again: script sees
// the difference only through a Proxy given to Reflect.construct as
// new.target. Eval cannot be replaced the same way (a replacement would make
// every direct eval indirect), so eval of such a literal still ends the run.

// dynamicFunctions evaluates to the constructors of the kinds of function
// goja has.
var dynamicFunctions = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:functions.js", `[
		Function, async function () {}, function* () {}
	].map((f, i) => i === 0 ? f : Object.getPrototypeOf(f).constructor)`, true)
})

// dynamicPrefixes start the source text goja gives the functions each of
// dynamicFunctions makes (https://tc39.es/ecma262/#sec-createdynamicfunction
// step 16).
var dynamicPrefixes = []string{"(function anonymous(", "(async function anonymous(", "(function* anonymous("}

// safeFunctions replaces the function constructors.
func safeFunctions(realm *webidl.Realm) error {
	vm := realm.VM()
	v, err := vm.RunProgram(dynamicFunctions())
	if err != nil {
		return err
	}
	syntaxError, ok := goja.AssertConstructor(vm.Get("SyntaxError"))
	if !ok {
		return fmt.Errorf("builtins: SyntaxError is missing")
	}
	ctors := v.(*goja.Object)
	for i := int64(0); i < ctors.Get("length").ToInteger(); i++ {
		c, ok := ctors.Get(fmt.Sprint(i)).(*goja.Object)
		if !ok {
			continue
		}
		if err := replaceConstructor(realm, c, dynamicPrefixes[i], syntaxError); err != nil {
			return err
		}
	}
	return nil
}

// replaceConstructor replaces the function constructor c.
func replaceConstructor(realm *webidl.Realm, c *goja.Object, prefix string, syntaxError goja.Constructor) error {
	vm := realm.VM()
	orig, ok := goja.AssertConstructor(c)
	if !ok {
		return fmt.Errorf("builtins: %s is not a constructor", c.Get("name"))
	}
	proto := c.Get("prototype").(*goja.Object)
	var w *goja.Object
	w = vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		newTarget := call.NewTarget
		if newTarget == w {
			newTarget = nil
		}
		return construct(realm, orig, prefix, syntaxError, newTarget, call.Arguments)
	}).(*goja.Object)
	for _, p := range []struct {
		name string
		v    goja.Value
	}{{"length", vm.ToValue(1)}, {"name", c.Get("name")}} {
		if err := w.DefineDataProperty(p.name, p.v, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	if err := w.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := w.SetPrototype(c.Prototype()); err != nil {
		return err
	}
	if err := proto.DefineDataProperty("constructor", w, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET); err != nil {
		return err
	}
	if vm.GlobalObject().Get(c.Get("name").String()) == c {
		return vm.GlobalObject().DefineDataProperty(c.Get("name").String(), w, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET)
	}
	return nil
}

// construct converts args to strings, rewrites the escape, checks the
// regular expression literals, and constructs the function with orig; a Go
// panic in goja's parser is thrown as a syntaxError.
func construct(realm *webidl.Realm, orig goja.Constructor, prefix string, syntaxError goja.Constructor, newTarget *goja.Object, args []goja.Value) *goja.Object {
	vm := realm.VM()
	toString := stringBound{realm: realm}.toString
	strs := make([]goja.Value, len(args))
	for i, a := range args {
		strs[i] = toString(a)
	}
	if len(strs) > 1 {
		// The parameters, joined as the original joins them.
		var params goja.StringBuilder
		for i, p := range strs[:len(strs)-1] {
			if i > 0 {
				params.WriteUTF8String(",")
			}
			params.WriteString(p.(goja.String))
		}
		if p, changed := rewriteEscapes(params.String(), false); changed {
			strs = []goja.Value{p, strs[len(strs)-1]}
		}
	}
	if n := len(strs); n > 0 {
		if body, changed := rewriteEscapes(strs[n-1].(goja.String), true); changed {
			strs[n-1] = body
		}
	}
	if msg := regExpLiteralError(prefix, strs); msg != "" {
		e, err := syntaxError(nil, vm.ToValue(msg))
		if err != nil {
			panic(err)
		}
		panic(e)
	}
	f, err, panicked := constructRecovering(orig, newTarget, strs)
	if panicked != nil {
		e, err := syntaxError(nil, vm.ToValue(fmt.Sprintf("Invalid or unexpected token (%v)", panicked)))
		if err != nil {
			panic(err)
		}
		panic(e)
	}
	if err != nil {
		panic(err)
	}
	return f
}

// constructRecovering calls orig, recovering a Go panic. goja panics through
// Constructor only where its parser does, before the new function's code
// runs, and restores its stacks to where the call began.
func constructRecovering(orig goja.Constructor, newTarget *goja.Object, args []goja.Value) (f *goja.Object, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	f, err = orig(newTarget, args...)
	return f, err, nil
}

// regExpLiteralError returns the message of the early error of the first
// regular expression literal of the function whose parameters and body strs
// are (all strings), or "". goja's parser takes a literal's pattern as text
// and its compiler judges it by goja's own engines' rules, so the literal's
// early errors (https://tc39.es/ecma262/#sec-primary-expression-regular-expression-literals-static-semantics-early-errors)
// are checked here first, with the RegExp constructor's reading (package
// jsregexp), as the script loader checks a script's. Text goja cannot parse
// is left for goja to reject.
func regExpLiteralError(prefix string, strs []goja.Value) (msg string) {
	var b strings.Builder
	b.WriteString(prefix)
	n := len(strs)
	for i := 0; i < n-1; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strs[i].String())
	}
	b.WriteString("\n) {\n")
	if n > 0 {
		b.WriteString(strs[n-1].String())
	}
	b.WriteString("\n})")
	src := b.String()
	if !strings.Contains(src[len(prefix):], "/") {
		return ""
	}
	defer func() {
		if recover() != nil {
			msg = ""
		}
	}()
	prg, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		return ""
	}
	first := file.Idx(-1)
	jsast.Walk(prg, func(v reflect.Value) bool {
		l, ok := v.Interface().(*ast.RegExpLiteral)
		if !ok {
			return true
		}
		if err := jsregexp.Check(utf16.Encode([]rune(l.Pattern)), l.Flags); err != nil && (first < 0 || l.Idx < first) {
			first, msg = l.Idx, err.Error()
		}
		return false
	})
	return msg
}
