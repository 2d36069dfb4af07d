package builtins

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/text/unicode/norm"
)

// goja's String.prototype.normalize normalizes the whole string in one Go
// call: "é".repeat(2**27).normalize("NFD") ran more than 27 s past a 3 s
// deadline. A long string (loopString code units or more) is normalized
// here in pieces, each cut before a character that starts a segment of its
// own, where text normalized piece by piece is what the whole normalizes
// to, with the poller seeing the interrupt between pieces. A run of
// combining marks longer than a piece is normalized whole (the string
// "a" followed by 2^25 marks: 2 s). The string is read as goja reads it.

// normalizePiece is how many code units are read at once.
const normalizePiece = 1 << 10

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
		f, ok = map[string]norm.Form{"NFC": norm.NFC, "NFD": norm.NFD, "NFKC": norm.NFKC, "NFKD": norm.NFKD}[form.String()]
	}
	if !ok {
		return nil, false
	}
	// 6. The normalized S, piece by piece (inPieces).
	return l.inPieces(S, func(dst, piece []byte) []byte { return f.Append(dst, piece...) }), true
}

// lastCut returns where pending may be cut: before its last character that
// starts a segment of its own (a starter that nothing before it composes
// with), so that the run of combining marks before it, which the form
// reorders, and splits with U+034F past 30, is whole on one side; or 0,
// for pending to grow with the next piece.
func lastCut(f norm.Form, pending []byte) int {
	for p := len(pending); p > 0; {
		_, size := utf8.DecodeLastRune(pending[:p])
		p -= size
		if p > 0 {
			if props := f.Properties(pending[p:]); props.CCC() == 0 && props.BoundaryBefore() {
				return p
			}
		}
	}
	return 0
}

// appendUTF16 appends the UTF-16 code units of the UTF-8 text b.
func appendUTF16(units []uint16, b []byte) []uint16 {
	for _, r := range string(b) {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			units = append(units, uint16(r1), uint16(r2))
		} else {
			units = append(units, uint16(r))
		}
	}
	return units
}
