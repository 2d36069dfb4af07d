package url

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	// want is "href origin host port path query fragment" with "-" for an
	// empty field and "(null)" marking a null query or fragment; or
	// "failure".
	cases := []struct{ input, base, want string }{
		// Examples of the URL Standard (https://url.spec.whatwg.org/#url-writing and https://url.spec.whatwg.org/#url-parsing).
		{"https:example.org", "", "https://example.org/ https://example.org example.org - / (null) (null)"},
		{"https://////example.com///", "", "https://example.com/// https://example.com example.com - /// (null) (null)"},
		{"https://example.com/././foo", "", "https://example.com/foo https://example.com example.com - /foo (null) (null)"},
		{"hello:world", "https://example.com/", "hello:world null - - world (null) (null)"},
		{"https:example.org", "https://example.com/", "https://example.com/example.org https://example.com example.com - /example.org (null) (null)"},
		{`\example\..\demo/.\`, "https://example.com/", "https://example.com/demo/ https://example.com example.com - /demo/ (null) (null)"},
		{"example", "https://example.com/demo", "https://example.com/example https://example.com example.com - /example (null) (null)"},
		{"file:///C|/demo", "", "file:///C:/demo null - - /C:/demo (null) (null)"},
		{"..", "file:///C:/demo", "file:///C:/ null - - /C:/ (null) (null)"},
		{"file://loc%61lhost/", "", "file:/// null - - / (null) (null)"},
		{"https://user:password@example.org/", "", "https://user:password@example.org/ https://example.org example.org - / (null) (null)"},
		{"https://example.org/foo bar", "", "https://example.org/foo%20bar https://example.org example.org - /foo%20bar (null) (null)"},
		{"https://EXAMPLE.com/../x", "", "https://example.com/x https://example.com example.com - /x (null) (null)"},
		{"https://ex ample.org/", "", "failure"},
		{"example", "", "failure"},
		{"https://example.com:demo", "", "failure"},
		{"http://[www.example.com]/", "", "failure"},
		// Parts the parser library serializes in time that grows with their
		// square: past bindings/internal/urlbound's bounds, a failure (a
		// million path segments took it minutes).
		{"http://x/" + strings.Repeat("a/", 1e6), "", "failure"},
		{"foo://" + strings.Repeat("a", 1e6), "", "failure"},
		{"https://" + strings.Repeat("a", 1e6) + "@example.org/", "", "failure"},
		{strings.Repeat("a/", 3000), "https://example.org/", "failure"},
		// Percent-encoding makes a byte up to nine: a URL whose
		// serialization passes the bound is a failure too, so that every
		// href parses again.
		{"http://" + strings.Repeat("é", 2000) + "@x/", "", "failure"},
		{"http://" + strings.Repeat("é", 1000) + "@x/", "", "http://" + strings.Repeat("%C3%A9", 1000) + "@x/ http://x x - / (null) (null)"},
		{"foo://" + strings.Repeat("\xca", 1000) + "/x", "", "failure"},
		// A file URL's path is no authority, however long its first segment
		// (fuzzing found "file:///C|" and 3,000 invalid bytes refused once
		// its href was percent-encoded).
		{"file:///" + strings.Repeat("a", 10000), "", "file:///" + strings.Repeat("a", 10000) + " null - - /" + strings.Repeat("a", 10000) + " (null) (null)"},
		{"https://example.org//", "", "https://example.org// https://example.org example.org - // (null) (null)"},
		{"https://example.com/[]?[]#[]", "", "https://example.com/[]?[]#[] https://example.com example.com - /[] [] []"},
		{"https://example/%?%#%", "", "https://example/%?%#% https://example example - /% % %"},
		{"https://example/%25?%25#%25", "", "https://example/%25?%25#%25 https://example example - /%25 %25 %25"},
		// WebSocket URLs.
		{"ws://foo bar.com/", "", "failure"},
		{"ws://example.com:80/chat?x=1#y", "", "ws://example.com/chat?x=1#y ws://example.com example.com - /chat x=1 y"},
		{"wss://example.com:443", "", "wss://example.com/ wss://example.com example.com - / (null) (null)"},
		{"wss://example.com:8443/?", "", "wss://example.com:8443/? wss://example.com:8443 example.com 8443 / - (null)"},
		{"ws://example.com/#", "", "ws://example.com/# ws://example.com example.com - / (null) -"},
		{"ws://example.com:65536/", "", "failure"},
		{"ws://[::1]:8080/", "", "ws://[::1]:8080/ ws://[::1]:8080 [::1] 8080 / (null) (null)"},
		{"http://天気の良い日.web-platform.test:8000/", "", "http://xn--n8j6ds53lwwkrqhv28a.web-platform.test:8000/ http://xn--n8j6ds53lwwkrqhv28a.web-platform.test:8000 xn--n8j6ds53lwwkrqhv28a.web-platform.test 8000 / (null) (null)"},
		{"HTTP://0x7F.1:80/a/../b", "", "http://127.0.0.1/b http://127.0.0.1 127.0.0.1 - /b (null) (null)"},
		{"http://a%2Fb/", "", "failure"},
		{"http://a<b/", "", "failure"},
		{"/path?q", "ws://h:1/x", "ws://h:1/path?q ws://h:1 h 1 /path q (null)"},
		{"  \tws://h/\n ", "", "ws://h/ ws://h h - / (null) (null)"},
		{"x", "", "failure"},
		{"x", "not a url", "failure"},
		{"blob:https://example.org:443/uuid", "", "blob:https://example.org:443/uuid https://example.org - - https://example.org:443/uuid (null) (null)"},
		{"blob:ftp://example.org/uuid", "", "blob:ftp://example.org/uuid null - - ftp://example.org/uuid (null) (null)"},
		{"data:text/plain,hi", "", "data:text/plain,hi null - - text/plain,hi (null) (null)"},
		{"non-special://h:1/a b", "", "non-special://h:1/a%20b null h 1 /a%20b (null) (null)"},
		// A non-ASCII label whose Punycode form would not decode again (over
		// 1024 code points) is refused, so that every href parses (hostDecodes).
		{"ws:\u0772" + strings.Repeat("7", 1023), "", "ws://xn--" + strings.Repeat("7", 1023) + "-hj00m/ ws://xn--" + strings.Repeat("7", 1023) + "-hj00m xn--" + strings.Repeat("7", 1023) + "-hj00m - / (null) (null)"},
		{"ws:\u0772" + strings.Repeat("7", 1024), "", "failure"},
		{"ws://h/", "ws:\u0772" + strings.Repeat("7", 1024), "failure"},
		{"//\u0772" + strings.Repeat("7", 1024), "ws://h/", "failure"},
	}
	for _, c := range cases {
		rec, err := Parse(c.input, c.base)
		if c.want == "failure" {
			if err == nil {
				t.Errorf("Parse(%.80q, %.80q) = %.80q, want failure", c.input, c.base, rec.Href)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%.80q, %.80q): %.200v", c.input, c.base, err)
			continue
		}
		field := func(s string, has bool) string {
			switch {
			case !has:
				return "(null)"
			case s == "":
				return "-"
			}
			return s
		}
		got := strings.Join([]string{rec.Href, rec.Origin, field(rec.Host, true), field(rec.Port, true), field(rec.Path, true),
			field(rec.Query, rec.HasQuery), field(rec.Fragment, rec.HasFragment)}, " ")
		if got != c.want {
			t.Errorf("Parse(%.80q, %.80q)\n got %.200s\nwant %.200s", c.input, c.base, got, c.want)
		}
	}
	rec, err := Parse("wss://u:p@h:1/p?q#f", "")
	if err != nil || rec.Scheme != "wss" || rec.Username != "u" || rec.Password != "p" {
		t.Errorf("components: %+v, %v", rec, err)
	}
	if _, err := Parse("x", "bad"); err == nil || !strings.Contains(err.Error(), "base") {
		t.Errorf("error for a bad base: %v", err)
	}
}

func TestURLEncoded(t *testing.T) {
	cases := []struct {
		in   string
		want []pair
		out  string
	}{
		{"", nil, ""},
		{"a=1&b=2", []pair{{"a", "1"}, {"b", "2"}}, "a=1&b=2"},
		{"&&a&=&b=", []pair{{"a", ""}, {"", ""}, {"b", ""}}, "a=&=&b="},
		{"a=b=c", []pair{{"a", "b=c"}}, "a=b%3Dc"},
		{"a+b=c+d", []pair{{"a b", "c d"}}, "a+b=c+d"},
		{"%2B=%2b%20", []pair{{"+", "+ "}}, "%2B=%2B+"},
		{"%zz=%4", []pair{{"%zz", "%4"}}, "%25zz=%254"},
		{"%FF=%C3%A9", []pair{{"\uFFFD", "é"}}, "%EF%BF%BD=%C3%A9"},
		{"%EF%BB%BFx=1", []pair{{"\uFEFFx", "1"}}, "%EF%BB%BFx=1"},
		{"€=\U0001D306", []pair{{"€", "\U0001D306"}}, "%E2%82%AC=%F0%9D%8C%86"},
		{"*-._~!'()", []pair{{"*-._~!'()", ""}}, "*-._%7E%21%27%28%29="},
	}
	for _, c := range cases {
		got := parseURLEncoded(nil, c.in)
		if len(got) != len(c.want) {
			t.Errorf("parse %q = %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("parse %q = %q, want %q", c.in, got, c.want)
				break
			}
		}
		if s := serializeURLEncoded(got); s != c.out {
			t.Errorf("serialize(parse(%q)) = %q, want %q", c.in, s, c.out)
		}
	}
}

func TestLessUTF16(t *testing.T) {
	// U+FFFD sorts after U+1D306 in UTF-16 (0xFFFD > 0xD834) although
	// its code point is smaller.
	cases := []struct {
		a, b string
		less bool
	}{
		{"a", "b", true},
		{"b", "a", false},
		{"a", "ab", true},
		{"ab", "a", false},
		{"", "a", true},
		{"a", "a", false},
		{"\U0001D306", "\uFFFD", true},
		{"\uFFFD", "\U0001D306", false},
		{"\uE000", "\U00010000", false},
		{"\U0001D306", "\U0001D307", true},
		{"\u00e9", "\U0001D306", true},
	}
	for _, c := range cases {
		if got := lessUTF16(c.a, c.b); got != c.less {
			t.Errorf("lessUTF16(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestPotentiallyTrustworthy(t *testing.T) {
	cases := []struct {
		url  string
		want bool
	}{
		{"https://example.com/", true},
		{"wss://example.com/", true},
		{"http://example.com/", false},
		{"ws://example.com/", false},
		{"http://127.0.0.1:8000/", true},
		{"http://127.255.0.9/", true},
		{"http://[::1]/", true},
		{"http://[::2]/", false},
		{"http://localhost/", true},
		{"http://a.b.localhost/", true},
		{"http://localhost.example/", false},
		{"http://192.0.2.1/", false},
		{"about:blank", true},
		{"about:srcdoc", true},
		{"about:config", false},
		{"data:,x", true},
		{"file:///tmp/x", false},
		{"blob:https://example.com/uuid", true},
		{"blob:http://example.com/uuid", false},
	}
	for _, c := range cases {
		rec, err := Parse(c.url, "")
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.url, err)
		}
		if got := rec.PotentiallyTrustworthy(); got != c.want {
			t.Errorf("%s: PotentiallyTrustworthy() = %v, want %v", c.url, got, c.want)
		}
	}
}
