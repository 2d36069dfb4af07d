package builtins

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// goja's RegExp lacks property escapes, the v and d flags and duplicate named
// groups, panics on some patterns regexp2 rejects, and cannot be stopped
// while it matches: goja sees an interrupt only between instructions, and a
// match is one. So RegExp is replaced (js/regexp.js) by a constructor whose
// instances are goja RegExp objects matched here instead: the pattern is
// parsed and translated once per process (package jsregexp) into one regexp2
// runs, and exec (RegExpBuiltinExec) runs it in attempts that look for an
// interrupt between them (regexp_match.go).

//go:embed js/regexp.js
var regexpSource string

var regexpProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:regexp.js", regexpSource)
})

// regexpRealm is what a realm's RegExp needs from Go.
type regexpRealm struct {
	realm  *webidl.Realm
	vm     *goja.Runtime
	proto  *goja.Object // RegExp.prototype
	slots  slotTable
	inputs inputCache
	// gojaGetters are goja's getters of RegExp.prototype, which read goja's
	// slots of the RegExp objects goja makes.
	gojaGetters     map[string]func(o *goja.Object) (goja.Value, error)
	syntaxErrorCtor goja.Constructor
	// ctx is the context of the script's current run, if known: its
	// deadline bounds an attempt at a match.
	ctx func() context.Context
	// poll is the probe of interrupts the loops in Go use (interrupt.go):
	// it counts matches too, as goja's Symbol.match, replace and matchAll
	// run exec in a loop of their own in Go, in which goja sees no interrupt.
	poll *poller
	// stopped is the interrupt the probe found.
	stopped error
	legacy  regexpLegacy // regexp_legacy.go
	// ctor is the RegExp constructor the built-ins define (regexpinfo.go).
	ctor goja.Constructor
	// ownProperty is Reflect.getOwnPropertyDescriptor, which
	// regexp_symbols.go looks up exec with (execKey).
	ownProperty func(goja.FunctionCall) goja.Value
	execKey     goja.Value
}

// installRegExp replaces RegExp and the methods and getters of
// RegExp.prototype that read a RegExp object's slots.
func installRegExp(env *bindings.Env) error {
	vm := env.Realm.VM()
	in := webidl.Intrinsics{VM: vm}
	x := &regexpRealm{realm: env.Realm, vm: vm, proto: in.Object("RegExp", "prototype"), gojaGetters: map[string]func(*goja.Object) (goja.Value, error){}}
	if l := env.Loop; l != nil {
		x.ctx = l.Context
	}
	var ok bool
	if x.syntaxErrorCtor, ok = goja.AssertConstructor(vm.Get("SyntaxError")); !ok {
		return fmt.Errorf("builtins: SyntaxError is not a constructor")
	}
	for _, name := range []string{"source", "global", "ignoreCase", "multiline", "dotAll", "unicode", "sticky"} {
		get := in.Getter(x.proto, vm.ToValue(name))
		if get == nil {
			return fmt.Errorf("builtins: RegExp.prototype.%s has no getter", name)
		}
		x.gojaGetters[name] = func(o *goja.Object) (goja.Value, error) { return get(o) }
	}
	fn, err := vm.RunProgram(regexpProgram())
	if err != nil {
		return err
	}
	setup, ok := goja.AssertFunction(fn)
	if !ok {
		return fmt.Errorf("builtins: regexp.js is not a function")
	}
	native := vm.NewObject()
	for name, f := range map[string]func(goja.FunctionCall) goja.Value{
		"slotsOf": x.jsSlotsOf, "initialize": x.jsInitialize, "builtinExec": x.builtinExec, "splitFind": x.splitFind,
		"isConstructor": func(c goja.FunctionCall) goja.Value {
			_, ok := goja.AssertConstructor(c.Argument(0))
			return vm.ToValue(ok)
		},
	} {
		if err := native.Set(name, f); err != nil {
			return err
		}
	}
	for name, f := range x.legacyNatives() {
		if err := native.Set(name, f); err != nil {
			return err
		}
	}
	if err := x.defineProto(); err != nil {
		return err
	}
	if _, err := setup(goja.Undefined(), native); err != nil {
		return err
	}
	if err := x.defineSymbolMethods(native.Get("regexpSteps")); err != nil {
		return err
	}
	// The constructor setup defined, read from the global object: where
	// webidl.Intrinsics keeps what goja defined (a realm that defers its
	// bindings), it would give goja's own RegExp.
	ctor, ok := vm.Get("RegExp").(*goja.Object)
	if !ok {
		return fmt.Errorf("builtins: regexp.js defined no RegExp")
	}
	if err := x.defineLegacyStatics(ctor); err != nil {
		return err
	}
	poll := env.Realm.Poller()
	x.poll = poll
	x.ctor, _ = goja.AssertConstructor(ctor)
	env.Realm.SetData(regexpKey{}, x)
	return nil
}

// defineProto defines exec, test and the getters on RegExp.prototype.
func (x *regexpRealm) defineProto() error {
	vm := x.vm
	for _, m := range []struct {
		name   string
		length int
		f      func(goja.FunctionCall) goja.Value
	}{{"exec", 1, x.exec}, {"test", 1, x.test}} {
		f := webidl.NewFunction(vm, m.name, m.length, m.f)
		if err := x.proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	getters := []struct {
		name string
		f    func(goja.FunctionCall) goja.Value
	}{{"source", x.getSource}, {"flags", x.getFlags}}
	for _, f := range []struct {
		name   string
		letter byte
	}{{"hasIndices", 'd'}, {"global", 'g'}, {"ignoreCase", 'i'}, {"multiline", 'm'},
		{"dotAll", 's'}, {"unicode", 'u'}, {"unicodeSets", 'v'}, {"sticky", 'y'}} {
		getters = append(getters, struct {
			name string
			f    func(goja.FunctionCall) goja.Value
		}{f.name, x.flagGetter(f.name, f.letter)})
	}
	for _, g := range getters {
		get := webidl.NewFunction(vm, "get "+g.name, 0, g.f)
		if err := x.proto.DefineAccessorProperty(g.name, get, nil, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// jsSlotsOf(v) is [source, flags] of v's slots, or undefined.
func (x *regexpRealm) jsSlotsOf(call goja.FunctionCall) goja.Value {
	s := x.slotsOf(call.Argument(0))
	if s == nil {
		return goja.Undefined()
	}
	return x.vm.NewArray(s.source, s.flags)
}

// jsInitialize(O, P, F) sets O's slots for P and F, strings, or throws the
// SyntaxError (https://tc39.es/ecma262/#sec-regexpinitialize).
func (x *regexpRealm) jsInitialize(call goja.FunctionCall) goja.Value {
	s, msg := x.initialize(call.Argument(1).(goja.String), call.Argument(2).String())
	if s == nil {
		panic(x.syntaxError(msg))
	}
	x.slots.set(call.Argument(0).(*goja.Object), s)
	return goja.Undefined()
}

// exec is RegExp.prototype.exec (https://tc39.es/ecma262/#sec-regexp.prototype.exec).
func (x *regexpRealm) exec(call goja.FunctionCall) goja.Value {
	s := x.thisSlots(call.This, "exec")
	return x.builtinExecSlots(call.This.(*goja.Object), s, x.toString(call.Argument(0)))
}

// test is RegExp.prototype.test (https://tc39.es/ecma262/#sec-regexp.prototype.test).
func (x *regexpRealm) test(call goja.FunctionCall) goja.Value {
	R, ok := call.This.(*goja.Object)
	if !ok {
		panic(x.vm.NewTypeError("Method RegExp.prototype.test called on incompatible receiver %s", call.This.String()))
	}
	S := x.toString(call.Argument(0))
	return x.vm.ToValue(!goja.IsNull(x.regExpExec(R, S)))
}

// regExpExec is RegExpExec (https://tc39.es/ecma262/#sec-regexpexec).
func (x *regexpRealm) regExpExec(R *goja.Object, S goja.String) goja.Value {
	if exec, ok := goja.AssertFunction(R.Get("exec")); ok {
		result, err := exec(R, S)
		if err != nil {
			panic(err)
		}
		if _, ok := result.(*goja.Object); !ok && !goja.IsNull(result) {
			panic(x.vm.NewTypeError("exec returned neither an object nor null"))
		}
		return result
	}
	return x.builtinExecSlots(R, x.thisSlots(R, "exec"), S)
}

// builtinExec(R, S) is RegExpBuiltinExec for regexp.js.
func (x *regexpRealm) builtinExec(call goja.FunctionCall) goja.Value {
	return x.builtinExecSlots(call.Argument(0).(*goja.Object), x.thisSlots(call.Argument(0), "exec"), call.Argument(1).(goja.String))
}

// splitFind(R, S, q) finds the first match of R's pattern at or after q, as
// Symbol.split's loop would by trying its sticky splitter at q, q+1, ...:
// [start, end, captures...], or null. regexp.js calls it only when trying
// the splitter runs no script (its exec is RegExp.prototype.exec).
func (x *regexpRealm) splitFind(call goja.FunctionCall) goja.Value {
	R := call.Argument(0).(*goja.Object)
	m := x.matcher(x.thisSlots(R, "exec"))
	S := call.Argument(1).(goja.String)
	in := x.inputs.get(S, m.flags.Unicode(), x.poll)
	start := in.charIndex(int(call.Argument(2).ToInteger()))
	var ctx context.Context
	if x.ctx != nil {
		ctx = x.ctx()
	}
	match, stopped, err := m.run(in, start, false, ctx, x.interrupted)
	switch {
	case stopped:
		panic(x.stopped)
	case err != nil:
		panic(x.realm.NewRangeError("Maximum call stack size exceeded"))
	case match == nil:
		return goja.Null()
	}
	if in.unit(match.RuneIndex) < S.Length() {
		// Symbol.split's exec of the splitter would have matched here.
		x.legacyMatched(R, m, in, match)
	}
	out := []any{in.unit(match.RuneIndex), in.unit(match.RuneIndex + match.RuneLength)}
	for i := 1; i <= m.t.Captures; i++ {
		if g := m.t.Group(match, i); g != nil {
			out = append(out, S.Substring(in.unit(g.RuneIndex), in.unit(g.RuneIndex+g.RuneLength)))
		} else {
			out = append(out, goja.Undefined())
		}
	}
	return x.vm.NewArray(out...)
}

// toString is ToString (https://tc39.es/ecma262/#sec-tostring).
func (x *regexpRealm) toString(v goja.Value) goja.String {
	switch p := v.ToString().(type) {
	case goja.String:
		return p
	case *goja.Symbol:
		panic(x.vm.NewTypeError("Cannot convert a Symbol value to a string"))
	default:
		return x.vm.ToValue(p.String()).(goja.String)
	}
}

// builtinExecSlots is RegExpBuiltinExec
// (https://tc39.es/ecma262/#sec-regexpbuiltinexec).
func (x *regexpRealm) builtinExecSlots(R *goja.Object, slots *regexpSlots, S goja.String) goja.Value {
	x.poll.Step()
	m := x.matcher(slots)
	length := S.Length()
	// Steps 2-9.
	lastIndex := float64(toLength(R.Get("lastIndex").ToNumber()))
	f := m.flags
	global, sticky, hasIndices := f.G, f.Y, f.D
	fullUnicode := f.Unicode()
	if !global && !sticky {
		lastIndex = 0
	}
	// Steps 10-13.
	if lastIndex > float64(length) {
		if global || sticky {
			x.setLastIndex(R, 0)
		}
		return goja.Null()
	}
	in := x.inputs.get(S, fullUnicode, x.poll)
	start := in.charIndex(int(lastIndex))
	var ctx context.Context
	if x.ctx != nil {
		ctx = x.ctx()
	}
	match, stopped, err := m.run(in, start, sticky, ctx, x.interrupted)
	if match != nil && match.RuneIndex == start && match.RuneLength == 0 && in.unit(start) < int(lastIndex) {
		// An empty match in the character whose second half lastIndex is
		// at: it would end before lastIndex (and goja's Symbol.match,
		// replace and matchAll, which step over empty matches one code unit
		// at a time with the v flag, would find it again), so the search
		// goes on from the next character, as V8's does.
		match = nil
		if !sticky && start < len(in.chars) {
			match, stopped, err = m.run(in, start+1, false, ctx, x.interrupted)
		}
	}
	switch {
	case stopped:
		panic(x.stopped)
	case err != nil:
		panic(x.realm.NewRangeError("Maximum call stack size exceeded"))
	case match == nil:
		if global || sticky {
			x.setLastIndex(R, 0)
		}
		return goja.Null()
	}
	// Steps 14-17. The match starts where its first character does, as in
	// V8, even when lastIndex was inside that character (a surrogate pair):
	// the spec's match record would then start after it ends.
	index := in.unit(match.RuneIndex)
	e := in.unit(match.RuneIndex + match.RuneLength)
	if global || sticky {
		x.setLastIndex(R, e)
	}
	A := x.result(m, in, match, index, hasIndices)
	x.legacyMatched(R, m, in, match)
	return A
}

// result builds the match array of RegExpBuiltinExec steps 18-35.
func (x *regexpRealm) result(m *regexpMatcher, in *matchInput, match *regexp2.Match, index int, hasIndices bool) goja.Value {
	vm := x.vm
	S := in.s // the string matched, or one with the same code units
	n := m.t.Captures
	values := make([]any, n+1)
	bounds := make([][2]int, n+1)
	values[0] = S.Substring(index, in.unit(match.RuneIndex+match.RuneLength))
	bounds[0] = [2]int{index, in.unit(match.RuneIndex + match.RuneLength)}
	for i := 1; i <= n; i++ {
		g := m.t.Group(match, i)
		if g == nil {
			values[i] = goja.Undefined()
			bounds[i] = [2]int{-1, -1}
			continue
		}
		s, e := in.unit(g.RuneIndex), in.unit(g.RuneIndex+g.RuneLength)
		values[i] = S.Substring(s, e)
		bounds[i] = [2]int{s, e}
	}
	A := vm.NewArray(values...)
	define := func(o *goja.Object, name string, v any) {
		if err := o.DefineDataProperty(name, vm.ToValue(v), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(err)
		}
	}
	define(A, "index", index)
	define(A, "input", S)
	var groups *goja.Object
	groupNames := make([]string, n)
	if m.t.HasNames {
		groups = vm.NewObject()
		groups.SetPrototype(nil)
		matched := map[string]bool{}
		for i, name := range m.t.Names {
			if name == "" || matched[name] {
				continue
			}
			if !goja.IsUndefined(vm.ToValue(values[i+1])) {
				matched[name] = true
			}
			define(groups, name, values[i+1])
			groupNames[i] = name
		}
		define(A, "groups", groups)
	} else {
		define(A, "groups", goja.Undefined())
	}
	if hasIndices {
		define(A, "indices", x.indices(bounds, groupNames, groups != nil))
	}
	return A
}

// indices is MakeMatchIndicesIndexPairArray
// (https://tc39.es/ecma262/#sec-makematchindicesindexpairarray).
func (x *regexpRealm) indices(bounds [][2]int, groupNames []string, hasGroups bool) *goja.Object {
	vm := x.vm
	pairs := make([]any, len(bounds))
	for i, b := range bounds {
		if b[0] < 0 {
			pairs[i] = goja.Undefined()
		} else {
			pairs[i] = vm.NewArray(b[0], b[1])
		}
	}
	A := vm.NewArray(pairs...)
	var groups goja.Value = goja.Undefined()
	if hasGroups {
		g := vm.NewObject()
		g.SetPrototype(nil)
		for i, name := range groupNames {
			if name != "" {
				_ = g.DefineDataProperty(name, vm.ToValue(pairs[i+1]), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			}
		}
		groups = g
	}
	_ = A.DefineDataProperty("groups", groups, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	return A
}

// setLastIndex is Set(R, "lastIndex", v, true).
func (x *regexpRealm) setLastIndex(R *goja.Object, v int) {
	if err := R.Set("lastIndex", v); err != nil {
		panic(err)
	}
}

// interrupted calls the probe: if script was interrupted, it fails with the
// *goja.InterruptedError, which is kept to be thrown on.
func (x *regexpRealm) interrupted() bool {
	err := x.poll.Interrupted()
	if _, ok := err.(*goja.InterruptedError); ok {
		x.stopped = err
		return true
	}
	return false
}
