package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's Array.prototype[@@unscopables] lacks "at" and lists "groupBy" and
// "groupByToMap", names of an early draft of Object.groupBy that never became
// Array methods: a `with (array)` block then resolves `at` to the array's
// method instead of the outer binding. It is replaced by the object the spec
// makes.

// unscopableNames are the names in the order the spec creates them
// (https://tc39.es/ecma262/#sec-array.prototype-%symbol.unscopables%).
var unscopableNames = []string{
	"at", "copyWithin", "entries", "fill", "find", "findIndex", "findLast",
	"findLastIndex", "flat", "flatMap", "includes", "keys", "toReversed",
	"toSorted", "toSpliced", "values",
}

// installUnscopables defines Array.prototype[@@unscopables] as the spec says:
// an object with a null prototype and a true data property per name, held by
// a property that is not writable, not enumerable and configurable.
func installUnscopables(realm *webidl.Realm) error {
	vm := realm.VM()
	list := vm.NewObject()
	if err := list.SetPrototype(nil); err != nil {
		return err
	}
	for _, name := range unscopableNames {
		if err := list.Set(name, true); err != nil {
			return err
		}
	}
	proto := webidl.Intrinsics{VM: vm}.Object("Array", "prototype")
	return proto.DefineDataPropertySymbol(goja.SymUnscopables, list, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
