package manifest

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Page is what a test runner needs from an HTML document: its scripts in
// document order and the few <meta>, <title> and <base> elements that
// configure a test.
type Page struct {
	// Scripts are the <script> elements, in document order.
	Scripts []Script
	// Title is the text of the first <title>, white space stripped and
	// collapsed as document.title does; empty if there is none.
	Title string
	// Timeout is the content of the first <meta name=timeout>.
	Timeout string
	// Variants are the contents of every <meta name=variant>, in order.
	Variants []string
	// Base is the href of the first <base> that has one.
	Base string
}

// A Script is one <script> element.
type Script struct {
	// Src is the src attribute, character references decoded; HasSrc
	// reports whether there was one (a script with src ignores its text).
	Src    string
	HasSrc bool
	// Text is the element's content.
	Text string
	// Type and Language are the type and language attributes.
	Type, Language string
	// Whether the type and language attributes are present.
	hasType, hasLanguage bool
	// Line is the line (from 1) the element's content starts on.
	Line int
}

// ScriptKind is what the HTML Standard does with a script element ("prepare the
// script element",
// https://html.spec.whatwg.org/multipage/scripting.html#prepare-the-script-element,
// the steps that determine the script block's type string).
type ScriptKind int

const (
	Classic   ScriptKind = iota // run as a classic script
	Module                      // run as a module script
	ImportMap                   // an import map
	DataBlock                   // not run at all
)

// jsMIMETypes are the JavaScript MIME type essence matches (MIME Sniffing
// Standard, "JavaScript MIME type").
var jsMIMETypes = map[string]bool{
	"application/ecmascript": true, "application/javascript": true,
	"application/x-ecmascript": true, "application/x-javascript": true,
	"text/ecmascript": true, "text/javascript": true, "text/javascript1.0": true,
	"text/javascript1.1": true, "text/javascript1.2": true, "text/javascript1.3": true,
	"text/javascript1.4": true, "text/javascript1.5": true, "text/jscript": true,
	"text/livescript": true, "text/x-ecmascript": true, "text/x-javascript": true,
}

// Kind returns how the script element is treated.
func (s Script) Kind() ScriptKind {
	// HTML's "prepare the script element"
	// (https://html.spec.whatwg.org/multipage/scripting.html#prepare-the-script-element),
	// the type string: an empty or absent type with an empty or absent language
	// is JavaScript; else the type; else "text/" followed by the language.
	var typ string
	switch {
	case s.hasType && s.Type == "", !s.hasType && s.hasLanguage && s.Language == "", !s.hasType && !s.hasLanguage:
		typ = "text/javascript"
	case s.hasType:
		typ = s.Type
	default:
		typ = "text/" + s.Language
	}
	typ = strings.ToLower(strings.Trim(typ, " \t\n\f\r"))
	switch {
	case jsMIMETypes[typ]:
		return Classic
	case typ == "module":
		return Module
	case typ == "importmap":
		return ImportMap
	}
	return DataBlock
}

// rawTextElements hold text that is not markup, up to their end tag.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "xmp": true, "iframe": true,
	"noembed": true, "noframes": true, "noscript": true,
	"title": true, "textarea": true,
}

// ParseHTML extracts a Page from an HTML document. It is a small, tolerant
// tokenizer, not a full HTML parser: it knows comments, doctypes, start and
// end tags with quoted or unquoted attributes, character references in
// attribute values and titles, and the elements whose content is text
// (script, style, title, textarea and the like), which is enough to find
// scripts in document order. It never fails; malformed markup is skipped the
// way the HTML tokenizer would, as closely as this needs.
func ParseHTML(src []byte) Page {
	var p Page
	var haveTitle, haveTimeout, haveBase bool
	i := 0
	for {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			return p
		}
		i += j
		rest := src[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipComment(src, i+4)
		case bytes.HasPrefix(rest, []byte("<!")), bytes.HasPrefix(rest, []byte("<?")):
			i = skipTo(src, i+2, '>')
		case bytes.HasPrefix(rest, []byte("</")):
			i = skipTo(src, i+2, '>')
		case len(rest) > 1 && isASCIIAlpha(rest[1]):
			name, attrs, end := parseTag(src, i+1)
			i = end
			if name == "plaintext" {
				return p
			}
			if !rawTextElements[name] {
				switch name {
				case "meta":
					n := strings.ToLower(attrValue(attrs, "name"))
					content, hasContent := attrLookup(attrs, "content")
					switch {
					case n == "timeout" && !haveTimeout:
						haveTimeout = true
						p.Timeout = content
					case n == "variant" && hasContent:
						p.Variants = append(p.Variants, content)
					}
				case "base":
					if href, ok := attrLookup(attrs, "href"); ok && !haveBase {
						haveBase = true
						p.Base = href
					}
				}
				continue
			}
			textStart := i
			textEnd, after := findEndTag(src, i, name)
			i = after
			text := src[textStart:textEnd]
			switch name {
			case "script":
				s := Script{
					Text: string(text),
					Line: 1 + bytes.Count(src[:textStart], []byte("\n")),
				}
				s.Type, s.hasType = attrLookup(attrs, "type")
				s.Language, s.hasLanguage = attrLookup(attrs, "language")
				s.Src, s.HasSrc = attrLookup(attrs, "src")
				p.Scripts = append(p.Scripts, s)
			case "title":
				if !haveTitle {
					haveTitle = true
					p.Title = collapseSpace(decodeCharRefs(string(text)))
				}
			}
		default:
			i++ // a "<" that starts nothing is text
		}
	}
}

type attr struct{ name, value string }

func attrLookup(attrs []attr, name string) (string, bool) {
	for _, a := range attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

func attrValue(attrs []attr, name string) string {
	v, _ := attrLookup(attrs, name)
	return v
}

func isASCIIAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func toLowerASCII(b []byte) string {
	s := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		s[i] = c
	}
	return string(s)
}

// skipTo returns the index after the first c at or after i, or len(src).
func skipTo(src []byte, i int, c byte) int {
	if k := bytes.IndexByte(src[i:], c); k >= 0 {
		return i + k + 1
	}
	return len(src)
}

// skipComment skips a comment whose "<!--" ends at i, including the abrupt
// closings "<!-->" and "<!--->".
func skipComment(src []byte, i int) int {
	rest := src[i:]
	if bytes.HasPrefix(rest, []byte(">")) {
		return i + 1
	}
	if bytes.HasPrefix(rest, []byte("->")) {
		return i + 2
	}
	if k := bytes.Index(rest, []byte("-->")); k >= 0 {
		return i + k + 3
	}
	return len(src)
}

// parseTag parses a start tag whose name starts at i and returns its
// lower-cased name, its attributes (the first of duplicates wins) and the
// index after its ">".
func parseTag(src []byte, i int) (string, []attr, int) {
	start := i
	for i < len(src) && !isHTMLSpace(src[i]) && src[i] != '/' && src[i] != '>' {
		i++
	}
	name := toLowerASCII(src[start:i])
	var attrs []attr
	for i < len(src) {
		for i < len(src) && (isHTMLSpace(src[i]) || src[i] == '/') {
			i++
		}
		if i >= len(src) {
			break
		}
		if src[i] == '>' {
			return name, attrs, i + 1
		}
		ns := i
		i++ // the first character may be "=", as in the HTML tokenizer
		for i < len(src) && !isHTMLSpace(src[i]) && src[i] != '/' && src[i] != '>' && src[i] != '=' {
			i++
		}
		an := toLowerASCII(src[ns:i])
		for i < len(src) && isHTMLSpace(src[i]) {
			i++
		}
		var value string
		if i < len(src) && src[i] == '=' {
			i++
			for i < len(src) && isHTMLSpace(src[i]) {
				i++
			}
			if i < len(src) && (src[i] == '"' || src[i] == '\'') {
				q := src[i]
				vs := i + 1
				k := bytes.IndexByte(src[vs:], q)
				if k < 0 {
					value, i = string(src[vs:]), len(src)
				} else {
					value, i = string(src[vs:vs+k]), vs+k+1
				}
			} else {
				vs := i
				for i < len(src) && !isHTMLSpace(src[i]) && src[i] != '>' {
					i++
				}
				value = string(src[vs:i])
			}
			value = decodeCharRefs(value)
		}
		if _, dup := attrLookup(attrs, an); !dup {
			attrs = append(attrs, attr{an, value})
		}
	}
	return name, attrs, len(src)
}

// findEndTag finds the end tag "</name" (any case) followed by white space,
// "/" or ">", from i. It returns where the text ends and the index after the
// end tag's ">"; without an end tag the text runs to the end.
func findEndTag(src []byte, i int, name string) (textEnd, after int) {
	for {
		k := bytes.Index(src[i:], []byte("</"))
		if k < 0 {
			return len(src), len(src)
		}
		k += i
		n := k + 2 + len(name)
		if n <= len(src) && toLowerASCII(src[k+2:n]) == name &&
			(n == len(src) || isHTMLSpace(src[n]) || src[n] == '/' || src[n] == '>') {
			return k, skipTo(src, n, '>')
		}
		i = k + 2
	}
}

// collapseSpace strips leading and trailing ASCII white space and replaces
// every run inside by one space ("strip and collapse ASCII whitespace").
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < utf8.RuneSelf && isHTMLSpace(byte(r))
	}), " ")
}

// namedRefs are the named character references decoded; others stay as
// written. Those marked legacy are recognised without a semicolon too.
var namedRefs = map[string]struct {
	r      string
	legacy bool
}{
	"amp": {"&", true}, "lt": {"<", true}, "gt": {">", true}, "quot": {"\"", true},
	"apos": {"'", false}, "nbsp": {"\u00a0", true},
}

// decodeCharRefs decodes numeric character references and the common named
// ones.
func decodeCharRefs(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		r, n := charRef(s)
		if n == 0 {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		b.WriteString(r)
		s = s[n:]
	}
}

// charRef decodes the character reference at the start of s ("&...") and
// returns it and its length, or a zero length if there is none.
func charRef(s string) (string, int) {
	if len(s) > 2 && s[1] == '#' {
		i, base := 2, 10
		if s[2] == 'x' || s[2] == 'X' {
			i, base = 3, 16
		}
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || base == 16 && strings.IndexByte("abcdefABCDEF", s[j]) >= 0) {
			j++
		}
		if j == i {
			return "", 0
		}
		n, err := strconv.ParseUint(s[i:j], base, 32)
		r := rune(n)
		// HTML's "numeric character reference end state"
		// (https://html.spec.whatwg.org/multipage/parsing.html#numeric-character-reference-end-state):
		// zero, surrogates and values beyond Unicode become U+FFFD.
		if err != nil || n == 0 || n > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
			r = utf8.RuneError
		}
		if j < len(s) && s[j] == ';' {
			j++
		}
		return string(r), j
	}
	j := 1
	for j < len(s) && j < 10 && (isASCIIAlpha(s[j]) || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	ref, ok := namedRefs[s[1:j]]
	if !ok {
		return "", 0
	}
	if j < len(s) && s[j] == ';' {
		return ref.r, j + 1
	}
	if ref.legacy {
		return ref.r, j
	}
	return "", 0
}
