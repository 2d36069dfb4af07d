package builtins

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestRewriteEscapes(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`"\u{10FFFF}"`, `"\uDBFF\uDFFF"`},
		{`'\u{0010ffff}' + "\u{10FFFE}"`, `'\uDBFF\uDFFF' + "\u{10FFFE}"`},
		{"`a${ {a: '\\u{10FFFF}'}.a }\\u{10FFFF}`", "`a${ {a: '\\uDBFF\\uDFFF'}.a }\\uDBFF\\uDFFF`"},
		{`/\u{10FFFF}"/u; "\u{10FFFF}"`, `/\u{10FFFF}"/u; "\uDBFF\uDFFF"`},
		{`x = a / "\u{10FFFF}" / 2`, `x = a / "\uDBFF\uDFFF" / 2`},
		{`return /'/.test("\u{10FFFF}")`, `return /'/.test("\uDBFF\uDFFF")`},
		{"// '\\u{10FFFF}\n/* \"\\u{10FFFF} */ '\\u{10FFFF}'", "// '\\u{10FFFF}\n/* \"\\u{10FFFF} */ '\\uDBFF\\uDFFF'"},
		{`var \u{10FFFF}`, `var \u{10FFFF}`},
		{`"\\u{10FFFF}"`, `"\\u{10FFFF}"`},
		// Legacy octal escapes goja would read three digits of.
		{`"\400" + '\777' + "\4000\40\3777"`, `"\40\u0030" + '\77\u0037' + "\40\u00300\40\3777"`},
		{`"\\400" + /\400/ + ` + "`\\400`", `"\\400" + /\400/ + ` + "`\\400`"},
	} {
		got, _ := rewriteEscapes(goja.New().ToValue(c.src).(goja.String), false)
		if got.String() != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// TestRewriteHTMLComments checks that HTML-like comments become single-line
// comments, and nothing else does.
func TestRewriteHTMLComments(t *testing.T) {
	for _, c := range []struct {
		src       string
		lineStart bool
		want      string
	}{
		{"<!-- x\ny", false, "//-- x\ny"},
		{"a <!-- b", false, "a //-- b"},
		{"-->", true, "//>"},
		{"-->", false, "-->"},
		{"\n-->", false, "\n//>"},
		{"x\n  /* a */ --> b\n-->", false, "x\n  /* a */ //> b\n//>"},
		{"x /*\n*/ --> b", false, "x /*\n*/ //> b"},
		{"x /* a */ --> b", false, "x /* a */ --> b"},
		{"\u2028\u00a0-->", false, "\u2028\u00a0//>"},
		{"x-->0; y\n--y", true, "x-->0; y\n--y"},
		{`"<!--"; '-->'; /<!--/; // <!--` + "\n`\n-->`", false, `"<!--"; '-->'; /<!--/; // <!--` + "\n`\n-->`"},
		{"`${\n--> c\n}`", false, "`${\n//> c\n}`"},
	} {
		got, _ := rewriteEscapes(goja.New().ToValue(c.src).(goja.String), c.lineStart)
		if got.String() != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}

// FuzzRewriteEscapes checks that the scanner never panics, changes nothing
// in text without the escape, gives the same text when run again, and that
// the Function constructor never lets a parser panic through.
func FuzzRewriteEscapes(f *testing.F) {
	for _, s := range []string{`"\400\7777"`, `"\u{10FFFF}"`, "`${`\\u{10FFFF}`}`", `/[/]\u{10FFFF}/`, `a /* \u{10FFFF}`, `'\u{10FFFF`, "\\", `return "\u{0000010FFFF}"`, "<!-- a\n-->b", "x /*\n*/ --> y"} {
		f.Add(s)
	}
	vm := goja.New()
	fvm := newVM(f, Options{DynamicFunctions: true})
	construct, _ := goja.AssertFunction(fvm.Get("Function"))
	legacyOctal := regexp.MustCompile(`\\[4-7][0-7][0-7]`)
	f.Fuzz(func(t *testing.T, src string) {
		s := vm.ToValue(src).(goja.String)
		once, changed := rewriteEscapes(s, true)
		lengthens := strings.Contains(strings.ToLower(src), `\u{`) || legacyOctal.MatchString(src)
		if !lengthens && !strings.Contains(src, "<!--") && !strings.Contains(src, "-->") && (changed || once.String() != s.String()) {
			t.Fatalf("%q changed to %q", src, once)
		}
		if once.Length() != s.Length() && !lengthens {
			t.Fatalf("%q changed length: %q", src, once)
		}
		if twice, _ := rewriteEscapes(once, true); twice.String() != once.String() {
			t.Fatalf("%q: %q, then %q", src, once, twice)
		}
		_, _ = construct(goja.Undefined(), fvm.ToValue(src))
	})
}
