package manifest

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseHTML(t *testing.T) {
	cases := []struct {
		name     string
		html     string
		scripts  []string // srcs(page)
		title    string
		timeout  string
		variants []string
		base     string
	}{
		{name: "wpt test",
			html: "<!doctype html>\n<title>WebSockets: x</title>\n<script src=/resources/testharness.js></script>\n" +
				"<script src='/resources/testharnessreport.js'></script>\n<meta name=\"variant\" content=\"?wss\">\n" +
				"<meta name=timeout content=long>\n<div id=log></div>\n<script>\ntest(() => {});\n</script>\n",
			scripts:  []string{"/resources/testharness.js", "/resources/testharnessreport.js", "inline:test(() => {});"},
			title:    "WebSockets: x",
			timeout:  "long",
			variants: []string{"?wss"}},
		{name: "comments hide scripts",
			html:    "<!-- <script src=a.js></script> --><script src=b.js></script><!--><script src=c.js></script><!---><script src=d.js></script>",
			scripts: []string{"b.js", "c.js", "d.js"}},
		{name: "script text is raw",
			html:    "<script>if (a < b && '</scr' + 'ipt>') x = \"<script>\";</script ><script src=x.js></SCRIPT>",
			scripts: []string{"inline:if (a < b && '</scr' + 'ipt>') x = \"<script>\";", "x.js"}},
		{name: "end tag needs a delimiter",
			html:    "<script>a = '</scriptx>';</script>",
			scripts: []string{"inline:a = '</scriptx>';"}},
		{name: "raw text elements hide scripts",
			html:    "<style><script src=a.js></script></style><textarea><script src=b.js></script></textarea><xmp><script src=c.js></script></xmp><script src=d.js></script>",
			scripts: []string{"d.js"}},
		{name: "plaintext ends everything",
			html:    "<script src=a.js></script><plaintext><script src=b.js></script>",
			scripts: []string{"a.js"}},
		{name: "attributes",
			html: "<SCRIPT SRC = \"a.js?x=1&amp;y=2\" type=text/javascript defer></SCRIPT><script src=b&#x2e;js/><script src=\"c.js\"src=\"d.js\"></script>",
			// "/" belongs to an unquoted value, so the third tag is text of the second script.
			scripts: []string{"a.js?x=1&y=2", "b.js/"}},
		{name: "first of duplicate attributes",
			html:    "<script src=\"c.js\"src=\"d.js\"></script>",
			scripts: []string{"c.js"}},
		{name: "title character references and spaces",
			html:  "<title>\n  A &amp; B &lt;&#67;&#x44;&gt; &unknown; &#0;  </title><title>second</title>",
			title: "A & B <CD> &unknown; \ufffd"},
		{name: "first timeout, every variant, first base",
			html:     "<meta name=timeout content=normal><meta name=TIMEOUT content=long><meta name=variant content=''><meta name=variant><meta name=variant content=?b><base target=x><base href=/x/><base href=/y/>",
			timeout:  "normal",
			variants: []string{"", "?b"},
			base:     "/x/"},
		{name: "unterminated",
			html:    "<script src=a.js></script><script>never closed",
			scripts: []string{"a.js", "inline:never closed"}},
		{name: "stray less-than", html: "a < b <3 <script src=a.js></script> <", scripts: []string{"a.js"}},
		{name: "processing instruction and end tags", html: "<?xml x?></div><script src=a.js></script>", scripts: []string{"a.js"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ParseHTML([]byte(c.html))
			if got := srcs(p); !reflect.DeepEqual(got, c.scripts) {
				t.Errorf("scripts %q, want %q", got, c.scripts)
			}
			if p.Title != c.title || p.Timeout != c.timeout || !reflect.DeepEqual(p.Variants, c.variants) || p.Base != c.base {
				t.Errorf("title %q timeout %q variants %q base %q; want %q %q %q %q",
					p.Title, p.Timeout, p.Variants, p.Base, c.title, c.timeout, c.variants, c.base)
			}
		})
	}
}

func TestScriptLine(t *testing.T) {
	p := ParseHTML([]byte("<!doctype html>\n<title>x</title>\n<script>\n1;\n</script>\n<script>2;</script>"))
	if len(p.Scripts) != 2 || p.Scripts[0].Line != 3 || p.Scripts[1].Line != 6 {
		t.Fatalf("lines: %+v", p.Scripts)
	}
}

func TestScriptKind(t *testing.T) {
	cases := []struct {
		tag  string
		want ScriptKind
	}{
		{"<script>", Classic},
		{"<script type=''>", Classic},
		{"<script type='text/javascript'>", Classic},
		{"<script type=' Application/JavaScript '>", Classic},
		{"<script type=text/javascript1.5>", Classic},
		{"<script language=''>", Classic},
		{"<script language=javascript>", Classic},
		{"<script language=vbscript>", DataBlock},
		{"<script type=module>", Module},
		{"<script type=MODULE>", Module},
		{"<script type=importmap>", ImportMap},
		{"<script type=text/plain>", DataBlock},
		{"<script type='text/javascript; charset=utf-8'>", DataBlock},
		{"<script type='' language=vbscript>", Classic},
		{"<script type=module language=javascript>", Module},
	}
	for _, c := range cases {
		p := ParseHTML([]byte(c.tag + "</script>"))
		if len(p.Scripts) != 1 {
			t.Fatalf("%s: %d scripts", c.tag, len(p.Scripts))
		}
		if got := p.Scripts[0].Kind(); got != c.want {
			t.Errorf("%s: kind %v, want %v", c.tag, got, c.want)
		}
	}
}

func FuzzParseHTML(f *testing.F) {
	f.Add("<!doctype html><title>t</title><script src=/resources/testharness.js></script><script>x</script>")
	f.Add("<meta name=variant content=?a><meta name=timeout content=long><base href=/>")
	f.Add("<!--><script src='a'></script><!---><style><script></style>")
	f.Add("<script src=\"&#x110000;&#xD800;&amp&ampx&#\">")
	f.Add("<a b=c d='e' f=\"g\" = h/><</script <plaintext>")
	f.Fuzz(func(t *testing.T, html string) {
		p := ParseHTML([]byte(html))
		for _, s := range p.Scripts {
			if s.Line < 1 || s.Line > strings.Count(html, "\n")+1 {
				t.Errorf("script line %d out of range", s.Line)
			}
			if !s.HasSrc && s.Src != "" {
				t.Errorf("src %q without src attribute", s.Src)
			}
			_ = s.Kind()
		}
		// "Strip and collapse ASCII whitespace" (HTML): tab, LF, FF, CR and space
		// only; U+000B and Unicode spaces stay as they are.
		const ascii = "\t\n\f\r "
		if p.Title != strings.Trim(p.Title, ascii) || strings.Contains(p.Title, "  ") || strings.ContainsAny(p.Title, "\t\n\f\r") {
			t.Errorf("title %q not collapsed", p.Title)
		}
		if utf8.ValidString(html) && !utf8.ValidString(p.Title) {
			t.Errorf("invalid UTF-8 title %q from valid input", p.Title)
		}
	})
}

func FuzzParseMeta(f *testing.F) {
	f.Add("// META: script=a.js\n// META: variant=?wss\ntest()")
	f.Add("//META:global=window,worker\r\n//\tMETA:\ttimeout=long")
	f.Add("// META: =\n// META:")
	f.Fuzz(func(t *testing.T, src string) {
		meta := ParseMeta([]byte(src))
		lines := strings.Split(src, "\n")
		if len(meta) > len(lines) {
			t.Fatalf("%d entries from %d lines", len(meta), len(lines))
		}
		for i, m := range meta {
			if strings.Contains(m.Value, "\n") || !strings.HasSuffix(strings.TrimSuffix(lines[i], "\r"), m.Value) {
				t.Errorf("entry %d value %q is not the end of line %q", i, m.Value, lines[i])
			}
			for _, c := range []byte(m.Key) {
				if !isWordByte(c) {
					t.Errorf("entry %d key %q has non-word byte", i, m.Key)
				}
			}
			if !strings.HasPrefix(lines[i], "//") || !strings.Contains(lines[i], "META:") {
				t.Errorf("entry %d from line %q", i, lines[i])
			}
		}
		if _, unknown := ParseGlobals(src); len(unknown) > strings.Count(src, ",")+1 {
			t.Errorf("more unknown globals than items")
		}
	})
}
