package xhr

import (
	"testing"
	"unicode/utf8"
)

func TestXMLEncodingLabel(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<?xml version="1.0" encoding="Shift_JIS"?><a/>`, "Shift_JIS"},
		{`<?xml version='1.0' encoding = 'iso-8859-2' standalone="yes"?>`, "iso-8859-2"},
		{"<?xml\tversion=\"1.0\"\nencoding\r=\"utf-16\"?>", "utf-16"},
		{`<?xml version="1.0"?>`, ""},
		{`<?xml version="1.0" encoding="Shift_JIS"`, ""}, // not closed
		{`<?xmlversion="1.0" encoding="x"?>`, ""},        // no space
		{`<?xml version="1.0" xencoding="x"?>`, ""},      // not an attribute of its own
		{`<?xml version="1.0" encoding="1abc"?>`, ""},    // not an EncName
		{`<?xml version="1.0" encoding="a b"?>`, ""},     // not an EncName
		{`<?xml version="1.0" encoding="abc'?>`, ""},     // mismatched quotes
		{`<?xml version="1.0" encoding=abc?>`, ""},       // unquoted
		{` <?xml version="1.0" encoding="abc"?>`, ""},    // not at the start
		{`<?xml version="1.0" encoding="a.b_c-d9"?>`, "a.b_c-d9"},
	}
	for _, c := range cases {
		if got := xmlEncodingLabel([]byte(c.in)); got != c.want {
			t.Errorf("xmlEncodingLabel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		in    string
		label string
		want  string
	}{
		{"h\xc3\xa9", "", "hé"},
		{"h\xe9", "", "h\uFFFD"},
		{"h\xe9", "latin1", "hé"},
		{"\x82\xa0", "shift_jis", "あ"},
		{"\xef\xbb\xbfh\xc3\xa9", "windows-1252", "hé"},
		{"\xff\xfeh\x00", "", "h"},
		{"\xfe\xff\x00h\x00", "", "h\uFFFD"},
		{"abc", "replacement", "\uFFFD"},
		{"", "replacement", ""},
		{"\x80", "x-user-defined", "\uF780"},
	}
	for _, c := range cases {
		var enc string
		if c.label != "" {
			if enc = getEncoding(c.label); enc == "" {
				t.Fatalf("no encoding %q", c.label)
			}
		}
		if got := decode([]byte(c.in), enc); got != c.want {
			t.Errorf("decode(%q, %q) = %q, want %q", c.in, c.label, got, c.want)
		}
	}
	for _, bad := range []string{"", " ", "nope", "utf-8\x00", "ütf-8", "  utf-8  x"} {
		if getEncoding(bad) != "" {
			t.Errorf("getEncoding(%q) found an encoding", bad)
		}
	}
	if e := getEncoding(" \tUTF8\n"); e != "utf-8" {
		t.Error("getEncoding does not trim or fold case")
	}
}

func FuzzXMLEncodingLabel(f *testing.F) {
	for _, s := range []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<?xml encoding='x'?>`, `<?xml `, `<?xml encoding=`, `<?xml encoding="`, ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		label := xmlEncodingLabel(data)
		if label != "" && !isEncName([]byte(label)) {
			t.Fatalf("xmlEncodingLabel(%q) = %q, not an EncName", data, label)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range [][2]string{{"h\xc3\xa9", ""}, {"\xff\xfeh", "utf-16le"}, {"\x82", "shift_jis"}, {"\xa1", "euc-kr"}, {"\x1b$B", "iso-2022-jp"}} {
		f.Add([]byte(s[0]), s[1])
	}
	f.Fuzz(func(t *testing.T, data []byte, label string) {
		if s := decode(data, getEncoding(label)); !utf8.ValidString(s) {
			t.Fatalf("decode(%q, %q) = %q, not valid UTF-8", data, label, s)
		}
	})
}
