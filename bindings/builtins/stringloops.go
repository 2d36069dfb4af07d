package builtins

import (
	"math"
	"slices"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's String.prototype.split and replaceAll loop in Go over every
// occurrence of a string: "x".repeat(2**27).split("") ran 28 s past a 3 s
// deadline, making 134 million strings, and replaceAll on a long string
// likewise. Worse, goja's replaceAll of the empty string in a string that
// is not ASCII ("é".replaceAll("", "-")) never ends, and no interrupt
// stops it. Each is replaced by a function with the same name, length and
// attributes that takes the spec's steps here, with a poller (interrupt.go)
// seeing the interrupt as it goes: split for strings of loopString code
// units or more (the original splits shorter ones), replaceAll for every
// search value that is not an object. A separator or search value that is
// an object (a RegExp, or one with Symbol.split or Symbol.replace) goes to
// the original, which calls its method. String.raw is replaced whole
// (stringraw.go). A split into more than guardedKeys parts asks the heap
// guard (ownkeys.go) for room as its list grows: a split into code units
// made 48 bytes a code unit in one step, twice the heap bound.

// loopString is the length from which a string is split or searched here.
const loopString = 1 << 18

type stringLoops struct {
	realm     *webidl.Realm
	poll      *poller
	maxLength int // of a string made, or 0 for none
}

func interruptibleStrings(realm *webidl.Realm, poll *poller, maxLength int) error {
	vm := realm.VM()
	proto := webidl.Intrinsics{VM: vm}.Object("String", "prototype")
	l := &stringLoops{realm: realm, poll: poll, maxLength: maxLength}
	for _, m := range []struct {
		name string
		loop func(call goja.FunctionCall) (goja.Value, bool)
	}{{"split", l.split}, {"replaceAll", l.replaceAll}, {"normalize", l.normalize}, {"toUpperCase", l.toUpperCase}} {
		loop := m.loop
		if err := wrapNative(vm, proto, "String.prototype", m.name, func(orig nativeFunc) nativeFunc {
			return func(call goja.FunctionCall) goja.Value {
				if v, done := loop(call); done {
					return v
				}
				return orig(call)
			}
		}); err != nil {
			return err
		}
	}
	ctor := webidl.Intrinsics{VM: vm}.Object("String")
	return wrapNative(vm, ctor, "String", "raw", func(nativeFunc) nativeFunc { return l.raw })
}

// toString is ToString (https://tc39.es/ecma262/#sec-tostring).
func (l *stringLoops) toString(v goja.Value) goja.String {
	return stringBound{realm: l.realm}.toString(v)
}

// isPlain reports whether v is a primitive that converts to a string
// without running script or throwing: not an object, nor a symbol.
func isPlain(v goja.Value) bool {
	switch v.(type) {
	case *goja.Object, *goja.Symbol:
		return false
	}
	return true
}

// split is String.prototype.split
// (https://tc39.es/ecma262/#sec-string.prototype.split) of a long string by a
// separator that is a primitive; it reports false for the original to take
// any other case.
func (l *stringLoops) split(call goja.FunctionCall) (goja.Value, bool) {
	S, ok := call.This.(goja.String)
	separator, limit := call.Argument(0), call.Argument(1)
	if !ok || S.Length() < loopString || goja.IsUndefined(separator) || !isPlain(separator) || !isPlain(limit) {
		return nil, false
	}
	vm := l.realm.VM()
	// 4. If limit is undefined, lim is 2^32 - 1; else ToUint32(limit),
	// which is WebIDL's conversion to unsigned long.
	lim := int64(math.MaxUint32)
	if !goja.IsUndefined(limit) {
		lim = int64(l.realm.ToUnsignedLong(limit, 0))
	}
	// 5. Let R be ? ToString(separator).
	R := newText(l.toString(separator), l.poll)
	// 6. If lim = 0, return an empty array.
	if lim == 0 {
		return vm.NewArray(), true
	}
	var parts []any
	// 8. If separatorLength = 0: the code units of S, up to lim of them.
	guard := keyGuardOf(l.realm)
	if R.length() == 0 {
		n := min(int64(S.Length()), lim)
		// A part per code unit: the heap must have room first.
		guard.reserve(n, elementBytes)
		parts = make([]any, n)
		for i := range parts {
			l.poll.Step()
			parts[i] = S.Substring(i, i+1)
		}
		return vm.NewArray(parts...), true
	}
	// 10-13: the substrings between occurrences of R, up to lim of them.
	text := newText(S, l.poll)
	R = R.in(text)
	i := 0
	for j := text.index(R, 0, l.poll); j != -1; j = text.index(R, i, l.poll) {
		l.poll.Step()
		parts = append(parts, S.Substring(i, j))
		guard.growing(len(parts), elementBytes)
		if int64(len(parts)) == lim {
			return vm.NewArray(parts...), true
		}
		i = j + R.length()
	}
	parts = append(parts, S.Substring(i, S.Length()))
	return vm.NewArray(parts...), true
}

// replaceAll is String.prototype.replaceAll
// (https://tc39.es/ecma262/#sec-string.prototype.replaceall) for a search
// value that is not an object.
func (l *stringLoops) replaceAll(call goja.FunctionCall) (goja.Value, bool) {
	O, searchValue, replaceValue := call.This, call.Argument(0), call.Argument(1)
	// 1. RequireObjectCoercible(O): the original throws.
	// 2. A search value that is an object: the original calls its method.
	if _, isObject := searchValue.(*goja.Object); isObject || goja.IsUndefined(O) || goja.IsNull(O) {
		return nil, false
	}
	// 3-6.
	S := l.toString(O)
	searchString := l.toString(searchValue)
	fn, functionalReplace := goja.AssertFunction(replaceValue)
	var replace replacement
	if !functionalReplace {
		replace = parseReplacement(l.toString(replaceValue))
	}
	// 7-15. The text between the matches, and each match's replacement.
	// The spec lists the matches' positions first (steps 9-11): finding
	// them runs no script, so each is found as it is replaced instead,
	// advancing by the search string's length, or one.
	text := newText(S, l.poll)
	search := newText(searchString, l.poll).in(text)
	advanceBy := max(1, search.length())
	vm := l.realm.VM()
	var b goja.StringBuilder
	end, written := 0, 0
	for p := text.index(search, 0, l.poll); p != -1; p = text.index(search, p+advanceBy, l.poll) {
		l.poll.Step()
		b.WriteSubstring(S, end, p)
		written += p - end
		if functionalReplace {
			v, err := fn(goja.Undefined(), searchString, vm.ToValue(p), S)
			if err != nil {
				panic(err)
			}
			r := l.toString(v)
			b.WriteString(r)
			written += r.Length()
		} else {
			written += replace.write(&b, S, p, search.length())
		}
		end = p + search.length()
		if l.maxLength > 0 && written > l.maxLength {
			panic(l.realm.NewRangeError(invalidLength))
		}
	}
	if end < S.Length() {
		b.WriteSubstring(S, end, S.Length())
	}
	return b.String(), true
}

// A replacement is a replacement template of GetSubstitution
// (https://tc39.es/ecma262/#sec-getsubstitution) for a match of a string: with
// no captures, only "$$", "$&", "$`" and "$'" stand for something else.
type replacement []replacementPart

type replacementPart struct {
	literal goja.String // or, when nil,
	ref     byte        // '&', '`' or '\''
}

func parseReplacement(t goja.String) replacement {
	var r replacement
	start := 0
	n := t.Length()
	for i := 0; i+1 < n; i++ {
		if t.CharAt(i) != '$' {
			continue
		}
		switch c := t.CharAt(i + 1); c {
		case '$', '&', '`', '\'':
			if start < i {
				r = append(r, replacementPart{literal: t.Substring(start, i)})
			}
			if c == '$' {
				r = append(r, replacementPart{literal: t.Substring(i, i+1)})
			} else {
				r = append(r, replacementPart{ref: byte(c)})
			}
			start = i + 2
			i++
		}
	}
	if start < n {
		r = append(r, replacementPart{literal: t.Substring(start, n)})
	}
	return r
}

// write appends the replacement of the match of length n at position p in
// S, and returns its length.
func (r replacement) write(b *goja.StringBuilder, S goja.String, p, n int) int {
	written := 0
	for _, part := range r {
		start, end := 0, 0
		switch {
		case part.literal != nil:
			b.WriteString(part.literal)
			written += part.literal.Length()
			continue
		case part.ref == '&':
			start, end = p, p+n
		case part.ref == '`':
			start, end = 0, p
		default: // '\''
			start, end = min(p+n, S.Length()), S.Length()
		}
		b.WriteSubstring(S, start, end)
		written += end - start
	}
	return written
}

// text is a string to search: its bytes where it is ASCII, or else its
// UTF-16 code units.
type text struct {
	ascii   string
	units   []uint16
	isASCII bool
}

// newText returns s as a text, stepping poll (which may be nil) at each
// code unit it converts.
func newText(s goja.String, poll *poller) text {
	if ascii, ok := webidl.ASCII(s); ok {
		return text{ascii: ascii, isASCII: true}
	}
	return text{units: stringUnits(s, poll)}
}

// in returns t as it is searched for in hay: as code units if hay's are
// not ASCII.
func (t text) in(hay text) text {
	if !t.isASCII || hay.isASCII {
		return t
	}
	u := make([]uint16, len(t.ascii))
	for i := range u {
		u[i] = uint16(t.ascii[i])
	}
	return text{units: u}
}

func (t text) length() int {
	if t.isASCII {
		return len(t.ascii)
	}
	return len(t.units)
}

// index is StringIndexOf(t, search, from)
// (https://tc39.es/ecma262/#sec-stringindexof): the first position at or
// after from where search, as in returns it, occurs, or -1. poll counts the
// positions tried.
func (t text) index(search text, from int, poll *poller) int {
	if from > t.length() {
		return -1
	}
	if t.isASCII && search.isASCII {
		if i := strings.Index(t.ascii[from:], search.ascii); i >= 0 {
			return from + i
		}
		return -1
	}
	if t.isASCII {
		return -1 // a code unit past ASCII occurs in no ASCII string
	}
	s := search.units
	for i := from; i+len(s) <= len(t.units); i++ {
		poll.Step()
		if slices.Equal(t.units[i:i+len(s)], s) {
			return i
		}
	}
	return -1
}
