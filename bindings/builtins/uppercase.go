package builtins

import (
	"github.com/dop251/goja"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// goja's String.prototype.toUpperCase maps the whole string in one Go call:
// "ß".repeat(2**27).toUpperCase() ran 13 s past a 3 s deadline. A long
// string (loopString code units or more) is mapped here in pieces
// (stringpieces.go) with x/text/cases's mapping for no particular language,
// as goja's.

// toUpperCase is String.prototype.toUpperCase
// (https://tc39.es/ecma262/#sec-string.prototype.touppercase) of a long
// primitive string; it reports false for the original to take any other.
func (l *stringLoops) toUpperCase(call goja.FunctionCall) (goja.Value, bool) {
	S, ok := call.This.(goja.String)
	if !ok || S.Length() < loopString {
		return nil, false
	}
	upper := cases.Upper(language.Und)
	return l.inPieces(S, norm.NFC, func(dst, piece []byte) []byte {
		upper.Reset()
		return append(dst, upper.Bytes(piece)...)
	}), true
}
