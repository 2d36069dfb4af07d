package url

import "testing"

func TestPercentDecode(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"%41%4a%4A", "AJJ"},
		{"%C3%A9", "\xc3\xa9"},
		{"%ff%00", "\xff\x00"},
		{"%", "%"},
		{"%4", "%4"},
		{"a%2", "a%2"},
		{"%zz%4g", "%zz%4g"},
		{"%%41", "%A"},
		{"%2541", "%41"},
		{"+%20+", "+ +"},
	} {
		if got := PercentDecode(tt.in); string(got) != tt.want {
			t.Errorf("PercentDecode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
