package builtins

import (
	"github.com/dop251/goja"
	"golang.org/x/text/unicode/norm"
)

// goja's String.prototype.normalize normalizes the whole string in one Go
// call: "é".repeat(2**27).normalize("NFD") ran more than 27 s past a 3 s
// deadline. A long string (loopString code units or more) is normalized
// here in pieces (stringpieces.go), where text normalized piece by piece is
// what the whole normalizes to.

// normalForms are the forms normalize takes.
var normalForms = map[string]norm.Form{"NFC": norm.NFC, "NFD": norm.NFD, "NFKC": norm.NFKC, "NFKD": norm.NFKD}

// normalize is String.prototype.normalize
// (https://tc39.es/ecma262/#sec-string.prototype.normalize) of a long
// primitive string and a form that is a primitive; it reports false for the
// original to take any other case, and a form that is not one of the four,
// whose RangeError the original throws.
func (l *stringLoops) normalize(call goja.FunctionCall) (goja.Value, bool) {
	S, ok := call.This.(goja.String)
	form := call.Argument(0)
	if !ok || S.Length() < loopString || !isPlain(form) {
		return nil, false
	}
	// 3-5. The form, NFC where it is undefined.
	f, ok := norm.NFC, true
	if !goja.IsUndefined(form) {
		f, ok = normalForms[form.String()]
	}
	if !ok {
		return nil, false
	}
	// 6. The normalized S, piece by piece (inPieces).
	return l.inPieces(S, f, func(dst, piece []byte) []byte { return f.Append(dst, piece...) }), true
}
