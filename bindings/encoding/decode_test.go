package encoding

import "testing"

func TestLookup(t *testing.T) {
	cases := []struct {
		label, name string
		ok          bool
	}{
		{"utf-8", "utf-8", true},
		{" UTF8\n", "utf-8", true},
		{"UTF-16", "utf-16le", true},
		{"latin1", "windows-1252", true},
		{"iso-2022-kr", "replacement", true},
		{"x-user-defined", "x-user-defined", true},
		{"", "", false},
		{"utf\u00A08", "", false},
		{"no such encoding", "", false},
	}
	for _, c := range cases {
		if name, ok := Lookup(c.label); name != c.name || ok != c.ok {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", c.label, name, ok, c.name, c.ok)
		}
	}
}

func TestDecodeFallback(t *testing.T) {
	cases := []struct {
		in, fallback, want string
	}{
		{"", "", ""},
		{"h\xC3\xA9", "", "hé"},
		{"h\xC3\xA9", "no such encoding", "hé"},
		{"h\xE9", "windows-1252", "hé"},
		{"\xEF\xBB\xBFh\xC3\xA9", "windows-1252", "hé"},
		{"\xFE\xFF\x00h\x00i", "", "hi"},
		{"\xFF\xFEh\x00i\x00", "utf-8", "hi"},
		{"\xFF\xFE", "", ""},
		{"TEST", "utf-16le", "\u4554\u5453"},
		{"\x00h\x00i", "utf-16be", "hi"},
		{"\x00\xD8", "utf-16le", "\uFFFD"},
		{"a\xFFb", "", "a\uFFFDb"},
		{"abc", "replacement", "\uFFFD"},
		{"", "replacement", ""},
		{"\x80", "x-user-defined", "\uF780"},
		{"\x1B$B\x30\x21\x1B(B", "iso-2022-jp", "亜"},
	}
	for _, c := range cases {
		if got := Decode([]byte(c.in), c.fallback); got != c.want {
			t.Errorf("Decode(%q, %q) = %q, want %q", c.in, c.fallback, got, c.want)
		}
	}
}
