package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has neither String.prototype.isWellFormed nor toWellFormed
// (ECMAScript 2024). They are added as methods with the spec's name, length
// and attributes; both take the string's UTF-16 code units from goja.String,
// which holds them as they are, lone surrogates included.

// installWellFormed defines String.prototype.isWellFormed and toWellFormed.
func installWellFormed(realm *webidl.Realm) error {
	vm := realm.VM()
	proto := webidl.Intrinsics{VM: vm}.Object("String", "prototype")
	for _, m := range []struct {
		name string
		f    func(goja.String) goja.Value
	}{
		{"isWellFormed", func(s goja.String) goja.Value { return vm.ToValue(loneSurrogate(s, 0) < 0) }},
		{"toWellFormed", toWellFormed},
	} {
		f := webidl.NewFunction(vm, m.name, 0, func(call goja.FunctionCall) goja.Value {
			return m.f(thisString(realm, call.This))
		})
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// thisString is the first two steps of both methods: RequireObjectCoercible
// of the this value, then ToString of it
// (https://tc39.es/ecma262/#sec-string.prototype.iswellformed).
func thisString(realm *webidl.Realm, this goja.Value) goja.String {
	if goja.IsUndefined(this) || goja.IsNull(this) {
		panic(realm.VM().NewTypeError("String.prototype method called on null or undefined"))
	}
	return stringBound{realm: realm}.toString(this)
}

// loneSurrogate returns the index of the first code unit at or after from
// that is a surrogate not part of a pair, or -1
// (https://tc39.es/ecma262/#sec-isstringwellformedunicode).
func loneSurrogate(s goja.String, from int) int {
	n := s.Length()
	for i := from; i < n; i++ {
		c := s.CharAt(i)
		switch {
		case c < 0xD800 || c > 0xDFFF:
		case c <= 0xDBFF && i+1 < n && s.CharAt(i+1) >= 0xDC00 && s.CharAt(i+1) <= 0xDFFF:
			i++ // a pair
		default:
			return i
		}
	}
	return -1
}

// toWellFormed is String.prototype.toWellFormed's steps from the third on
// (https://tc39.es/ecma262/#sec-string.prototype.towellformed): each lone
// surrogate becomes U+FFFD. A well-formed string is returned as it is.
func toWellFormed(s goja.String) goja.Value {
	i := loneSurrogate(s, 0)
	if i < 0 {
		return s
	}
	units := make([]uint16, s.Length())
	for j := range units {
		units[j] = s.CharAt(j)
	}
	for ; i >= 0; i = loneSurrogate(s, i+1) {
		units[i] = 0xFFFD
	}
	return goja.StringFromUTF16(units)
}
