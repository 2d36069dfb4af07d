package fetch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseMIMEType(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"text/html", "text/html"},
		{" TEXT/HTML ; CHARSET=UTF-8 ", "text/html;charset=UTF-8"},
		{`text/html;charset="utf-8"`, "text/html;charset=utf-8"},
		{`text/html;charset="a;b";x=y`, `text/html;charset="a;b";x=y`},
		{`text/html;charset="a\"b\\c"`, `text/html;charset="a\"b\\c"`},
		{`text/html;charset="unterminated`, "text/html;charset=unterminated"},
		{"text/html;charset=a;charset=b", "text/html;charset=a"},
		{"text/html;;a=;b;c=d", "text/html;c=d"},
		{"text/html;a b=c;d=e f", `text/html;d="e f"`},
		{"text/html;a=\x00", "text/html"},
		{"text/html;a=\xe9", "text/html;a=\"\xe9\""},
		{"text/html;charset=", "text/html"},
		{"text/html;charset=\"\"", `text/html;charset=""`},
		{"x/y;z=\"\";w", `x/y;z=""`},
		{"", "failure"},
		{"text", "failure"},
		{"text/", "failure"},
		{"/html", "failure"},
		{"te xt/html", "failure"},
		{"text/ht ml", "failure"},
		{"text/html ;", "text/html"},
	} {
		got := "failure"
		if mt, ok := parseMIMEType(c.in); ok {
			got = mt.serialize()
		}
		if got != c.want {
			t.Errorf("parseMIMEType(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExtractMIMEType(t *testing.T) {
	// The examples of https://fetch.spec.whatwg.org/#content-type-header.
	for _, c := range []struct {
		values []string
		want   string
	}{
		{[]string{"text/plain;charset=gbk, text/html"}, "text/html"},
		{[]string{"text/html;charset=gbk;a=b, text/html;x=y"}, "text/html;x=y;charset=gbk"},
		{[]string{"text/html;charset=gbk;a=b", "text/html;x=y"}, "text/html;x=y;charset=gbk"},
		{[]string{"text/html;charset=gbk", "x/x", "text/html;x=y"}, "text/html;x=y"},
		{[]string{"text/html", "cannot-parse"}, "text/html"},
		{[]string{"text/html", "*/*"}, "text/html"},
		{[]string{"text/html", ""}, "text/html"},
		{[]string{"cannot-parse"}, "failure"},
		{nil, "failure"},
	} {
		var l headerList
		for _, v := range c.values {
			l.append("Content-Type", v)
		}
		got := "failure"
		if mt, ok := extractMIMEType(&l); ok {
			got = mt.serialize()
		}
		if got != c.want {
			t.Errorf("extractMIMEType(%q) = %q, want %q", c.values, got, c.want)
		}
	}
}

func TestDataURL(t *testing.T) {
	for _, c := range []struct{ in, mime, body string }{
		{"data:,Hello%2C%20World%21", "text/plain;charset=US-ASCII", "Hello, World!"},
		{"data:text/plain;base64,SGVsbG8sIFdvcmxkIQ==", "text/plain", "Hello, World!"},
		{"data:text/plain;base64,SGVsbG8sIFdvcmxkIQ", "text/plain", "Hello, World!"},
		{"data:text/plain; BASE64 ,SGk=", "text/plain", "Hi"},
		{"data:text/plain;base64x,SGk=", "text/plain", "SGk="},
		{"data:text/plain;  base64,SGk=", "text/plain", "Hi"},
		{"data:;base64,SGk=", "text/plain;charset=US-ASCII", "Hi"},
		{"data:;charset=utf-8,x", "text/plain;charset=utf-8", "x"},
		{"data: text/html ,<b>", "text/html", "<b>"},
		{"data:bogus,x", "text/plain;charset=US-ASCII", "x"},
		{"data:,%zz%4", "text/plain;charset=US-ASCII", "%zz%4"},
		{"data:;base64,S G\tk=", "text/plain;charset=US-ASCII", "Hi"},
		{"data:x/y;a=b;base64,SGk", "x/y;a=b", "Hi"},
		{"data:;base64,S", "failure", ""},
		{"data:;base64,SGk==", "failure", ""},
		{"data:;base64,S*k=", "failure", ""},
		{"data:no-comma", "failure", ""},
	} {
		mt, body, ok := processDataURL(c.in)
		gotMIME, gotBody := "failure", ""
		if ok {
			gotMIME, gotBody = mt.serialize(), string(body)
		}
		if gotMIME != c.mime || gotBody != c.body {
			t.Errorf("processDataURL(%q) = %q, %q; want %q, %q", c.in, gotMIME, gotBody, c.mime, c.body)
		}
	}
}

func TestParseSingleRange(t *testing.T) {
	for _, c := range []struct {
		in         string
		ws         bool
		start, end int64
		ok         bool
	}{
		{"bytes=0-10", false, 0, 10, true},
		{"bytes=5-", false, 5, -1, true},
		{"bytes=-5", false, -1, 5, true},
		{"bytes = 1 - 2", true, 1, 2, true},
		{"bytes = 1 - 2", false, 0, 0, false},
		{"bytes=-", false, 0, 0, false},
		{"bytes=3-2", false, 0, 0, false},
		{"bits=0-1", false, 0, 0, false},
		{"bytes=0-1x", false, 0, 0, false},
		{"bytes=99999999999999999999-", false, 0, 0, false},
	} {
		start, end, ok := parseSingleRange(c.in, c.ws)
		if ok != c.ok || ok && (start != c.start || end != c.end) {
			t.Errorf("parseSingleRange(%q, %v) = %d, %d, %v", c.in, c.ws, start, end, ok)
		}
	}
}

func TestMatchesIntegrity(t *testing.T) {
	data := []byte("hello")
	// The digests of "hello".
	const (
		sha256 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
		sha384 = "WeF0h3dEjGnea4ANejO7+5/xtGPkQ1TDVTvNucZm+pASWjx5+QOXvfX2oT3oKGhP"
	)
	for _, c := range []struct {
		metadata string
		want     bool
	}{
		{"", true},
		{"md5-abc", true},
		{"sha256-" + sha256, true},
		{"SHA256-" + sha256, true},
		{"sha256-" + sha256 + "?opt", true},
		{"sha256-wrong", false},
		{"sha256-wrong sha256-" + sha256, true},
		{"sha384-" + sha384 + " sha256-wrong", true},
		{"sha384-wrong sha256-" + sha256, false},
		{"sha512-", false},
	} {
		if got := matchesIntegrity(data, c.metadata); got != c.want {
			t.Errorf("matchesIntegrity(%q) = %v", c.metadata, got)
		}
	}
}

// The parsers must never panic, and their results must hold together.

func FuzzParseMIMEType(f *testing.F) {
	for _, s := range []string{"text/html;charset=utf-8", `a/b;c="d\"e";f=g`, " x/y ; ;=;a", "", "/", "a/b;c=\"", "text/plain;\xff=\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mt, ok := parseMIMEType(s)
		if !ok {
			return
		}
		// Serializing and parsing again gives the same MIME type.
		out := mt.serialize()
		again, ok := parseMIMEType(out)
		if !ok || again.serialize() != out {
			t.Fatalf("%q serialized to %q, which parses to %v, %v", s, out, again, ok)
		}
	})
}

func FuzzDataURL(f *testing.F) {
	for _, s := range []string{"data:,x", "data:text/plain;base64,SGk=", "data:;base64,%20S%20G%20k", "data:a/b;c=d,%ff", "data:", "data:;base64,===="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mt, body, ok := processDataURL(s)
		if !ok {
			return
		}
		if _, ok := parseMIMEType(mt.serialize()); !ok {
			t.Fatalf("%q: MIME type %q does not parse", s, mt.serialize())
		}
		if len(body) > len(s) {
			t.Fatalf("%q: body of %d bytes from %d", s, len(body), len(s))
		}
	})
}

func FuzzDecodeSplit(f *testing.F) {
	for _, s := range []string{`a, "b,c", d`, `"\`, `,,`, `"a\"b", c`, "x\t,\ty"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		values := decodeSplit(s)
		if len(values) == 0 {
			t.Fatalf("%q: no values", s)
		}
		for _, v := range values {
			if v != strings.Trim(v, "\t ") {
				t.Fatalf("%q: value %q is not trimmed", s, v)
			}
		}
	})
}

func FuzzParseSingleRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1", "bytes=-5", "bytes = 1 - ", "bytes=", "bytes=1-0"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, ws bool) {
		start, end, ok := parseSingleRange(s, ws)
		if !ok {
			return
		}
		if start < 0 && end < 0 || start >= 0 && end >= 0 && start > end {
			t.Fatalf("%q: %d-%d accepted", s, start, end)
		}
	})
}

func FuzzHeaderValue(f *testing.F) {
	for _, s := range []string{" a ", "\r\nx", "a\x00b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Normalizing gives a valid header value unless NUL, CR or LF
		// remain inside.
		n := normalizeValue(s)
		if isHeaderValue(n) == strings.ContainsAny(n, "\x00\r\n") {
			t.Fatalf("%q normalized to %q: isHeaderValue %v", s, n, isHeaderValue(n))
		}
		if d := isomorphicDecode(s); !utf8.ValidString(d) || utf8.RuneCountInString(d) != len(s) {
			t.Fatalf("isomorphicDecode(%q) = %q", s, d)
		}
	})
}
