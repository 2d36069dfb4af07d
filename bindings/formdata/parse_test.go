package formdata

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/wsjs/wsjs/bindings"
)

func TestParseMultipart(t *testing.T) {
	const cd = "Content-Disposition: form-data; "
	cases := []struct {
		name, body string
		want       []part // nil: the body does not parse
	}{
		{"empty form", "--b--", []part{}},
		{"epilogue ignored", "--b--\r\nanything", []part{}},
		{"field", "--b\r\n" + cd + `name="a"` + "\r\n\r\nvalue\r\n--b--\r\n",
			[]part{{name: "a", value: []byte("value")}}},
		{"empty value and name", "--b\r\n" + cd + `name=""` + "\r\n\r\n\r\n--b--",
			[]part{{name: "", value: []byte{}}}},
		{"file", "--b\r\n" + cd + `name="f"; filename="x.txt"` + "\r\nContent-Type: text/html  \r\n\r\n<p>\r\n--b--",
			[]part{{name: "f", value: []byte("<p>"), isFile: true, filename: "x.txt", contentType: "text/html"}}},
		{"file without type is text/plain", "--b\r\n" + cd + `name="f"; filename=""` + "\r\n\r\nz\r\n--b--",
			[]part{{name: "f", value: []byte("z"), isFile: true, contentType: "text/plain"}}},
		{"type of a field kept out", "--b\r\nContent-Type: image/png\r\n" + cd + `name="a"` + "\r\n\r\nv\r\n--b--",
			[]part{{name: "a", value: []byte("v"), contentType: "image/png"}}},
		{"two parts", "--b\r\n" + cd + `name="a"` + "\r\n\r\n1\r\n--b\r\n" + cd + `name="b"` + "\r\n\r\n2\r\n--b--",
			[]part{{name: "a", value: []byte("1")}, {name: "b", value: []byte("2")}}},
		{"escapes decoded, others kept", "--b\r\n" + cd + `name="%0A%0D%22%41"; filename="%22"` + "\r\n\r\n\r\n--b--",
			[]part{{name: "\n\r\"%41", value: []byte{}, isFile: true, filename: `"`, contentType: "text/plain"}}},
		{"boundary text inside content", "--b\r\n" + cd + `name="a"` + "\r\n\r\nx--b\r\n-b\r\n-b\r\n--b--",
			[]part{{name: "a", value: []byte("x--b\r\n-b\r\n-b")}}},
		{"header name case and padding", "--b\r\n content-DISPOSITION \t:  form-data; name=\"a\"\r\nX-Other: ignored\r\n\r\nv\r\n--b--",
			[]part{{name: "a", value: []byte("v")}}},
		{"later disposition wins", "--b\r\n" + cd + `name="a"; filename="f"` + "\r\n" + cd + `name="c"` + "\r\n\r\nv\r\n--b--",
			[]part{{name: "c", value: []byte("v")}}},
		{"binary content", "--b\r\n" + cd + `name="a"` + "\r\n\r\n\x00\xff\r\r\n--b--",
			[]part{{name: "a", value: []byte("\x00\xff\r")}}},
		{"no body", "", nil},
		{"preamble", "x\r\n--b--", nil},
		{"other boundary", "--c--", nil},
		{"no close delimiter", "--b\r\n" + cd + `name="a"` + "\r\n\r\nv", nil},
		{"no part end", "--b\r\n" + cd + `name="a"` + "\r\n\r\nv\r\n--b", nil},
		{"delimiter starting a longer line", "--b\r\n" + cd + `name="a"` + "\r\n\r\nx\r\n--bc\r\n--b--", nil},
		{"junk after delimiter", "--b\r\n" + cd + `name="a"` + "\r\n\r\nv\r\n--b x", nil},
		{"no disposition", "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", nil},
		{"not form-data", "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--b--", nil},
		{"unquoted name", "--b\r\n" + cd + "name=a\r\n\r\nv\r\n--b--", nil},
		{"unterminated name", "--b\r\n" + cd + `name="a` + "\r\n\r\nv\r\n--b--", nil},
		{"extra parameter", "--b\r\n" + cd + `name="a"; size=1` + "\r\n\r\nv\r\n--b--", nil},
		{"header without colon", "--b\r\n" + cd + `name="a"` + "\r\nX\r\n\r\nv\r\n--b--", nil},
		{"header name not a token", "--b\r\nX Y: z\r\n" + cd + `name="a"` + "\r\n\r\nv\r\n--b--", nil},
		{"empty header name", "--b\r\n: z\r\n" + cd + `name="a"` + "\r\n\r\nv\r\n--b--", nil},
		{"LF line ends", "--b\n" + cd + `name="a"` + "\n\nv\n--b--", nil},
		{"bare CR in header", "--b\r\n" + cd + `name="a"` + "\rX: y\r\n\r\nv\r\n--b--", nil},
		{"headers run to the end", "--b\r\n" + cd + `name="a"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseMultipart([]byte(c.body), "b")
			if c.want == nil {
				if ok {
					t.Fatalf("parsed as %+v, want failure", got)
				}
				return
			}
			if !ok {
				t.Fatal("failed to parse")
			}
			if describe(got) != describe(c.want) {
				t.Errorf("got  %s\nwant %s", describe(got), describe(c.want))
			}
		})
	}
}

func TestEncodeMultipart(t *testing.T) {
	parts := []part{
		{name: "a\r\n\"b\"", value: []byte("v\r\n")},
		{name: "f", value: []byte("\x00--x"), isFile: true, filename: "n\n\"\r.txt", contentType: "text/plain"},
	}
	got, ok := encodeMultipart(nil, parts, "x")
	want := "--x\r\n" +
		"Content-Disposition: form-data; name=\"a%0D%0A%22b%22\"\r\n\r\nv\r\n\r\n" +
		"--x\r\n" +
		"Content-Disposition: form-data; name=\"f\"; filename=\"n%0A%22%0D.txt\"\r\nContent-Type: text/plain\r\n\r\n\x00--x\r\n" +
		"--x--\r\n"
	if !ok || string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(got) != cap(got) {
		t.Errorf("measured %d bytes, wrote %d", cap(got), len(got))
	}
	if _, ok := encodeMultipart(bindings.NewBudget(int64(len(want)-1)), parts, "x"); ok {
		t.Error("encoded beyond the budget")
	}
	// What it encodes parses back to the same parts.
	back, ok := parseMultipart(got, "x")
	if !ok || len(back) != 2 || back[0].name != parts[0].name || string(back[1].value) != "\x00--x" || back[1].filename != parts[1].filename {
		t.Errorf("parsed back as %s", describe(back))
	}
}

func TestNormalizeNewlines(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "a", "\r": "\r\n", "\n": "\r\n", "\r\n": "\r\n", "\n\r": "\r\n\r\n",
		"a\rb\nc\r\nd\r\r\n": "a\r\nb\r\nc\r\nd\r\n\r\n",
	} {
		if got := normalizeNewlines(in); got != want {
			t.Errorf("normalizeNewlines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewBoundaryAvoidsContent(t *testing.T) {
	b := newBoundary(nil)
	if len(b) < 40 || !isToken([]byte(b)) {
		t.Errorf("boundary %q", b)
	}
	parts := []part{{name: "n", value: []byte("----wsjsFormBoundary")}}
	if !occursIn(parts, []byte("--wsjsForm")) || occursIn(parts, []byte(newBoundary(parts))) {
		t.Error("occursIn")
	}
}

// FuzzParseMultipart checks that the parser never panics, that the values
// it returns are slices of the body (so that parsing holds no more than the
// body and the list of parts, which is no longer than the body allows), and
// that what it parses encodes and parses back to the same entries.
func FuzzParseMultipart(f *testing.F) {
	const cd = "Content-Disposition: form-data; "
	f.Add([]byte("--b--"), "b")
	f.Add([]byte("--b\r\n"+cd+`name="a"`+"\r\n\r\nv\r\n--b--"), "b")
	f.Add([]byte("--b\r\n"+cd+`name="%22a"; filename="f"`+"\r\nContent-Type: x/y\r\n\r\n\x00\r\n--b\r\n"+cd+`name="c"`+"\r\n\r\n\r\n--b--\r\n"), "b")
	f.Add([]byte("----\r\n\r\n\r\n------"), "--")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		parts, ok := parseMultipart(body, boundary)
		if !ok {
			return
		}
		// Each part takes at least "\r\n", a Content-Disposition line,
		// the empty line and a delimiter.
		if min := len(cd) + 12; len(parts)*min > len(body) {
			t.Fatalf("%d parts from %d bytes", len(parts), len(body))
		}
		for _, p := range parts {
			if len(p.value) > 0 && !within(body, p.value) {
				t.Fatalf("value %q is not a slice of the body", p.value)
			}
		}
		boundary = newBoundary(parts)
		enc, ok := encodeMultipart(nil, parts, boundary)
		if !ok {
			t.Fatal("encode failed")
		}
		back, ok := parseMultipart(enc, boundary)
		if !ok || len(back) != len(parts) {
			t.Fatalf("%q parsed back as %d parts (%v), want %d", enc, len(back), ok, len(parts))
		}
		for i := range parts {
			p, q := parts[i], back[i]
			if p.name != q.name || !bytes.Equal(p.value, q.value) || p.isFile != q.isFile || p.filename != q.filename {
				t.Fatalf("part %d: %s parsed back as %s", i, describe(parts[i:i+1]), describe(back[i:i+1]))
			}
		}
	})
}

// within reports whether s is a slice of the array of body.
func within(body, s []byte) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	return p >= start && p+uintptr(len(s)) <= start+uintptr(len(body))
}

// describe lists parts for test messages.
func describe(parts []part) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, "{%q %q file=%v %q %q} ", p.name, p.value, p.isFile, p.filename, p.contentType)
	}
	return b.String()
}
