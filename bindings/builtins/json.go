package builtins

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's JSON.stringify and JSON.parse (with a reviver) recurse in Go through
// nested values, and stringify looks for cycles by scanning every enclosing
// value at each level: a structure nested a million deep takes minutes, past
// any deadline, and deeper still reaches Go's fatal stack overflow, which no
// recover catches. V8 throws a RangeError there. JSON is replaced by
// functions with the same names, lengths and attributes that throw V8's
// RangeError "Maximum call stack size exceeded" past a nesting depth:
//
//   - stringify, without a replacer or with a replacer function, calls the
//     original with a replacer function of its own, which calls the script's
//     if there is one: a replacer function is called with each value before it
//     is serialized and with the object holding it as this, so it learns how
//     deep each object is. Without a script's replacer, the one added returns
//     each value as it is given, which the spec's steps cannot tell from no
//     replacer (https://tc39.es/ecma262/#sec-serializejsonproperty step 3).
//     With a replacer array (a property list), which a replacer function
//     cannot stand for, the steps are taken here (jsonserialize.go).
//   - parse converts its text to a string once, counts how deeply the text
//     nests (a count of brackets outside strings, which runs no script),
//     and calls the original without the reviver; a reviver is then applied
//     here (https://tc39.es/ecma262/#sec-internalizejsonproperty), since a
//     reviver can make what it walks deeper than the text. The reviver is
//     given the source text of the primitives it revives (jsonsource.go),
//     which is why parse is replaced without a bound too (maxDepth 0).

// stackExceeded is V8's message when a built-in nests too deeply.
const stackExceeded = "Maximum call stack size exceeded"

// jsonBound holds what the replacements need.
type jsonBound struct {
	realm    *webidl.Realm
	vm       *goja.Runtime
	maxDepth int
	poll     *poller
	guard    *keyGuard     // of what goja's serialization lists (ownkeys.go)
	isArray  goja.Callable // Array.isArray
	keys     goja.Callable // Object.keys: EnumerableOwnProperties(O, key)
	define   goja.Callable // Reflect.defineProperty
	remove   goja.Callable // Reflect.deleteProperty
	get      goja.Callable // Reflect.get
}

// boundJSON replaces JSON.stringify and JSON.parse with ones that throw a
// RangeError past maxDepth levels of nesting; with a maxDepth of 0, it
// replaces parse alone, with one that has no bound. A nil poll is the
// realm's.
func boundJSON(realm *webidl.Realm, maxDepth int, poll *poller) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	if poll == nil {
		// The parse polls whatever the bound (jsontext.go).
		poll = realm.Poller()
	}
	j := &jsonBound{
		realm: realm, vm: vm, maxDepth: maxDepth, poll: poll, guard: keyGuardOf(realm),
		isArray: in.Func("Array", "isArray"),
		keys:    in.Func("Object", "keys"),
		define:  in.Func("Reflect", "defineProperty"),
		remove:  in.Func("Reflect", "deleteProperty"),
		get:     in.Func("Reflect", "get"),
	}
	json := in.Object("JSON")
	for _, m := range []struct {
		name string
		wrap func(nativeFunc) nativeFunc
	}{{"stringify", j.stringify}, {"parse", j.parse}} {
		if maxDepth <= 0 && m.name == "stringify" {
			continue
		}
		o, ok := json.Get(m.name).(*goja.Object)
		if !ok {
			return fmt.Errorf("builtins: JSON.%s is missing", m.name)
		}
		orig, ok := o.Export().(nativeFunc)
		if !ok {
			return fmt.Errorf("builtins: JSON.%s is not a native function", m.name)
		}
		f := webidl.NewFunction(vm, m.name, int(o.Get("length").ToInteger()), m.wrap(orig))
		if err := json.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// tooDeep throws V8's RangeError.
func (j *jsonBound) tooDeep() {
	panic(j.realm.NewRangeError(stackExceeded))
}

// call calls f and panics with what it throws. (Some of goja's built-ins
// return nil for undefined.)
func call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	if v == nil {
		return goja.Undefined()
	}
	return v
}

// stringify wraps JSON.stringify (https://tc39.es/ecma262/#sec-json.stringify).
func (j *jsonBound) stringify(orig nativeFunc) nativeFunc {
	return func(c goja.FunctionCall) goja.Value {
		value, replacer, space := c.Argument(0), c.Argument(1), c.Argument(2)
		var script goja.Callable
		if o, ok := replacer.(*goja.Object); ok {
			if f, ok := goja.AssertFunction(o); ok {
				script = f
			} else if call(j.isArray, goja.Undefined(), o).ToBoolean() {
				return j.serialize(value, o, space)
			}
		}
		// How deep each object being serialized is; the wrapper object
		// holding the value (step 9) is at depth 0.
		depths := map[*goja.Object]int{}
		f := j.vm.ToValue(func(c goja.FunctionCall) goja.Value {
			j.poll.Step()
			holder, _ := c.This.(*goja.Object)
			v := c.Argument(1)
			if script != nil {
				v = call(script, c.This, c.Argument(0), v)
			}
			if o, ok := v.(*goja.Object); ok {
				d := depths[holder] + 1
				if d > j.maxDepth {
					j.tooDeep()
				}
				depths[o] = d
				// goja lists the keys of what it serializes next.
				j.guard.listing(o)
			}
			return v
		})
		return orig(goja.FunctionCall{This: c.This, Arguments: []goja.Value{value, f, space}})
	}
}
