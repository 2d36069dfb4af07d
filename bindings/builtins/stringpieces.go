package builtins

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/text/unicode/norm"

	"github.com/wsjs/wsjs/webidl"
)

// normalize and toUpperCase map a long string piece by piece, with the
// poller seeing the interrupt between pieces: goja maps it whole in one Go
// call. A string is read as goja reads it, as UTF-8 (lone surrogates as
// U+FFFD; a surrogate pair is not cut), in pieces of about piece code units,
// each cut before a character that starts a segment of its own (a starter
// that nothing before it composes with), so that a run of combining marks,
// which normalization reorders and splits with U+034F past 30, is whole on
// one side; a run longer than a piece waits for the pieces after it. What
// a piece maps to is written as UTF-16.

// piece is how many code units are read at once.
const piece = 1 << 10

// inPieces returns S mapped piece by piece by f, which appends to dst what
// piece maps to; the segments are those of the normalization form.
func (l *stringLoops) inPieces(S goja.String, form norm.Form, f func(dst, piece []byte) []byte) goja.String {
	n := S.Length()
	units := make([]uint16, 0, n)
	var pending, done []byte
	for i := 0; i < n; l.poll.Step() {
		j := webidl.PieceEnd(S, i, piece)
		read := len(pending)
		pending = append(pending, S.Substring(i, j).String()...)
		i = j
		cut := len(pending)
		if i < n {
			cut = lastCut(form, pending, read)
		}
		if cut == 0 {
			continue
		}
		done = f(done[:0], pending[:cut])
		pending = pending[:copy(pending, pending[cut:])]
		for _, r := range string(done) {
			units = utf16.AppendRune(units, r)
		}
	}
	return goja.StringFromUTF16(units)
}

// lastCut returns where pending may be cut: before its last character that
// starts a segment of its own, or 0. Only what follows from, the part read
// last, is looked at: the rest had no such character.
func lastCut(form norm.Form, pending []byte, from int) int {
	for p := len(pending); p > max(from, 1); {
		_, size := utf8.DecodeLastRune(pending[:p])
		p -= size
		if props := form.Properties(pending[p:]); p > 0 && props.CCC() == 0 && props.BoundaryBefore() {
			return p
		}
	}
	return 0
}
