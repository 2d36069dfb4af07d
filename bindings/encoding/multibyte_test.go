package encoding

import (
	"testing"
)

// decodeAll decodes in with the named encoding's decoder in replacement
// mode, in one call or one byte per call.
func decodeAll(t *testing.T, label string, in []byte, bytewise bool) string {
	t.Helper()
	e := getEncoding(label)
	if e == nil {
		t.Fatalf("no encoding %q", label)
	}
	d := e.newDecoder()
	if !bytewise {
		out, _ := d.decode(nil, in, true, false)
		return string(out)
	}
	var out []byte
	for _, b := range in {
		out, _ = d.decode(out, []byte{b}, false, false)
	}
	out, _ = d.decode(out, nil, true, false)
	return string(out)
}

func TestMultiByteDecoders(t *testing.T) {
	cases := []struct {
		label string
		in    []byte
		want  string
	}{
		// gb18030: one-, two- and four-byte sequences, errors restoring
		// bytes, the range special cases and GB18030-2022.
		{"gb18030", []byte{0x80, 0x41}, "\u20ACA"},
		{"gb18030", []byte{0x81}, "\uFFFD"},
		{"gb18030", []byte{0x81, 0x7F}, "\uFFFD\u007F"},
		{"gb18030", []byte{0x81, 0x40, 0x81, 0xFE}, "\u4E02\u4FA2"},
		{"gb18030", []byte{0x81, 0x30, 0xFF}, "\uFFFD0\uFFFD"},
		{"gb18030", []byte{0x81, 0x30, 0xFE, 0x29}, "\uFFFD0\uFFFD)"},
		{"gb18030", []byte{0x81, 0x35, 0xF4, 0x37, 0xA8, 0xBC}, "\uE7C7\u1E3F"},
		{"gb18030", []byte{0x84, 0x31, 0xA4, 0x39}, "\uFFFF"},
		{"gb18030", []byte{0x84, 0x31, 0xA5, 0x30}, "\uFFFD"},
		{"gb18030", []byte{0x90, 0x30, 0x81, 0x30}, "\U00010000"},
		{"gb18030", []byte{0xE3, 0x32, 0x9A, 0x35}, "\U0010FFFF"},
		{"gb18030", []byte{0xE3, 0x32, 0x9A, 0x36}, "\uFFFD"},
		{"gb18030", []byte{0xA3, 0xA0, 0xA6, 0xD9, 0xFE, 0x59}, "\u3000\uFE10\u9FB4"},
		{"gbk", []byte{0x82, 0x35, 0x90, 0x37, 0x84, 0x31, 0x82, 0x36}, "\u9FB4\uFE10"},
		// Big5: the pointers that decode to two code points, a restored
		// ASCII trail byte.
		{"big5", []byte{0x88, 0x62, 0x88, 0x64, 0x88, 0xA3, 0x88, 0xA5}, "\u00CA\u0304\u00CA\u030C\u00EA\u0304\u00EA\u030C"},
		{"big5", []byte{0xA4, 0x40, 0x81, 0x41}, "\u4E00\uFFFDA"},
		{"big5", []byte{0xA4}, "\uFFFD"},
		// EUC-KR.
		{"euc-kr", []byte{0xB0, 0xA1, 0x81, 0x20, 0xFF}, "\uAC00\uFFFD \uFFFD"},
		// Shift_JIS: katakana, end-user-defined, a restored trail byte.
		{"shift_jis", []byte{0xB1, 0x82, 0xA0, 0xF0, 0x40, 0x82, 0x41}, "\uFF71\u3042\uE000\uFFFDA"},
		{"shift_jis", []byte{0x80, 0xA0}, "\u0080\uFFFD"},
		// EUC-JP: JIS X 0201 katakana, JIS X 0208 and JIS X 0212.
		{"euc-jp", []byte{0x8E, 0xB1, 0xA4, 0xA2, 0x8F, 0xB0, 0xA1, 0xA1, 0x41}, "\uFF71\u3042\u4E02\uFFFDA"},
		// ISO-2022-JP.
		{"iso-2022-jp", []byte{0x1B, 0x24}, "\uFFFD$"},
		{"iso-2022-jp", []byte{0x1B, 0x28, 0x4A, 0x5C, 0x5D, 0x7E}, "\u00A5]\u203E"},
		{"iso-2022-jp", []byte{0x1B, 0x28, 0x49, 0x1B, 0x24, 0x50}, "\uFFFD\uFF64\uFF90"},
		{"iso-2022-jp", []byte{0x1B, 0x24, 0x40, 0x1B, 0x24, 0x50, 0x50}, "\uFFFD\u3070\uFFFD"},
		{"iso-2022-jp", []byte{0x1B, 0x24, 0x40, 0x50, 0x1B, 0x24, 0x40, 0x50, 0x50}, "\uFFFD\u4F69"},
		{"iso-2022-jp", []byte{0x50, 0x1B, 0x28, 0x42}, "P"},
		{"iso-2022-jp", []byte{0x1B, 0x24, 0x40, 0x50}, "\uFFFD"},
	}
	for _, c := range cases {
		for _, bytewise := range []bool{false, true} {
			if got := decodeAll(t, c.label, c.in, bytewise); got != c.want {
				t.Errorf("%s % X (bytewise %v) = %+q, want %+q", c.label, c.in, bytewise, got, c.want)
			}
		}
	}
}

func TestReplacementDecoder(t *testing.T) {
	d := (&encoding{name: "replacement", isReplaced: true}).newDecoder()
	out, _ := d.decode(nil, []byte("abc"), true, false)
	if string(out) != "\uFFFD" {
		t.Errorf("replacement decoder: %+q", out)
	}
}
