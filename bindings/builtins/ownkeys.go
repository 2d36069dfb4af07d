package builtins

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja lists an object's own keys in one Go call, and a String object has a
// key per code unit, a typed array one per element: Object.keys of a string
// of 2^24 code units made 2^24 strings, over 400 MB, between two
// instructions, where neither a deadline nor Limits.HeapBytes (whose
// watchdog interrupts script between instructions) stops it, and a string
// of 2^27 units would have taken gigabytes more than the heap bound allows.
// The typed arrays whose length may change (viewproxy.go) list theirs twice, the
// trap's and the target's. V8 refuses to list more than 2^27-3 keys.
//
// So the built-ins that list the own keys of what they are given are
// replaced by ones that, for a string, a String object or a typed array of
// guardedKeys elements or more (or a Proxy whose target is one), first throw
// V8's RangeError past its limit, and then ask Options.HeapReserve for the
// heap the list will take; refused, the run ends as the heap bound ends it:
// the refusal interrupts the runtime, which the poller raises at once. The
// list itself is goja's, so the result is exactly the original's. Not
// guarded: object spread and rest of a string or String object ({...s}),
// which goja's interpreter copies in one instruction that calls no
// built-in and no trap (runtime.Limits.HeapBytes says so). A typed array's
// keys come from its ownKeys trap (viewproxy.go), a script loop the
// interrupt and the heap bound stop. A rewrite of the source could reach
// the spreads and the rest patterns that have an initializer, but not the
// rest patterns of parameters, catch clauses, loop heads or nested
// patterns, whose value no inserted call sees, so it was not made.

const (
	// guardedKeys is the count of keys from which an object's are guarded.
	guardedKeys = 1 << 16
	// maxEnumerableKeys is V8's limit (FixedArray::kMaxLength on 64-bit
	// systems), past which it throws "Too many properties to enumerate".
	maxEnumerableKeys = 1<<27 - 3
	tooManyKeys       = "Too many properties to enumerate"
)

// keyBytes and the others are the heap bytes a built-in takes per key it
// lists, about half what goja allocates (measured for a string of 2^20 code
// units: 108 bytes a key, 171 a value, 771 an entry, 995 a descriptor, 347 a
// property assigned), the rest being garbage the collector reclaims as the
// list grows.
const (
	// elementBytes is what an element of an array made from a list takes
	// (split's parts, JSON.parse's elements): its slot in the list and in
	// the array, and a small value.
	elementBytes    = 48
	keyBytes        = 64
	valueBytes      = 96
	entryBytes      = 384
	descriptorBytes = 512
	propertyBytes   = 192
)

// keyGuard replaces the built-ins that list own keys.
type keyGuard struct {
	realm       *webidl.Realm
	vm          *goja.Runtime
	poll        *poller
	reserveHeap func(bytes int64) bool
}

// guardOwnKeys installs the guarded built-ins in realm; reserve, if not
// nil, is Options.HeapReserve.
func guardOwnKeys(realm *webidl.Realm, reserve func(int64) bool) error {
	g := &keyGuard{realm: realm, vm: realm.VM(), poll: realm.Poller(), reserveHeap: reserve}
	realm.SetData(keyGuardKey{}, g)
	in := webidl.Intrinsics{VM: g.vm}
	object, reflectObj := in.Object("Object"), in.Object("Reflect")
	for _, m := range []struct {
		on       *goja.Object
		name     string
		perKey   int64
		listed   func(call goja.FunctionCall) []goja.Value // what has its keys listed
		onlyObjs bool                                      // primitives are not converted
	}{
		{object, "keys", keyBytes, first, false},
		{object, "values", valueBytes, first, false},
		{object, "entries", entryBytes, first, false},
		{object, "getOwnPropertyNames", keyBytes, first, false},
		{object, "getOwnPropertyDescriptors", descriptorBytes, first, false},
		{object, "assign", propertyBytes, rest, false},
		{object, "defineProperties", propertyBytes, second, false},
		{object, "create", propertyBytes, second, false},
		{object, "freeze", keyBytes, first, true},
		{object, "seal", keyBytes, first, true},
		{object, "isFrozen", keyBytes, first, true},
		{object, "isSealed", keyBytes, first, true},
		{reflectObj, "ownKeys", keyBytes, first, true},
	} {
		f, ok := m.on.Get(m.name).(*goja.Object)
		if !ok {
			return fmt.Errorf("builtins: %s is missing", m.name)
		}
		orig, ok := f.Export().(nativeFunc)
		if !ok {
			return fmt.Errorf("builtins: %s is not a native function", m.name)
		}
		perKey, listed, onlyObjs := m.perKey, m.listed, m.onlyObjs
		wrapped := func(call goja.FunctionCall) goja.Value {
			var n int64
			for _, v := range listed(call) {
				n += g.keys(v, onlyObjs)
			}
			if n >= guardedKeys {
				g.check(n, perKey)
			}
			return orig(call)
		}
		r := webidl.NewFunction(g.vm, m.name, int(f.Get("length").ToInteger()), wrapped)
		if err := m.on.DefineDataProperty(m.name, r, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// keyGuardKey keys a realm's keyGuard in its data.
type keyGuardKey struct{}

// keyGuardOf returns realm's keyGuard, or nil before guardOwnKeys.
func keyGuardOf(realm *webidl.Realm) *keyGuard {
	g, _ := realm.Data(keyGuardKey{}).(*keyGuard)
	return g
}

// listing guards what listing the own keys of v takes, as the guarded
// built-ins do, for code that lists them otherwise (JSON.stringify's
// serialization of an object). A nil g guards nothing.
func (g *keyGuard) listing(v goja.Value) {
	if g == nil {
		return
	}
	if n := g.keys(v, true); n >= guardedKeys {
		g.check(n, keyBytes)
	}
}

func first(call goja.FunctionCall) []goja.Value { return call.Arguments[:min(1, len(call.Arguments))] }
func second(call goja.FunctionCall) []goja.Value {
	return call.Arguments[min(1, len(call.Arguments)):min(2, len(call.Arguments))]
}
func rest(call goja.FunctionCall) []goja.Value { return call.Arguments[min(1, len(call.Arguments)):] }

// check throws V8's RangeError for n keys past its limit, and otherwise
// ends the run if the heap cannot take perKey bytes for each.
func (g *keyGuard) check(n, perKey int64) {
	if n > maxEnumerableKeys {
		panic(g.realm.NewRangeError(tooManyKeys))
	}
	g.reserve(n, perKey)
}

// growing asks for room for a list of n elements being made, each time n
// doubles from guardedKeys on: as much again as the list has.
func (g *keyGuard) growing(n int, perElement int64) {
	if n >= guardedKeys && n&(n-1) == 0 {
		g.reserve(int64(n), perElement)
	}
}

// reserve ends the run, as the heap bound ends it, if the heap cannot take
// perKey bytes for each of n keys (or elements). A nil g reserves nothing.
func (g *keyGuard) reserve(n, perKey int64) {
	if g == nil || g.reserveHeap == nil || g.reserveHeap(n*perKey) {
		return
	}
	// The refusal interrupted the runtime: raised here, it ends the run.
	if err := g.poll.Interrupted(); err != nil {
		panic(err)
	}
	panic(g.realm.NewRangeError(tooManyKeys))
}

// keys returns how many of the keys that listing v's own keys makes come
// from v's content: a string's code units, a typed array's elements, those
// of a Proxy's target (whose keys a Proxy lists even when a trap gives its
// own). It runs no script. A primitive counts only where the built-in
// converts it to an object (onlyObjs false).
func (g *keyGuard) keys(v goja.Value, onlyObjs bool) int64 {
	if s, ok := v.(goja.String); ok {
		if onlyObjs {
			return 0
		}
		return int64(s.Length())
	}
	o, ok := v.(*goja.Object)
	typed := typedArraysOf(g.realm) // nil before the typed arrays are installed
	for ok && o.ExportType() == proxyType {
		// This package's typed arrays are Proxies (viewproxy.go).
		if w := typed.ours(o); w != nil {
			return max(w.arrayLength(), 0)
		}
		o = o.Export().(goja.Proxy).Target()
		ok = o != nil
	}
	if !ok {
		return 0
	}
	if t := o.ExportType(); t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Interface {
		// One of goja's typed arrays (which export as slices of numbers;
		// arrays as slices of any), whose getters run no script.
		if w := typed.array(o); w != nil {
			return max(w.arrayLength(), 0)
		}
		return 0
	}
	if o.ClassName() == "String" {
		// An own data property that cannot change.
		return o.Get("length").ToInteger()
	}
	return 0
}
