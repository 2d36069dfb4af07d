package builtins

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/bigintguard"
	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/bindings/jsast"
	"github.com/wsjs/wsjs/bindings/jsnest"
	"github.com/wsjs/wsjs/bindings/jsregexp"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// The Function, AsyncFunction and GeneratorFunction constructors (goja has
// no async generators) parse their source with goja's parser, which panics on
// \u{10FFFF} in a string literal and knows no HTML-like comments
// (escapes.go). Each is replaced by a native constructor with the same name,
// length, prototype object and [[Prototype]], which CreateDynamicFunction's
// steps (https://tc39.es/ecma262/#sec-createdynamicfunction) reach through:
// it converts the parameters and body to strings once, in order, prepares
// them (source.go: the escape and the comments rewritten, and the direct
// eval calls, which the replaced eval needs, eval.go), checks their regular
// expression literals, and calls the original with the strings and
// new.target. The parameters are joined with commas first, as the original
// would join them, so that a literal spanning two of them is seen whole, and
// the direct eval calls are found in the source text the original parses. A
// panic that goja's parser still raises becomes a SyntaxError.
//
// Unlike the original's, the replacement's [[Construct]] reads
// new.target.prototype once before the original reads it again: script sees
// the difference only through a Proxy given to Reflect.construct as
// new.target.

// dynamicFunctions evaluates to the constructors of the kinds of function
// goja has, in the order of functionHeads.
var dynamicFunctions = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:functions.js", `[
		Function, async function () {}, function* () {}
	].map((f, i) => i === 0 ? f : Object.getPrototypeOf(f).constructor)`, true)
})

// functionHeads are the texts goja's constructors put before the
// parameters (https://tc39.es/ecma262/#sec-createdynamicfunction step 16).
var functionHeads = []string{"(function anonymous(", "(async function anonymous(", "(function* anonymous("}

// The texts goja's constructors put between the parameters and the body,
// and after the body.
const functionMiddle, functionTail = "\n) {\n", "\n})"

// safeFunctions replaces the function constructors and eval; loop, if not
// nil, is the realm's event loop, and compile, if not nil, compiles the
// source of functions with syntax goja lacks (Options.CompileScript).
func safeFunctions(realm *webidl.Realm, loop *eventloop.Loop, compile func(string) (*goja.Program, error)) error {
	vm := realm.VM()
	v, err := vm.RunProgram(dynamicFunctions())
	if err != nil {
		return err
	}
	d := &dynamicCode{realm: realm, vm: vm}
	ctors := v.(*goja.Object)
	// The [[Prototype]] of AsyncFunction and GeneratorFunction is %Function%
	// (https://tc39.es/ecma262/#sec-properties-of-the-asyncfunction-constructor,
	// https://tc39.es/ecma262/#sec-properties-of-the-generatorfunction-constructor),
	// which Function's replacement now is; goja gives them %Function.prototype%.
	var function *goja.Object
	for i, head := range functionHeads {
		c, ok := ctors.Get(fmt.Sprint(i)).(*goja.Object)
		if !ok {
			continue
		}
		parent := function
		if i == 0 {
			parent = c.Prototype()
		}
		w, err := replaceConstructor(realm, c, parent, &dynamicFunction{dynamicCode: d, head: head, compile: compile})
		if err != nil {
			return err
		}
		if i == 0 {
			function = w
		}
	}
	return safeEval(realm, d, loop)
}

// dynamicFunction is one kind of function the constructors make.
type dynamicFunction struct {
	*dynamicCode
	head string // the text before the parameters
	// compile, if not nil, compiles the source goja's constructor rejects,
	// which may hold syntax goja lacks (async generators, for await).
	compile func(string) (*goja.Program, error)
}

// replaceConstructor replaces the function constructor c with one whose
// [[Prototype]] is parent, and returns it.
func replaceConstructor(realm *webidl.Realm, c, parent *goja.Object, kind *dynamicFunction) (*goja.Object, error) {
	vm := realm.VM()
	orig, ok := goja.AssertConstructor(c)
	if !ok {
		return nil, fmt.Errorf("builtins: %s is not a constructor", c.Get("name"))
	}
	proto := c.Get("prototype").(*goja.Object)
	var w *goja.Object
	w = vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		newTarget := call.NewTarget
		if newTarget == w {
			newTarget = nil
		}
		return kind.construct(realm, orig, newTarget, call.Arguments)
	}).(*goja.Object)
	for _, p := range []struct {
		name string
		v    goja.Value
	}{{"length", vm.ToValue(1)}, {"name", c.Get("name")}} {
		if err := w.DefineDataProperty(p.name, p.v, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
	}
	if err := w.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, err
	}
	if err := w.SetPrototype(parent); err != nil {
		return nil, err
	}
	if err := proto.DefineDataProperty("constructor", w, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET); err != nil {
		return nil, err
	}
	if vm.GlobalObject().Get(c.Get("name").String()) == c {
		return w, vm.GlobalObject().DefineDataProperty(c.Get("name").String(), w, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET, goja.FLAG_NOT_SET)
	}
	return w, nil
}

// construct converts args to strings, prepares them, and constructs the
// function with orig; a Go panic in goja's parser is thrown as a
// SyntaxError.
func (k *dynamicFunction) construct(realm *webidl.Realm, orig goja.Constructor, newTarget *goja.Object, args []goja.Value) *goja.Object {
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
		strs = []goja.Value{params.String(), strs[len(strs)-1]}
	}
	raw := strs
	if len(strs) > 0 {
		// Before any parse: see dynamicCode.prepare.
		if err := jsnest.Check(k.source(strs)); err != nil {
			k.throwSyntaxError("%v", err)
		}
		strs = k.prepare(strs)
	}
	if msg := regExpLiteralError(k.source(strs), len(k.head)); msg != "" {
		k.throwSyntaxError("%s", msg)
	}
	f, err, panicked := constructRecovering(orig, newTarget, strs)
	if panicked != nil {
		k.throwSyntaxError("Invalid or unexpected token (%v)", panicked)
	}
	if err != nil {
		// The loader rewrites the source itself, and refuses the hooks
		// that prepare's rewrites name.
		if f := k.lowered(realm, newTarget, raw, err); f != nil {
			return f
		}
		panic(err)
	}
	return f
}

// lowered makes the function of the source strs that goja's constructor
// rejected with err, compiled by k.compile where the source may hold syntax
// goja lacks and err is a SyntaxError; else it returns nil.
func (k *dynamicFunction) lowered(realm *webidl.Realm, newTarget *goja.Object, strs []goja.Value, err error) *goja.Object {
	var ex *goja.Exception
	if k.compile == nil || !errors.As(err, &ex) {
		return nil
	}
	if e, ok := ex.Value().(*goja.Object); !ok || e.Get("name").String() != "SyntaxError" {
		return nil
	}
	src := k.source(strs)
	if !strings.Contains(src[len(k.head):], "async") && !strings.Contains(src[len(k.head):], "await") {
		return nil
	}
	prg, cerr := k.compile(src)
	if cerr != nil {
		return nil
	}
	v, rerr := realm.VM().RunProgram(prg)
	f, ok := v.(*goja.Object)
	if rerr != nil || !ok {
		return nil
	}
	if newTarget != nil {
		if p, ok := newTarget.Get("prototype").(*goja.Object); ok {
			if err := f.SetPrototype(p); err != nil {
				panic(err)
			}
		}
	}
	return f
}

// prepare returns the body, or the parameters and the body, prepared: the
// escape rewritten in each, and the direct eval calls of the source the
// original parses rewritten.
func (k *dynamicFunction) prepare(strs []goja.Value) []goja.Value {
	texts := make([]string, len(strs))
	changed, mayEval, awaits, folds, bigInts := false, false, false, false, false
	for i, v := range strs {
		// The body begins a line of the source, the parameters do not.
		s, c := rewriteEscapes(v.(goja.String), i == len(strs)-1)
		text, lossy := sourceText(s)
		texts[i], changed, mayEval = text, changed || c || lossy, mayEval || mayCallEval(text)
		awaits = awaits || mayAwait(text)
		folds = folds || mayFold(text)
		bigInts = bigInts || bigintguard.Might(text)
	}
	// The insertions for the source of texts, made in texts; the awaits are
	// found after the eval calls are rewritten, as in dynamicCode.prepare.
	insert := func(find func(string) []directeval.Insertion) {
		params, body := "", texts[len(texts)-1]
		if len(texts) > 1 {
			params = texts[0]
		}
		head := k.head + params + functionMiddle
		if ins := find(head + body + functionTail); len(ins) > 0 {
			changed = true
			texts = k.split(texts, len(k.head), len(head), ins)
		}
	}
	if mayEval {
		insert(k.evalCalls)
	}
	if awaits {
		insert(k.awaitCalls)
	}
	if folds {
		insert(k.foldedLeaves)
	}
	if bigInts {
		insert(k.bigIntOps)
	}
	if !changed {
		return strs
	}
	out := make([]goja.Value, len(texts))
	for i, t := range texts {
		out[i] = k.vm.ToValue(t)
	}
	return out
}

// split makes the insertions in the parameters, which start at offset
// paramsAt of the source, and in the body, at bodyAt; one that falls between
// them, in the text the original puts there, is a SyntaxError.
func (k *dynamicFunction) split(texts []string, paramsAt, bodyAt int, ins []directeval.Insertion) []string {
	var inParams, inBody []directeval.Insertion
	paramsEnd := paramsAt
	if len(texts) > 1 {
		paramsEnd += len(texts[0])
	}
	for _, in := range ins {
		switch {
		case in.At >= bodyAt && in.At <= bodyAt+len(texts[len(texts)-1]):
			inBody = append(inBody, in)
		case in.At >= paramsAt && in.At <= paramsEnd && len(texts) > 1:
			inParams = append(inParams, in)
		default:
			k.throwSyntaxError("Unexpected token ')'")
		}
	}
	out := append([]string(nil), texts...)
	if len(texts) > 1 {
		out[0] = directeval.Apply(texts[0], paramsAt, inParams)
	}
	out[len(out)-1] = directeval.Apply(texts[len(texts)-1], bodyAt, inBody)
	return out
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

// source is the text goja's constructor parses for the parameters and body
// strs (all strings).
func (k *dynamicFunction) source(strs []goja.Value) string {
	var b strings.Builder
	b.WriteString(k.head)
	if n := len(strs); n > 1 {
		b.WriteString(strs[0].String())
	}
	b.WriteString(functionMiddle)
	if n := len(strs); n > 0 {
		b.WriteString(strs[n-1].String())
	}
	b.WriteString(functionTail)
	return b.String()
}

// regExpLiteralError returns the message of the early error of the first
// regular expression literal of the source text src, or "". goja's parser
// takes a literal's pattern as text and its compiler judges it by goja's own
// engines' rules, so the literal's early errors
// (https://tc39.es/ecma262/#sec-primary-expression-regular-expression-literals-static-semantics-early-errors)
// are checked here first, with the RegExp constructor's reading (package
// jsregexp), as the script loader checks a script's. from is where the text
// the script gave begins in src (a slash before it is none of its). Text
// goja cannot parse is left for goja to reject.
func regExpLiteralError(src string, from int) (msg string) {
	if !strings.Contains(src[from:], "/") {
		return ""
	}
	defer func() {
		if recover() != nil {
			msg = ""
		}
	}()
	prg, err := parser.ParseFile(nil, "", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return ""
	}
	first := file.Idx(-1)
	jsast.Walk(prg, func(v reflect.Value) bool {
		l, ok := v.Interface().(*ast.RegExpLiteral)
		if !ok || (first >= 0 && l.Idx > first) {
			return !ok
		}
		// goja's parser takes an unterminated class at the end ("/[").
		if !jsast.RegExpTerminated(src, l) {
			first, msg = l.Idx, jsast.UnterminatedRegExp
		} else if err := jsregexp.Check(utf16.Encode([]rune(l.Pattern)), l.Flags); err != nil {
			first, msg = l.Idx, err.Error()
		}
		return false
	})
	return msg
}
