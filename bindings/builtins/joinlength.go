package builtins

import (
	"github.com/dop251/goja"
)

// goja's Array.prototype.join builds its result in one buffer that grows
// with each element: Array(2 ** 30).join() reaches a gigabyte of separators
// before any deadline can stop it, and a longer array-like ends the process
// with the Go runtime's fatal "out of memory". The replacement join (join.go)
// first throws V8's RangeError "Invalid string length" when the separators
// alone make the result longer than the bound, as far as that can be known
// without running script: the length a data property, the separator
// undefined or a primitive.

// joinTooLong reports whether joining this with separator sep would give
// a string of more than maxLength code units in its separators alone.
func (s *sizeBound) joinTooLong(this, sep goja.Value, maxLength int) bool {
	o, ok := this.(*goja.Object)
	if !ok || maxLength <= 0 {
		return false
	}
	n, ok := s.dataProperty(o, "length")
	if !ok || !isNumeric(n) {
		return false
	}
	length := toLength(n)
	sepLength := 1 // ","
	switch {
	case goja.IsUndefined(sep):
	case isString(sep):
		sepLength = sep.(goja.String).Length()
	case isNumeric(sep):
		sepLength = len(sep.String())
	default:
		return false // an object, whose ToString may run script
	}
	return length > 1 && float64(length-1)*float64(sepLength) > float64(maxLength)
}
