package builtins

import (
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's Array.prototype.join loops and recurses in Go: String(a) of an
// array nested a million deep runs on the Go stack, past any deadline (goja
// checks for interrupts only between script instructions), and deep enough
// reaches Go's fatal stack overflow; Array(2 ** 32 - 1).join("") looped over
// four billion holes; and its result grows in one buffer, so that
// Array(2 ** 30).join() reached a gigabyte of separators before a deadline
// could stop it. join is replaced by a function of the same name, length
// and attributes that takes the spec's steps here: it throws V8's RangeError
// "Maximum call stack size exceeded" when joins nest deeper than the bound
// (Array.prototype.toString reaches each nested array's join through a
// property lookup, https://tc39.es/ecma262/#sec-array.prototype.tostring
// step 2, so a join that counts how deep it is nested sees every level),
// and "Invalid string length" once the result would pass the bound on
// strings; it checks for the runtime's interrupt as it goes; and, like
// goja's and V8's, it joins an array found again inside itself as the empty
// string.

type joiner struct {
	realm     *webidl.Realm
	vm        *goja.Runtime
	poll      *poller
	maxDepth  int
	maxLength int
	joining   []*goja.Object // the receivers of the joins under way, outermost first
	comma     goja.String    // the separator when none is given
}

// boundJoin replaces Array.prototype.join.
func boundJoin(realm *webidl.Realm, maxDepth, maxLength int) error {
	vm := realm.VM()
	proto := webidl.Intrinsics{VM: vm}.Object("Array", "prototype")
	poll := realm.Poller()
	j := &joiner{realm: realm, vm: vm, poll: poll, maxDepth: maxDepth, maxLength: maxLength, comma: vm.ToValue(",").(goja.String)}
	return proto.DefineDataProperty("join", webidl.NewFunction(vm, "join", 1, j.join), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// join is https://tc39.es/ecma262/#sec-array.prototype.join.
func (j *joiner) join(c goja.FunctionCall) goja.Value {
	// 1. Let O be ? ToObject(this value).
	O := c.This.ToObject(j.vm)
	for _, o := range j.joining {
		if o == O {
			return goja.StringFromUTF16(nil) // a cycle
		}
	}
	if len(j.joining) >= j.maxDepth {
		j.realm.ThrowRangeError("Maximum call stack size exceeded")
	}
	j.joining = append(j.joining, O)
	defer func() { j.joining = j.joining[:len(j.joining)-1] }()
	// 2. Let len be ? LengthOfArrayLike(O).
	length := toLength(getValue(O, "length").ToNumber())
	// 3-4. The separator, "," if undefined.
	sep := j.comma
	if s := c.Argument(0); !goja.IsUndefined(s) {
		sep = stringBound{realm: j.realm}.toString(s)
	}
	if length > 1 && j.tooLong(float64(length-1)*float64(sep.Length())) {
		j.realm.ThrowRangeError(invalidLength)
	}
	// 5-7.
	var R goja.StringBuilder
	written := 0
	for k := int64(0); k < length; k++ {
		j.poll.Step()
		if k > 0 {
			R.WriteString(sep)
			written += sep.Length()
		}
		element := O.Get(strconv.FormatInt(k, 10))
		switch {
		case element == nil || goja.IsUndefined(element) || goja.IsNull(element):
		case isNumeric(element):
			// ToString of a number is ASCII: written as it is, not made
			// into a string value first.
			next := element.String()
			R.WriteUTF8String(next)
			written += len(next)
		default:
			next := stringBound{realm: j.realm}.toString(element)
			R.WriteString(next)
			written += next.Length()
		}
		if j.tooLong(float64(written)) {
			j.realm.ThrowRangeError(invalidLength)
		}
	}
	return R.String()
}

func (j *joiner) tooLong(n float64) bool {
	return j.maxLength > 0 && n > float64(j.maxLength)
}
