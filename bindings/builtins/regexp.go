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
// parsed and translated once per process (regexp_syntax.go) into one regexp2
// runs, and exec (RegExpBuiltinExec) runs it in attempts that look for an
// interrupt between them (regexp_match.go).

//go:embed js/regexp.js
var regexpSource string

var regexpProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:regexp.js", regexpSource, true)
})

// regexpRealm is what a realm's RegExp needs from Go.
type regexpRealm struct {
	realm  *webidl.Realm
	vm     *goja.Runtime
	inputs inputCache
	// ctx is the context of the script's current run, if known: its
	// deadline bounds an attempt at a match.
	ctx   func() context.Context
	probe goja.Callable
	// stopped is the interrupt the probe found.
	stopped error
}

// installRegExp replaces RegExp.
func installRegExp(env *bindings.Env) error {
	vm := env.Realm.VM()
	x := &regexpRealm{realm: env.Realm, vm: vm}
	if l := env.Loop; l != nil {
		x.ctx = l.Context
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
		"compile": x.compile, "exec": x.exec, "escapeSource": x.escapeSource,
	} {
		if err := native.Set(name, f); err != nil {
			return err
		}
	}
	probe, err := setup(goja.Undefined(), native)
	if err != nil {
		return err
	}
	if x.probe, ok = goja.AssertFunction(probe); !ok {
		return fmt.Errorf("builtins: regexp.js returned no probe")
	}
	return nil
}

// compile(source, flags) returns the matcher for them, or the message of the
// SyntaxError (https://tc39.es/ecma262/#sec-regexpinitialize steps 4-12).
// Nothing the pattern holds makes it panic: a panic is the SyntaxError.
func (x *regexpRealm) compile(call goja.FunctionCall) (v goja.Value) {
	defer func() {
		if p := recover(); p != nil {
			v = x.vm.ToValue(fmt.Sprintf("Invalid regular expression: %v", p))
		}
	}()
	f, ok := parseFlags(call.Argument(1).String())
	if !ok {
		return x.vm.ToValue(fmt.Sprintf("Invalid flags supplied to RegExp constructor '%s'", call.Argument(1).String()))
	}
	m, err := compileMatcher(stringUnits(call.Argument(0).(goja.String)), f)
	if err != nil {
		return x.vm.ToValue(err.Error())
	}
	return x.vm.ToValue(m)
}

// exec(R, matcher, S) is RegExpBuiltinExec
// (https://tc39.es/ecma262/#sec-regexpbuiltinexec).
func (x *regexpRealm) exec(call goja.FunctionCall) goja.Value {
	R := call.Argument(0).(*goja.Object)
	m := call.Argument(1).Export().(*regexpMatcher)
	S := call.Argument(2).(goja.String)
	length := S.Length()
	// Steps 2-9.
	lastIndex := float64(toLength(R.Get("lastIndex").ToNumber()))
	f := m.flags
	global, sticky, hasIndices := f.g, f.y, f.d
	fullUnicode := f.u || f.v
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
	in := x.inputs.get(S, fullUnicode)
	start := in.charIndex(int(lastIndex))
	var ctx context.Context
	if x.ctx != nil {
		ctx = x.ctx()
	}
	match, stopped, err := m.run(in, start, sticky, ctx, x.interrupted)
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
	// Steps 14-16: the match starts at lastIndex when it starts at the
	// character holding it.
	index := in.units[match.RuneIndex]
	if match.RuneIndex == start {
		index = int(lastIndex)
	}
	e := in.units[match.RuneIndex+match.RuneLength]
	if global || sticky {
		x.setLastIndex(R, e)
	}
	return x.result(m, in, match, index, hasIndices)
}

// result builds the match array of RegExpBuiltinExec steps 18-35.
func (x *regexpRealm) result(m *regexpMatcher, in *matchInput, match *regexp2.Match, index int, hasIndices bool) goja.Value {
	vm := x.vm
	S := in.s // the string matched, or one with the same code units
	n := m.t.captures
	values := make([]any, n+1)
	bounds := make([][2]int, n+1)
	values[0] = S.Substring(index, in.units[match.RuneIndex+match.RuneLength])
	bounds[0] = [2]int{index, in.units[match.RuneIndex+match.RuneLength]}
	for i := 1; i <= n; i++ {
		g := match.GroupByNumber(i)
		if g == nil || len(g.Captures) == 0 {
			values[i] = goja.Undefined()
			bounds[i] = [2]int{-1, -1}
			continue
		}
		s, e := in.units[g.RuneIndex], in.units[g.RuneIndex+g.RuneLength]
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
	if m.t.hasNames {
		groups = vm.NewObject()
		groups.SetPrototype(nil)
		matched := map[string]bool{}
		for i, name := range m.t.names {
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
	_, err := x.probe(goja.Undefined())
	if _, ok := err.(*goja.InterruptedError); ok {
		x.stopped = err
		return true
	}
	return false
}

// escapeSource(source) is EscapeRegExpPattern
// (https://tc39.es/ecma262/#sec-escaperegexppattern): "/" outside classes
// and line terminators are escaped, and the empty pattern is "(?:)".
func (x *regexpRealm) escapeSource(call goja.FunctionCall) goja.Value {
	s := call.Argument(0).(goja.String)
	if s.Length() == 0 {
		return x.vm.ToValue("(?:)")
	}
	units := stringUnits(s)
	var out []uint16
	inClass := false
	changed := false
	for i := 0; i < len(units); i++ {
		c := units[i]
		switch {
		case c == '\\' && i+1 < len(units):
			out = append(out, c)
			i++
			c = units[i]
			if esc, ok := lineTerminatorEscape(c); ok {
				out = append(out, esc[1:]...)
				changed = true
				continue
			}
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			out = append(out, '\\')
			changed = true
		default:
			if esc, ok := lineTerminatorEscape(c); ok {
				out = append(out, esc...)
				changed = true
				continue
			}
		}
		out = append(out, c)
	}
	if !changed {
		return s
	}
	return goja.StringFromUTF16(out)
}

func lineTerminatorEscape(c uint16) ([]uint16, bool) {
	switch c {
	case '\n':
		return []uint16{'\\', 'n'}, true
	case '\r':
		return []uint16{'\\', 'r'}, true
	case 0x2028:
		return []uint16{'\\', 'u', '2', '0', '2', '8'}, true
	case 0x2029:
		return []uint16{'\\', 'u', '2', '0', '2', '9'}, true
	}
	return nil, false
}
