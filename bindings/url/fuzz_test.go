package url

import (
	"fmt"
	neturl "net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that the URL parser never panics and that a parsed URL's
// serialization parses to the same URL
// (https://url.spec.whatwg.org/#url-serializing: the serializer's output is a
// valid URL string for the same record).
func FuzzParse(f *testing.F) {
	seeds := [][2]string{
		{"ws://example.com:80/chat?x#y", ""},
		{"http://天気の良い日.web-platform.test:8000/", ""},
		{"ws://foo bar.com/", ""},
		{"../a/./b?c#d", "wss://h:1/x/y"},
		{"//[::1]:99/p", "ws://x/"},
		{"web+demo:/.//not-a-host/", ""},
		{"file:///C|/x", ""},
		{"http://0x7f.1/%zz?%€#%", ""},
		{"blob:https://a.org/uuid", ""},
		{"sc:  x  ?q", ""},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, input, base string) {
		rec, err := Parse(input, base)
		if err != nil {
			return
		}
		if !utf8.ValidString(rec.Href) {
			t.Fatalf("Parse(%.200q, %.200q): href %.200q is not valid UTF-8", input, base, rec.Href)
		}
		again, err := Parse(rec.Href, "")
		if err != nil {
			t.Fatalf("Parse(%.200q, %.200q) = %.200q, which does not parse: %.200v", input, base, rec.Href, err)
		}
		if *again != *rec {
			t.Fatalf("Parse(%.200q, %.200q) = %.300v\nreparsed %.300v", input, base, rec, again)
		}
	})
}

// FuzzURLEncoded checks that application/x-www-form-urlencoded parsing of
// a serialization gives back the list that was serialized.
func FuzzURLEncoded(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "&&=&a+b=%2B%zz", "%FF=%C3%A9&€=\U0001D306", "a=b=c&%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		list := parseURLEncoded(nil, input)
		for _, p := range list {
			if !utf8.ValidString(p.name) || !utf8.ValidString(p.value) {
				t.Fatalf("parse(%q) gave invalid UTF-8: %q", input, list)
			}
		}
		s := serializeURLEncoded(list)
		again := parseURLEncoded(nil, s)
		if len(again) != len(list) {
			t.Fatalf("parse(%q) = %q; serialized %q parses to %q", input, list, s, again)
		}
		for i := range list {
			if list[i] != again[i] {
				t.Fatalf("parse(%q) = %q; serialized %q parses to %q", input, list, s, again)
			}
		}
	})
}

func FuzzPercentDecode(f *testing.F) {
	for _, s := range []string{"", "a%41%4a", "%", "%4", "%zz", "100%", "%%41", "%C3%A9+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(PercentDecode(s))
		// net/url's unescaping agrees wherever it accepts the input.
		if want, err := neturl.PathUnescape(s); err == nil && got != want {
			t.Fatalf("PercentDecode(%q) = %q, net/url gives %q", s, got, want)
		}
		if !strings.Contains(s, "%") && got != s {
			t.Fatalf("PercentDecode(%q) = %q without a %%", s, got)
		}
		// Every byte escaped decodes back.
		var escaped strings.Builder
		for i := range len(s) {
			fmt.Fprintf(&escaped, "%%%02X", s[i])
		}
		if again := string(PercentDecode(escaped.String())); again != s {
			t.Fatalf("PercentDecode(%q) = %q", escaped.String(), again)
		}
	})
}
