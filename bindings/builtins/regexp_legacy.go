package builtins

import (
	"fmt"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// The legacy static properties of RegExp (RegExp.$1-$9, input, lastMatch,
// lastParen, leftContext, rightContext and their short names) and the
// restriction of RegExp.prototype.compile, as the legacy RegExp features
// proposal specifies them (https://github.com/tc39/proposal-regexp-legacy-features):
// each successful match of a RegExp object the realm's own %RegExp% allocated
// updates the values; a match of one a subclass allocated (its
// [[LegacyFeaturesEnabled]] is false) makes them unreadable until the next
// update; the accessors throw a TypeError for any receiver other than
// %RegExp%. A goja runtime is one realm, so the proposal's comparisons of
// realms always hold.

// Indices of the values of %RegExp%'s legacy slots in regexpLegacy.values.
const (
	legacyInput = iota
	legacyLastMatch
	legacyLastParen
	legacyLeftContext
	legacyRightContext
	legacyParen1    // through legacyParen1+8, [[RegExpParen9]]
	legacySlotCount = legacyParen1 + 9
)

// legacyAccessorNames name the accessors of each slot: the long name first,
// if any, then the short one.
var legacyAccessorNames = [legacySlotCount][]string{
	legacyInput:        {"input", "$_"},
	legacyLastMatch:    {"lastMatch", "$&"},
	legacyLastParen:    {"lastParen", "$+"},
	legacyLeftContext:  {"leftContext", "$`"},
	legacyRightContext: {"rightContext", "$'"},
}

// regexpLegacy is the state of a realm's %RegExp% the legacy features keep.
// The slots but [[RegExpInput]] are substrings of the last match's input,
// kept as their bounds and made when read, so that a match costs no copy of
// its input.
type regexpLegacy struct {
	ctor *goja.Object // %RegExp%
	// input is [[RegExpInput]]; nil is the empty String, as all slots are at
	// first.
	input goja.String
	// last is the match the other slots are from, if matched.
	last    legacyMatch
	matched bool
	// invalid is set when the slots are empty
	// (InvalidateLegacyRegExpStaticProperties).
	invalid bool
	// disabled holds the RegExp objects whose [[LegacyFeaturesEnabled]] is
	// false: those allocated with a new.target other than %RegExp%.
	disabled *webidl.WeakTable[struct{}]
}

// A legacyMatch holds the bounds in s of the substrings that are the values
// of %RegExp%'s slots after a match: a bound of -1 is the empty String.
type legacyMatch struct {
	s          goja.String
	start, end int
	parens     [9][2]int // [[RegExpParen1]] to [[RegExpParen9]]
	lastParen  [2]int
}

// legacyNatives are the functions js/regexp.js calls for the legacy
// features: disableLegacy(O) in RegExpAlloc when new.target is not
// %RegExp%, and legacyEnabled(O) in RegExp.prototype.compile.
func (x *regexpRealm) legacyNatives() map[string]func(goja.FunctionCall) goja.Value {
	x.legacy.disabled = webidl.NewWeakTable[struct{}]()
	return map[string]func(goja.FunctionCall) goja.Value{
		"disableLegacy": func(call goja.FunctionCall) goja.Value {
			x.legacy.disabled.Set(call.Argument(0).(*goja.Object), struct{}{})
			return goja.Undefined()
		},
		"legacyEnabled": func(call goja.FunctionCall) goja.Value {
			return x.vm.ToValue(x.legacyEnabled(call.Argument(0).(*goja.Object)))
		},
	}
}

func (x *regexpRealm) legacyEnabled(R *goja.Object) bool {
	_, off := x.legacy.disabled.Get(R)
	return !off
}

// defineLegacyStatics defines the accessors on ctor, %RegExp%: all
// configurable and not enumerable, with a setter for input and $_ only. A
// slot's long and short names share their functions, named for the long
// one: Function.prototype.toString of a function named "get $&" would not
// be the NativeFunction syntax its spec requires.
func (x *regexpRealm) defineLegacyStatics(ctor *goja.Object) error {
	x.legacy.ctor = ctor
	vm := x.vm
	for slot := range legacySlotCount {
		names := legacyAccessorNames[slot]
		if slot >= legacyParen1 {
			names = []string{fmt.Sprintf("$%d", slot-legacyParen1+1)}
		}
		get := webidl.NewFunction(vm, "get "+names[0], 0, func(call goja.FunctionCall) goja.Value {
			return x.legacyGet(call.This, slot)
		})
		var set goja.Value // none
		if slot == legacyInput {
			set = webidl.NewFunction(vm, "set "+names[0], 1, func(call goja.FunctionCall) goja.Value {
				x.legacySet(call.This, slot, call.Argument(0))
				return goja.Undefined()
			})
		}
		for _, name := range names {
			if err := ctor.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	return nil
}

// legacyGet is GetLegacyRegExpStaticProperty(%RegExp%, this, slot).
func (x *regexpRealm) legacyGet(this goja.Value, slot int) goja.Value {
	// 2. The receiver must be %RegExp% itself.
	if this != x.legacy.ctor {
		panic(x.vm.NewTypeError("RegExp legacy static property getter called on an object that is not %RegExp%"))
	}
	// 3-4. Empty after a match of a RegExp without legacy features.
	if x.legacy.invalid {
		panic(x.vm.NewTypeError("RegExp legacy static properties are not available after a match of a RegExp subclass"))
	}
	if v := x.legacy.value(slot); v != nil {
		return v
	}
	return x.vm.ToValue("")
}

// value is the string in slot, or nil for the empty String.
func (l *regexpLegacy) value(slot int) goja.String {
	m := &l.last
	if slot == legacyInput || !l.matched {
		return l.input
	}
	sub := func(b [2]int) goja.String {
		if b[0] < 0 {
			return nil
		}
		return m.s.Substring(b[0], b[1])
	}
	switch slot {
	case legacyLastMatch:
		return sub([2]int{m.start, m.end})
	case legacyLastParen:
		return sub(m.lastParen)
	case legacyLeftContext:
		return sub([2]int{0, m.start})
	case legacyRightContext:
		return sub([2]int{m.end, m.s.Length()})
	}
	return sub(m.parens[slot-legacyParen1])
}

// legacySet is SetLegacyRegExpStaticProperty(%RegExp%, this, slot, v).
func (x *regexpRealm) legacySet(this goja.Value, slot int, v goja.Value) {
	if this != x.legacy.ctor {
		panic(x.vm.NewTypeError("RegExp legacy static property setter called on an object that is not %RegExp%"))
	}
	x.legacy.input = x.toString(v) // the one slot with a setter
}

// legacyMatched takes the steps RegExpBuiltinExec adds after R matched in
// (https://github.com/tc39/proposal-regexp-legacy-features#regexpbuiltinexec--r-s-):
// UpdateLegacyRegExpStaticProperties(%RegExp%, S, start, end, captures)
// if R has legacy features enabled, InvalidateLegacyRegExpStaticProperties
// otherwise.
func (x *regexpRealm) legacyMatched(R *goja.Object, m *regexpMatcher, in *matchInput, match *regexp2.Match) {
	l := &x.legacy
	if !x.legacyEnabled(R) {
		l.invalid, l.input, l.matched = true, nil, false
		return
	}
	bounds := func(g *regexp2.Group) [2]int {
		if g == nil {
			// A group that did not participate: the empty String, as in
			// the engines (the proposal asserts that every captured value
			// is a String).
			return [2]int{-1, -1}
		}
		return [2]int{in.unit(g.RuneIndex), in.unit(g.RuneIndex + g.RuneLength)}
	}
	last := &l.last
	last.s, last.lastParen = in.s, [2]int{-1, -1}
	b := bounds(&match.Group)
	last.start, last.end = b[0], b[1]
	n := m.t.Captures
	if n > 0 {
		last.lastParen = bounds(m.t.Group(match, n))
	}
	for i := range last.parens {
		last.parens[i] = [2]int{-1, -1}
		if i < n {
			last.parens[i] = bounds(m.t.Group(match, i+1))
		}
	}
	l.invalid, l.input, l.matched = false, in.s, true
}
