package encoding

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// fuzzLabels are the encodings FuzzDecodeStreaming exercises, chosen by
// the fuzzer's selector byte.
var fuzzLabels = []string{"utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-7", "x-user-defined", "gbk", "shift_jis", "euc-kr", "big5", "gb18030", "euc-jp", "iso-2022-jp"}

// decodeChunks decodes data in the pieces cut at the given offsets, the
// way TextDecoder.decode with {stream: true} followed by decode() does.
func decodeChunks(e *encoding, data []byte, cuts []int, fatal bool) ([]byte, bool) {
	d := e.newDecoder()
	var out []byte
	prev := 0
	for _, c := range cuts {
		if c < prev || c > len(data) {
			continue
		}
		var ok bool
		out, ok = d.decode(out, data[prev:c], false, fatal)
		if !ok {
			return out, false
		}
		prev = c
	}
	return d.decode(out, data[prev:], true, fatal)
}

// FuzzDecodeStreaming checks that decoding in chunks gives what decoding at
// once gives, in both error modes, and that the output is valid UTF-8; for
// UTF-8 input that is already valid it must be the input itself.
func FuzzDecodeStreaming(f *testing.F) {
	f.Add([]byte("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9D\x8C\x86"), uint8(0), uint16(2), uint16(5))
	f.Add([]byte("\xEF\xBB\xBF\xE2\x82\xFF\xC0\xAF\xED\xA0\x80"), uint8(0), uint16(1), uint16(4))
	f.Add([]byte{0x34, 0xD8, 0x06, 0xDF, 0x00, 0xD8, 0x41}, uint8(1), uint16(1), uint16(3))
	f.Add([]byte{0xD8, 0x34, 0xDF, 0x06, 0xDC, 0x00, 0x41}, uint8(2), uint16(1), uint16(2))
	f.Add([]byte{0x80, 0x81, 0xFF, 0x41}, uint8(3), uint16(1), uint16(2))
	f.Add([]byte{0xAA, 0xD2, 0xFF, 0xC1}, uint8(4), uint16(1), uint16(2))
	f.Add([]byte{0xC4, 0xE3, 0x81, 0x30, 0xFF}, uint8(6), uint16(1), uint16(3))
	f.Add([]byte{0x82, 0xA0, 0x82, 0x41}, uint8(7), uint16(1), uint16(3))
	f.Add([]byte{0x81, 0x30, 0xFE, 0x29, 0x84, 0x31, 0xA4, 0x39}, uint8(10), uint16(2), uint16(5))
	f.Add([]byte{0x8F, 0xB0, 0xA1, 0x8E, 0xB1, 0xA4}, uint8(11), uint16(1), uint16(4))
	f.Add([]byte{0x1B, 0x24, 0x40, 0x50, 0x1B, 0x28, 0x49, 0x1B, 0x24, 0x50}, uint8(12), uint16(2), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, which uint8, cut1, cut2 uint16) {
		e := getEncoding(fuzzLabels[int(which)%len(fuzzLabels)])
		cuts := []int{int(cut1) % (len(data) + 1), int(cut2) % (len(data) + 1)}
		if cuts[0] > cuts[1] {
			cuts[0], cuts[1] = cuts[1], cuts[0]
		}
		whole, wholeOK := e.newDecoder().decode(nil, data, true, false)
		if !wholeOK {
			t.Fatalf("%s: replacement mode reported an error", e.name)
		}
		if !utf8.Valid(whole) {
			t.Fatalf("%s: output is not valid UTF-8: %q", e.name, whole)
		}
		parts, _ := decodeChunks(e, data, cuts, false)
		if !bytes.Equal(whole, parts) {
			t.Fatalf("%s: %q at once = %q, in chunks %v = %q", e.name, data, whole, cuts, parts)
		}
		_, fatalOK := e.newDecoder().decode(nil, data, true, true)
		fatalWhole, _ := e.newDecoder().decode(nil, data, true, true)
		_, fatalPartsOK := decodeChunks(e, data, cuts, true)
		if fatalOK != fatalPartsOK {
			t.Fatalf("%s: fatal %q at once ok=%v, in chunks %v ok=%v", e.name, data, fatalOK, cuts, fatalPartsOK)
		}
		if fatalOK && !bytes.Equal(fatalWhole, whole) {
			t.Fatalf("%s: fatal output %q differs from %q", e.name, fatalWhole, whole)
		}
		if e.utf8 && utf8.Valid(data) && !bytes.Equal(whole, data) {
			t.Fatalf("valid UTF-8 %q decoded to %q", data, whole)
		}
		if e.utf8 && fatalOK != utf8.Valid(data) {
			t.Fatalf("fatal UTF-8 decoding of %q: ok=%v", data, fatalOK)
		}
	})
}
