package loader

import (
	"strings"

	"github.com/wsjs/wsjs/bindings/jsnest"
)

// goja's parser knows no module syntax: import and export declarations,
// import() and import.meta. A module is compiled from the code esbuild
// prints for it (see esm.go), in which those are the only syntax goja lacks;
// scanner splits that code into tokens so that esm.go finds them where they
// are tokens, not text inside a string, template, regular expression or
// comment. It knows the lexical grammar
// (https://tc39.es/ecma262/#sec-ecmascript-language-lexical-grammar) well
// enough for that: whether a / starts a regular expression is decided from
// the token before it, which is exact for the code esbuild prints (it ends a
// statement with a line break, and breaks no line before a division).

type tokenKind uint8

const (
	tokEOF  tokenKind = iota
	tokName           // an identifier or a keyword
	tokPunct
	tokString
	tokTemplate // a template, or its part up to or from a substitution
	tokRegExp
	tokNumber
	tokPrivate // #name
)

// A tok is a token of the code.
type tok struct {
	kind       tokenKind
	from, to   int  // byte offsets in the code
	newlineBef bool // a line terminator comes between it and the token before
}

// scanner is a position in code and what it needs to know to go on.
type scanner struct {
	code string
	pos  int
	prev tok // the last token returned
	// nest holds the brackets open at pos: '{', '(', '[', or '$' for a
	// template substitution.
	nest []byte
	bad  bool // a literal or comment does not end
}

func newScanner(code string) *scanner {
	s := &scanner{code: code}
	if strings.HasPrefix(code, "#!") {
		s.pos = strings.IndexAny(code, "\r\n")
		if s.pos < 0 {
			s.pos = len(code)
		}
	}
	return s
}

// depth is how many brackets are open.
func (s *scanner) depth() int { return len(s.nest) }

// text returns the code of t.
func (s *scanner) text(t tok) string { return s.code[t.from:t.to] }

// is reports whether t is the punctuator or name word.
func (s *scanner) is(t tok, word string) bool {
	return (t.kind == tokPunct || t.kind == tokName) && s.code[t.from:t.to] == word
}

// next returns the next token.
func (s *scanner) next() tok {
	nl := s.skipSpace()
	t := tok{from: s.pos, newlineBef: nl}
	if s.pos >= len(s.code) {
		t.kind = tokEOF
		t.to = s.pos
		return t
	}
	c := s.code[s.pos]
	switch {
	case c == '`':
		s.pos++
		t.kind = tokTemplate
		s.template()
	case c == '}' && len(s.nest) > 0 && s.nest[len(s.nest)-1] == '$':
		s.nest = s.nest[:len(s.nest)-1]
		s.pos++
		t.kind = tokTemplate
		s.template()
	case c == '\'' || c == '"':
		t.kind = tokString
		s.str()
	case c == '/' && s.regexpAllowed(nl):
		t.kind = tokRegExp
		s.regexp()
	case jsnest.IsDigit(c) || c == '.' && s.pos+1 < len(s.code) && jsnest.IsDigit(s.code[s.pos+1]):
		t.kind = tokNumber
		s.pos = jsnest.NumberEnd(s.code, s.pos)
	case c == '#':
		s.pos++
		t.kind = tokPrivate
		s.name()
	case jsnest.IsNameStart(c):
		t.kind = tokName
		s.name()
	default:
		t.kind = tokPunct
		s.punct()
	}
	t.to = s.pos
	s.prev = t
	return t
}

// skipSpace skips white space and comments, and reports whether they hold a
// line terminator.
func (s *scanner) skipSpace() bool {
	next, nl, bad := jsnest.SkipSpace(s.code, s.pos)
	s.pos, s.bad = next, s.bad || bad
	return nl
}

// regexpAllowed reports whether a / at pos starts a regular expression,
// from the token before it.
func (s *scanner) regexpAllowed(nl bool) bool {
	p := s.prev
	switch p.kind {
	case tokEOF:
		return true
	case tokName:
		switch s.text(p) {
		case "return", "typeof", "instanceof", "in", "new", "delete", "void", "throw",
			"case", "do", "else", "yield", "await", "extends":
			return true
		}
		return false
	case tokPunct:
		switch s.text(p) {
		case ")", "]", "}":
			// The end of a statement or block, which esbuild ends a line
			// after, or of an operand.
			return nl
		case "++", "--":
			return false
		}
		return true
	case tokTemplate:
		// The end of a template, or a part before a substitution.
		return s.code[p.to-1] != '`'
	}
	return false
}

// template reads template text up to its end, or up to a substitution,
// which opens a bracket.
func (s *scanner) template() {
	end, sub, ok := jsnest.TemplatePart(s.code, s.pos)
	s.pos, s.bad = end, s.bad || !ok
	if sub {
		s.nest = append(s.nest, '$')
	}
}

func (s *scanner) str() {
	end, ok := jsnest.StringEnd(s.code, s.pos)
	s.pos, s.bad = end, s.bad || !ok
}

func (s *scanner) regexp() {
	end, ok := jsnest.RegExpEnd(s.code, s.pos)
	s.pos, s.bad = end, s.bad || !ok
}

// name scans the rest of an identifier.
func (s *scanner) name() { s.pos = jsnest.NameEnd(s.code, s.pos) }

func (s *scanner) punct() {
	c := s.code[s.pos]
	switch c {
	case '{', '(', '[':
		s.nest = append(s.nest, c)
		s.pos++
		return
	case '}', ')', ']':
		if len(s.nest) > 0 {
			s.nest = s.nest[:len(s.nest)-1]
		}
		s.pos++
		return
	}
	s.pos += len(jsnest.Punctuator(s.code, s.pos))
}
