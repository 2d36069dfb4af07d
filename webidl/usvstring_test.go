package webidl

import (
	"testing"
	"unicode/utf16"

	"github.com/dop251/goja"
)

// TestUSVStringInPieces checks that a long string converted in pieces
// reads as one converted whole: surrogate pairs across the pieces' edges
// stay pairs, lone surrogates become U+FFFD wherever they are.
func TestUSVStringInPieces(t *testing.T) {
	_, r := newRealm(t)
	units := make([]uint16, 0, longString+4*piece)
	for len(units) < longString+3*piece {
		units = append(units, 'a', 0xE9)
	}
	pair := utf16.Encode([]rune{0x1F600})
	// A pair across the first edge, a lone high surrogate at the second, a
	// lone low surrogate after the third, a high one at the very end.
	units[piece-1], units[piece] = pair[0], pair[1]
	units[2*piece-1] = 0xD800
	units[3*piece] = 0xDC00
	units = append(units, 0xD83D)
	s := goja.StringFromUTF16(units)
	got, want := r.ToUSVString(s), string(utf16.Decode(units)) // Decode makes lone surrogates U+FFFD
	if got != want {
		t.Errorf("in pieces: %d bytes, differing from the whole (%d bytes)", len(got), len(want))
	}
	if got != USVString(s) {
		t.Error("in pieces differs from USVString")
	}
}

// TestASCII checks which strings goja holds as Go string bytes.
func TestASCII(t *testing.T) {
	vm := goja.New()
	for src, want := range map[string]bool{`"abc"`: true, `""`: true, `"a".repeat(1000)`: true, `"é"`: false, `"a\uD800"`: false, `"😀"`: false} {
		v, err := vm.RunString(src)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := ASCII(v.(goja.String))
		if ok != want || ok && s != v.String() {
			t.Errorf("ASCII(%s) = %q, %v; want %v", src, s, ok, want)
		}
	}
}
