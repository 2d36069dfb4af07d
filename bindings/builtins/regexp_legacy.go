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
type regexpLegacy struct {
	ctor *goja.Object // %RegExp%
	// values are the slots' strings; all are the empty String at first.
	values [legacySlotCount]goja.String
	// invalid is set when the slots are empty
	// (InvalidateLegacyRegExpStaticProperties).
	invalid bool
	// disabled holds the RegExp objects whose [[LegacyFeaturesEnabled]] is
	// false: those allocated with a new.target other than %RegExp%.
	disabled *webidl.WeakTable[struct{}]
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
	if v := x.legacy.values[slot]; v != nil {
		return v
	}
	return x.vm.ToValue("")
}

// legacySet is SetLegacyRegExpStaticProperty(%RegExp%, this, slot, v).
func (x *regexpRealm) legacySet(this goja.Value, slot int, v goja.Value) {
	if this != x.legacy.ctor {
		panic(x.vm.NewTypeError("RegExp legacy static property setter called on an object that is not %RegExp%"))
	}
	x.legacy.values[slot] = x.toString(v)
}

// legacyMatched takes the steps RegExpBuiltinExec adds after R matched in
// (https://github.com/tc39/proposal-regexp-legacy-features#regexpbuiltinexec--r-s-):
// UpdateLegacyRegExpStaticProperties(%RegExp%, S, start, end, captures)
// if R has legacy features enabled, InvalidateLegacyRegExpStaticProperties
// otherwise.
func (x *regexpRealm) legacyMatched(R *goja.Object, m *regexpMatcher, in *matchInput, match *regexp2.Match) {
	if !x.legacyEnabled(R) {
		x.legacy.invalid = true
		x.legacy.values = [legacySlotCount]goja.String{}
		return
	}
	S := in.s
	start, end := in.units[match.RuneIndex], in.units[match.RuneIndex+match.RuneLength]
	v := &x.legacy.values
	x.legacy.invalid = false
	v[legacyInput] = S
	v[legacyLastMatch] = S.Substring(start, end)
	v[legacyLeftContext] = S.Substring(0, start)
	v[legacyRightContext] = S.Substring(end, S.Length())
	// A group that did not participate is the empty String, as in the
	// engines (the proposal asserts that every captured value is a String).
	n := m.t.Captures
	capture := func(i int) goja.String {
		if g := m.t.Group(match, i); g != nil {
			return S.Substring(in.units[g.RuneIndex], in.units[g.RuneIndex+g.RuneLength])
		}
		return nil
	}
	v[legacyLastParen] = nil
	if n > 0 {
		v[legacyLastParen] = capture(n)
	}
	for i := 1; i <= 9; i++ {
		v[legacyParen1+i-1] = nil
		if i <= n {
			v[legacyParen1+i-1] = capture(i)
		}
	}
}
