package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// regexpKey finds a realm's regexpRealm with webidl.Realm.Data.
type regexpKey struct{}

func regexpsOf(realm *webidl.Realm) *regexpRealm {
	x, _ := realm.Data(regexpKey{}).(*regexpRealm)
	return x
}

// RegExpOf returns the [[OriginalSource]] and [[OriginalFlags]] of o if it
// is a RegExp object and the built-ins are installed in realm; ok is false
// otherwise. The built-ins keep these slots for the RegExp objects their
// constructor makes, which goja's getters do not see.
func RegExpOf(realm *webidl.Realm, o *goja.Object) (source goja.String, flags string, ok bool) {
	x := regexpsOf(realm)
	if x == nil {
		return nil, "", false
	}
	s := x.slotsOf(o)
	if s == nil {
		return nil, "", false
	}
	return s.source, s.flags, true
}

// NewRegExp returns a new RegExp object of realm made with (source, flags)
// by the built-ins' RegExp constructor (RegExpCreate,
// https://tc39.es/ecma262/#sec-regexpcreate); ok is false if the built-ins
// are not installed in realm.
func NewRegExp(realm *webidl.Realm, source goja.String, flags string) (o *goja.Object, ok bool, err error) {
	x := regexpsOf(realm)
	if x == nil || x.ctor == nil {
		return nil, false, nil
	}
	o, err = x.ctor(nil, source, x.vm.ToValue(flags))
	return o, true, err
}
