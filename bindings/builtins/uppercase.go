package builtins

import (
	"github.com/dop251/goja"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// goja's String.prototype.toUpperCase maps the whole string in one Go call:
// "ß".repeat(2**27).toUpperCase() ran 13 s past a 3 s deadline. A long
// string (loopString code units or more) is mapped here in the pieces
// normalize uses (normalize.go), each cut before a character that starts a
// segment of its own, with x/text/cases's mapping for no particular
// language, as goja's; the poller sees the interrupt between pieces.

// toUpperCase is String.prototype.toUpperCase
// (https://tc39.es/ecma262/#sec-string.prototype.touppercase) of a long
// primitive string; it reports false for the original to take any other.
func (l *stringLoops) toUpperCase(call goja.FunctionCall) (goja.Value, bool) {
	S, ok := call.This.(goja.String)
	if !ok || S.Length() < loopString {
		return nil, false
	}
	upper := cases.Upper(language.Und)
	return l.inPieces(S, func(dst, piece []byte) []byte {
		upper.Reset()
		return append(dst, upper.Bytes(piece)...)
	}), true
}

// inPieces returns S mapped piece by piece: S is read as UTF-8 (as goja
// reads it, lone surrogates as U+FFFD; a pair is not cut) in pieces of
// normalizePiece code units cut before a character that starts a segment of
// its own (lastCut), each mapped by f, which appends to dst, and written as
// UTF-16.
func (l *stringLoops) inPieces(S goja.String, f func(dst, piece []byte) []byte) goja.String {
	n := S.Length()
	units := make([]uint16, 0, n)
	var pending, done []byte
	for i := 0; i < n; {
		j := min(n, i+normalizePiece)
		if c := S.CharAt(j - 1); j < n && c >= 0xD800 && c <= 0xDBFF {
			j++
		}
		pending = append(pending, S.Substring(i, j).String()...)
		i = j
		b := len(pending)
		if i < n {
			b = lastCut(norm.NFC, pending)
		}
		done = f(done[:0], pending[:b])
		pending = append(pending[:0], pending[b:]...)
		units = appendUTF16(units, done)
		l.poll.step()
	}
	return goja.StringFromUTF16(units)
}
