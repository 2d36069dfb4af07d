package builtins

import (
	"strconv"

	"github.com/dop251/goja"
)

// goja's String.raw loops in Go over the length its template's raw object
// claims, with no interrupt and no bound on the string it builds:
// String.raw({ raw: { length: 2 ** 53 - 1 } }) ran on past any deadline,
// appending "undefined" until the machine's memory ran out. It is replaced
// by the spec's steps with the poller and the string bound of the other
// string loops.

// raw is String.raw (https://tc39.es/ecma262/#sec-string.raw).
func (l *stringLoops) raw(call goja.FunctionCall) goja.Value {
	vm := l.realm.VM()
	substitutions := call.Arguments
	if len(substitutions) > 0 {
		substitutions = substitutions[1:]
	}
	// 1-3. cooked, then literals: ToObject of each, a TypeError for
	// undefined and null.
	cooked := call.Argument(0).ToObject(vm)
	literals := getValue(cooked, "raw").ToObject(vm)
	// 4-5.
	literalCount := toLength(getValue(literals, "length"))
	if literalCount <= 0 {
		return goja.StringFromUTF16(nil)
	}
	// 6-8.
	var R goja.StringBuilder
	written := 0
	add := func(s goja.String) {
		written += s.Length()
		if l.maxLength > 0 && written > l.maxLength {
			l.realm.ThrowRangeError(invalidLength)
		}
		R.WriteString(s)
	}
	for nextIndex := int64(0); ; nextIndex++ {
		l.poll.Step()
		add(l.toString(getValue(literals, strconv.FormatInt(nextIndex, 10))))
		if nextIndex+1 == literalCount {
			return R.String()
		}
		if nextIndex < int64(len(substitutions)) {
			add(l.toString(substitutions[nextIndex]))
		}
	}
}
