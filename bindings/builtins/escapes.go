package builtins

import (
	"github.com/dop251/goja"
)

// goja's lexer miscounts a string or template literal holding the escape
// \u{10FFFF} (the last code point, however many leading zeros it is written
// with) and then panics, which ends the run. rewriteEscapes replaces each such
// escape inside string and template literals with the same code point as a
// surrogate pair, \uDBFF\uDFFF, which is the same string; elsewhere (comments,
// regular expressions, identifiers) the text is left as it is. It tells
// regular expressions from division as parsers do, by what comes before the
// slash, which is right for all but contrived text; a mistake leaves goja to
// panic as before, which the Function constructors and eval turn into a
// SyntaxError.
//
// goja's lexer also reads three octal digits after \4 to \7 in a string
// literal of sloppy code, where the legacy octal escape has two
// (https://tc39.es/ecma262/#prod-annexB-LegacyOctalEscapeSequence): "\400"
// is a space then "0", where goja made it U+0100. The scan writes the digit
// after the two the escape takes as a Unicode escape of the same digit
// ("\40\u0030"), which goja reads as the standard says.
//
// goja's lexer has no HTML-like comments either
// (https://tc39.es/ecma262/#sec-html-like-comments), which scripts, eval code
// and function bodies may hold: <!-- anywhere in code, and --> where only
// white space and comments precede it on its line, begin a comment that runs
// to the end of the line. The same scan writes the first as //-- and the
// second as //>, single-line comments of the same length.

// rewriteEscapes returns src with every \u{10FFFF} in a string or template
// literal written as a surrogate pair and its HTML-like comments as
// single-line comments, and whether it changed anything. lineStart says
// whether src begins a line, as a function body does in the text the
// Function constructor parses: then --> at its start is a comment.
func rewriteEscapes(src goja.String, lineStart bool) (goja.String, bool) {
	r := escapeScanner{src: src, n: src.Length(), lineStart: lineStart}
	r.code(false)
	if r.done == 0 {
		return src, false
	}
	r.out.WriteSubstring(src, r.done, r.n)
	return r.out.String(), true
}

// escapeScanner walks the code units of JavaScript source.
type escapeScanner struct {
	src     goja.String
	n, i    int
	done    int // src[:done] is in out
	out     goja.StringBuilder
	operand bool // the last token ends an operand: a slash divides
	// lineStart: only white space and comments without a line terminator
	// come between the last line terminator and s.i.
	lineStart bool
}

func (s *escapeScanner) at(i int) uint16 {
	if i < s.n {
		return s.src.CharAt(i)
	}
	return 0
}

// code scans code up to the end, or, in a template substitution, to its
// closing brace.
func (s *escapeScanner) code(inSubstitution bool) {
	braces := 0
	for s.i < s.n {
		c := s.at(s.i)
		lineStart := s.lineStart
		s.lineStart = false
		switch {
		case c == '<' && s.at(s.i+1) == '!' && s.at(s.i+2) == '-' && s.at(s.i+3) == '-':
			s.htmlComment("//--", 4)
		case c == '-' && lineStart && s.at(s.i+1) == '-' && s.at(s.i+2) == '>':
			s.htmlComment("//>", 3)
		case c == '\'' || c == '"':
			s.i++
			s.literal(c)
			s.operand = true
		case c == '`':
			s.i++
			s.template()
			s.operand = true
		case c == '/' && s.at(s.i+1) == '/':
			for s.i < s.n && !isLineTerminator(s.at(s.i)) {
				s.i++
			}
		case c == '/' && s.at(s.i+1) == '*':
			s.i += 2
			s.lineStart = lineStart
			for s.i < s.n && !(s.at(s.i) == '*' && s.at(s.i+1) == '/') {
				s.lineStart = s.lineStart || isLineTerminator(s.at(s.i))
				s.i++
			}
			s.i += 2
		case c == '/' && !s.operand:
			s.regExp()
			s.operand = true
		case c == '{':
			braces++
			s.i++
			s.operand = false
		case c == '}':
			if braces == 0 && inSubstitution {
				s.i++
				return
			}
			braces--
			s.i++
			s.operand = true
		case isLineTerminator(c):
			s.i++
			s.lineStart = true
		case isWhiteSpace(c):
			s.i++
			s.lineStart = lineStart
		case isWordPart(c):
			start := s.i
			for s.i < s.n && isWordPart(s.at(s.i)) {
				s.i++
			}
			s.operand = !precedesExpression[s.src.Substring(start, s.i).String()]
		case c == ')' || c == ']':
			s.i++
			s.operand = true
		default:
			s.i++
			s.operand = false
		}
	}
}

// precedesExpression are the words after which a slash starts a regular
// expression.
var precedesExpression = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true,
	"new": true, "delete": true, "void": true, "throw": true, "case": true,
	"do": true, "else": true, "yield": true, "await": true,
}

func isWordPart(c uint16) bool {
	return c == '_' || c == '$' || c == '\\' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 && c != 0x2028 && c != 0x2029
}

// isWhiteSpace tells WhiteSpace (https://tc39.es/ecma262/#sec-white-space):
// tab, vertical tab, form feed, the byte order mark and the space separators.
func isWhiteSpace(c uint16) bool {
	switch c {
	case '\t', '\v', '\f', ' ', 0xA0, 0xFEFF, 0x1680, 0x202F, 0x205F, 0x3000:
		return true
	}
	return c >= 0x2000 && c <= 0x200A
}

func isLineTerminator(c uint16) bool {
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029
}

// htmlComment writes the HTML-like comment at s.i, whose opening is n code
// units long, as the single-line comment that opens with as, and scans it.
func (s *escapeScanner) htmlComment(as string, n int) {
	s.out.WriteSubstring(s.src, s.done, s.i)
	s.out.WriteUTF8String(as)
	s.i += n
	s.done = s.i
	for s.i < s.n && !isLineTerminator(s.at(s.i)) {
		s.i++
	}
}

// literal scans a string literal after its opening quote.
func (s *escapeScanner) literal(quote uint16) {
	for s.i < s.n {
		switch c := s.at(s.i); {
		case c == quote:
			s.i++
			return
		case c == '\\':
			s.octalEscape()
			s.escape()
		case c == '\n' || c == '\r':
			return // unterminated: goja reports it
		default:
			s.i++
		}
	}
}

// template scans a template literal after its opening backquote.
func (s *escapeScanner) template() {
	for s.i < s.n {
		switch c := s.at(s.i); {
		case c == '`':
			s.i++
			return
		case c == '\\':
			s.escape()
		case c == '$' && s.at(s.i+1) == '{':
			s.i += 2
			s.operand = false
			s.code(true)
		default:
			s.i++
		}
	}
}

// octalEscape rewrites the escape at s.i if it is \4 to \7 followed by
// two octal digits, leaving s.i at it for escape to scan.
func (s *escapeScanner) octalEscape() {
	isOctal := func(c uint16) bool { return c >= '0' && c <= '7' }
	if d := s.at(s.i + 1); d < '4' || d > '7' || !isOctal(s.at(s.i+2)) || !isOctal(s.at(s.i+3)) {
		return
	}
	third := s.i + 3
	s.out.WriteSubstring(s.src, s.done, third)
	s.out.WriteUTF8String(`\u003` + string(rune(s.at(third))))
	s.done = third + 1
}

// escape scans an escape sequence at s.i, rewriting \u{10FFFF}.
func (s *escapeScanner) escape() {
	start := s.i
	s.i += 2 // the backslash and the character after it
	if s.at(start+1) != 'u' || s.at(s.i) != '{' {
		return
	}
	j := s.i + 1
	for j < s.n && s.at(j) == '0' {
		j++
	}
	const last = "10ffff}"
	for k := 0; k < len(last); k++ {
		c := s.at(j + k)
		if c >= 'A' && c <= 'F' {
			c += 'a' - 'A'
		}
		if c != uint16(last[k]) {
			return
		}
	}
	s.out.WriteSubstring(s.src, s.done, start)
	s.out.WriteUTF8String(`\uDBFF\uDFFF`)
	s.i = j + len(last)
	s.done = s.i
}

// regExp scans a regular expression literal from its opening slash.
func (s *escapeScanner) regExp() {
	s.i++
	inClass := false
	for s.i < s.n {
		switch c := s.at(s.i); {
		case c == '\\':
			s.i += 2
			continue
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			s.i++
			for s.i < s.n && isWordPart(s.at(s.i)) {
				s.i++ // flags
			}
			return
		case isLineTerminator(c):
			return
		}
		s.i++
	}
}
