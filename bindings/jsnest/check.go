package jsnest

import (
	"fmt"
	"strings"
)

// MaxDepth is the deepest nesting Check allows, as it estimates it.
const MaxDepth = 6000

// An Error is text that nests deeper than MaxDepth.
type Error struct {
	Offset       int // byte offset of the token that went past MaxDepth
	Line, Column int // its line and column (in bytes), from 1
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: the code nests too deeply (more than %d levels)", e.Line, e.Column, MaxDepth)
}

// Check returns an *Error if src, JavaScript or TypeScript, nests deeper
// than MaxDepth, and nil otherwise. It does not check syntax.
func Check(src string) error {
	at := scan(src, MaxDepth)
	if at < 0 {
		return nil
	}
	line := 1 + strings.Count(src[:at], "\n")
	col := at - strings.LastIndexByte(src[:at], '\n')
	return &Error{Offset: at, Line: line, Column: col}
}

// A frame is an open bracket, or the text itself at the bottom.
type frame struct {
	open  byte // '(', '[', '{', '$' for a template substitution, 0 for the text
	run   int  // what counts in it since an expression or statement surely ended
	head  bool // a '(' that holds the head of an if, for, while or with statement
	block bool // a '{' that is a block or a declaration's body
}

// A scanner goes through the text once, token by token, keeping the open
// brackets and, of the token before, what decides how the next is read.
type scanner struct {
	src    string
	pos    int
	limit  int
	frames []frame
	total  int // the estimate: open brackets plus the runs of every frame
	over   int // offset of the token that went past limit, or -1

	started   bool
	nl        bool   // a line break comes before the current token
	prevEnd   bool   // the token before ends an operand
	prevWord  string // the token before, if a keyword or name not after a dot
	prevWord2 string // the word before that one, if the token before was a word too
	prevPunct string // the token before, if a punctuator
	prevHead  bool   // the token before is the ) of a statement head
	prevBlock bool   // the token before is the } of a block
	prevLabel bool   // the token before is a name that starts a statement: a label before :
	semi      bool   // the token before is ; (its reset waits for the next token)
	funcDecl  int    // len(frames) where a function or class declaration was, whose body is the next { there
}

// scan returns the offset where the estimate passes limit, or -1.
func scan(src string, limit int) int {
	s := &scanner{src: src, limit: limit, frames: make([]frame, 1, 16), over: -1}
	s.frames[0].block = true // the text holds statements
	if strings.HasPrefix(src, "#!") {
		s.skipLine()
	}
	for s.over < 0 {
		s.nl = s.skipSpace()
		if s.pos >= len(src) {
			break
		}
		s.token()
		s.started = true
	}
	return s.over
}

func (s *scanner) top() *frame { return &s.frames[len(s.frames)-1] }

// count adds n to the run of the innermost frame.
func (s *scanner) count(n, at int) {
	s.top().run += n
	s.grow(n, at)
}

// grow adds n to the estimate, noting at if it passes the limit.
func (s *scanner) grow(n, at int) {
	s.total += n
	if s.total > s.limit && s.over < 0 {
		s.over = at
	}
}

// reset ends the run of the innermost frame.
func (s *scanner) reset() {
	s.total -= s.top().run
	s.top().run = 0
}

// before applies, ahead of a token that is not a punctuator (word is the
// token if a keyword or name), the resets the token before leaves pending:
// after ; unless else or while goes on with the statement, and where an
// operand follows one that has ended, which starts a new statement.
func (s *scanner) before(word string) {
	if s.semi {
		s.semi = false
		if word != "else" && word != "while" {
			s.reset()
		}
		return
	}
	if s.prevEnd && !s.prevHead && !continues[word] {
		s.reset()
	}
}

// continues holds the words that go on with the statement or expression
// before them.
var continues = map[string]bool{
	"else": true, "catch": true, "finally": true, "while": true, "in": true, "instanceof": true, "of": true,
	"as": true, "satisfies": true, // TypeScript
}

// operators holds the keywords that may open a level: operators and the
// statements that nest without brackets.
var operators = map[string]bool{
	"typeof": true, "void": true, "delete": true, "await": true, "yield": true, "new": true,
	"in": true, "instanceof": true, "of": true, "if": true, "else": true, "for": true,
	"while": true, "with": true, "do": true, "return": true, "throw": true, "extends": true,
	"class": true, "function": true, "async": true, "switch": true, "try": true, "catch": true,
	"finally": true, "case": true, "default": true, "export": true, "as": true, "satisfies": true,
}

// operands holds the keywords that are operands.
var operands = map[string]bool{"this": true, "super": true, "null": true, "true": true, "false": true}

// regexpAfter holds the keywords after which a / starts a regular expression.
var regexpAfter = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "new": true, "delete": true,
	"void": true, "throw": true, "case": true, "do": true, "else": true, "extends": true,
	"yield": true, "await": true, "of": true,
}

func (s *scanner) token() {
	start := s.pos
	c := s.src[s.pos]
	switch {
	case c == '"' || c == '\'':
		s.before("")
		s.pos, _ = StringEnd(s.src, s.pos)
		s.operand()
	case c == '`':
		if s.prevEnd && !s.semi {
			s.count(1, start) // a tagged template: its tag, perhaps one too, nests in it
		} else {
			s.before("")
		}
		s.pos++
		s.template(start)
	case c == '}' && s.top().open == '$':
		s.pop()
		s.pos++
		s.template(start)
	case c == '/' && s.regexpHere():
		s.before("")
		s.regexp(start)
	case IsDigit(c) || c == '.' && s.pos+1 < len(s.src) && IsDigit(s.src[s.pos+1]):
		s.before("")
		s.pos = NumberEnd(s.src, s.pos)
		s.operand()
	case IsNameStart(c) || c == '#':
		s.word(start)
	default:
		s.punct(start)
	}
}

// operand ends a token that is an operand.
func (s *scanner) operand() {
	s.setPrev(true, "", "")
}

func (s *scanner) setPrev(end bool, word, punct string) {
	if word != "" {
		s.prevWord2 = s.prevWord
	} else {
		s.prevWord2 = ""
	}
	s.prevEnd, s.prevWord, s.prevPunct = end, word, punct
	s.prevHead, s.prevBlock, s.prevLabel = false, false, false
}

func (s *scanner) word(start int) {
	if s.src[s.pos] == '#' {
		s.pos++
	}
	s.pos = NameEnd(s.src, s.pos)
	w := s.src[start:s.pos]
	if s.prevPunct == "." || s.prevPunct == "?." || s.src[start] == '#' {
		s.before("")
		s.operand() // a property name, not a keyword
		return
	}
	stmt := s.statementStart()
	s.before(w)
	switch {
	case w == "case" || w == "default":
		s.reset() // a clause of a switch starts anew
		s.count(1, start)
	case operators[w]:
		s.count(1, start)
	}
	if w == "function" || w == "class" {
		// A declaration if it starts a statement: its body's } ends a
		// statement, and a / after it starts a regular expression.
		s.funcDecl = 0
		if stmt {
			s.funcDecl = len(s.frames)
		}
	}
	s.setPrev(operands[w] || !operators[w] && !isDeclarationWord(w), w, "")
	s.prevLabel = stmt && !operators[w] && !operands[w]
}

// labelWeight is what a label counts: goja's parser looks for a label's
// name among those of the labels it is in, so nested labels take time that
// grows with the square of their number (1,000 of one name: half a second).
const labelWeight = 6

func isDeclarationWord(w string) bool { return w == "var" || w == "let" || w == "const" }

// statementStart reports whether the token at hand may start a statement.
func (s *scanner) statementStart() bool {
	if !s.started || s.semi || s.prevHead || s.prevBlock {
		return true
	}
	switch s.prevPunct {
	case "{", "}", ";":
		return true
	case ":":
		return s.top().block
	}
	switch s.prevWord {
	case "else", "do", "export", "default", "async":
		return true
	}
	return s.prevEnd && s.nl
}

// regexpHere reports whether the / at hand starts a regular expression.
func (s *scanner) regexpHere() bool {
	if strings.HasPrefix(s.src[s.pos:], "/=") && s.prevEnd {
		return false
	}
	switch {
	case !s.started:
		return true
	case s.prevWord != "":
		return regexpAfter[s.prevWord]
	case s.prevPunct == ")":
		return s.prevHead
	case s.prevPunct == "}":
		return s.prevBlock
	case s.prevPunct == "]":
		return false
	case s.prevPunct == "++" || s.prevPunct == "--":
		return !s.prevEnd
	case s.prevPunct != "":
		return true
	}
	return false // after a literal, a template or a regular expression
}

// ambiguous reports whether a / at hand could be read either way by text
// that means the other: after ), }, a prefix or postfix ++ or --, and the
// words that may be names.
func (s *scanner) ambiguous() bool {
	switch s.prevPunct {
	case ")", "}", "++", "--":
		return true
	}
	switch s.prevWord {
	case "yield", "await", "of":
		return true
	}
	return false
}

// regexp reads a regular expression literal, or a / that is division if
// no literal ends on its line. Where the / could have been division, the
// brackets that open inside count.
func (s *scanner) regexp(start int) {
	end, ok := RegExpEnd(s.src, start)
	if !ok {
		s.punctOnly(start, "/")
		return
	}
	if s.ambiguous() {
		body := s.src[start:end]
		s.count(strings.Count(body, "(")+strings.Count(body, "[")+strings.Count(body, "{"), start)
	}
	s.pos = end
	s.operand()
}

// template reads template text from s.pos up to its end, an operand, or
// up to a substitution, which opens a frame.
func (s *scanner) template(start int) {
	end, sub, _ := TemplatePart(s.src, s.pos)
	s.pos = end
	if !sub {
		s.operand()
		return
	}
	s.push('$', start)
	s.setPrev(false, "", "${")
}

func (s *scanner) push(open byte, at int) {
	f := frame{open: open}
	switch open {
	case '(':
		w := s.prevWord
		f.head = w == "if" || w == "while" || w == "for" || w == "with" || w == "await" && s.prevWord2 == "for"
	case '{':
		f.block = s.funcDecl == len(s.frames) || s.statementStart() && s.prevPunct != ")"
		if f.block && s.funcDecl == len(s.frames) {
			s.funcDecl = 0
		}
		switch s.prevWord {
		case "try", "finally":
			f.block = true
		}
	}
	s.frames = append(s.frames, f)
	s.grow(1, at)
}

func (s *scanner) pop() frame {
	f := *s.top()
	s.total -= 1 + f.run
	s.frames = s.frames[:len(s.frames)-1]
	return f
}

// closes maps a closing bracket to the one it closes.
var closes = map[byte]byte{')': '(', ']': '[', '}': '{'}

func (s *scanner) punct(start int) {
	s.punctOnly(start, Punctuator(s.src, start))
}

// punctOnly reads the punctuator p at start.
func (s *scanner) punctOnly(start int, p string) {
	s.pos = start + len(p)
	switch p {
	case "(", "[", "{":
		if s.semi {
			s.before("")
		}
		if s.prevEnd {
			s.count(1, start) // a call, an index or what follows a tag
		}
		s.push(p[0], start)
		s.setPrev(false, "", p)
		return
	case ")", "]", "}":
		s.semi = false // a reset pending in the frame that closes
		var f frame
		if len(s.frames) > 1 && s.top().open == closes[p[0]] {
			f = s.pop()
		}
		s.setPrev(true, "", p)
		s.prevHead = p == ")" && f.head
		s.prevBlock = p == "}" && f.block
		return
	case ";":
		s.semi = true
		s.setPrev(false, "", p)
		return
	case ",":
		s.semi = false
		s.reset()
		s.setPrev(false, "", p)
		return
	}
	if s.semi {
		s.before("")
	}
	if p == ":" && s.prevLabel {
		s.count(labelWeight, start)
	} else {
		s.count(1, start)
	}
	end := false
	if p == "++" || p == "--" {
		end = s.prevEnd && !s.nl // postfix
	}
	s.setPrev(end, "", p)
}

// skipSpace skips white space and comments, and reports whether they hold
// a line break.
func (s *scanner) skipSpace() bool {
	next, nl, _ := SkipSpace(s.src, s.pos)
	s.pos = next
	return nl
}

func (s *scanner) skipLine() {
	if i := strings.IndexAny(s.src[s.pos:], "\r\n"); i >= 0 {
		s.pos += i
	} else {
		s.pos = len(s.src)
	}
}
