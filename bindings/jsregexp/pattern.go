package jsregexp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// translate parses an ECMAScript pattern
// (https://tc39.es/ecma262/#sec-patterns, with the web's additions of
// https://tc39.es/ecma262/#sec-regular-expressions-patterns when neither the
// u nor the v flag is given) and writes an equivalent regexp2 pattern, to be
// compiled with regexp2.ECMAScript (and IgnoreCase for the i flag) and matched
// against code points with the u or v flag, code units without. It reports
// the pattern's early errors (https://tc39.es/ecma262/#sec-patterns-static-semantics-early-errors)
// as a *SyntaxError.
//
// What regexp2 lacks is written in what it has: property escapes become
// classes of code points; classes are written out as code point ranges (so
// the v flag's nested classes, set operations and strings become classes and
// alternations); named groups become numbered ones, so the same name may name
// groups in different alternatives; . ^ $ are written for the flags (and
// modifiers) in force.
func translate(src []rune, f Flags) (t *Translation, err *SyntaxError) {
	defer func() {
		if x := recover(); x != nil {
			se, ok := x.(*SyntaxError)
			if !ok {
				panic(x)
			}
			t, err = nil, se
		}
	}()
	p := &rxParser{src: src, unicode: f.Unicode(), sets: f.V, ignoreCase: f.I, multiline: f.M, dotAll: f.S, marksOf: map[int][]int{}}
	p.total, p.hasNames = p.prescan()
	p.disjunction()
	if p.pos < len(p.src) {
		p.fail("Unmatched ')'")
	}
	for _, r := range p.namedRefs {
		if _, ok := p.groupsByName[r]; !ok {
			p.fail("Invalid named capture referenced")
		}
	}
	return p.finish(), nil
}

type rxParser struct {
	src                           []rune
	pos                           int
	unicode, sets                 bool // u or v; v
	ignoreCase, multiline, dotAll bool // as modifiers leave them
	total                         int  // CountLeftCapturingParensWithin(Pattern)
	hasNames                      bool // the pattern has a GroupName
	out                           strings.Builder
	ncap                          int
	names                         []string
	groupsByName                  map[string][]int
	namedRefs                     []string
	nmarks                        int
	marksOf                       map[int][]int // group -> the marks of the atoms repeated around it
	lookbehinds                   int           // lookbehinds the parser is in
	nesting                       int           // groups and classes the parser is in
}

// maxNesting bounds how deeply groups, and classes with the v flag, nest:
// the parser recurses in Go once per level, as do the engines that run the
// translation, and a goroutine whose stack passes Go's limit ends the
// process. V8 allows about as deep.
const maxNesting = 1000

// enter counts a level of nesting, failing past maxNesting; leave ends it.
func (p *rxParser) enter() {
	if p.nesting++; p.nesting > maxNesting {
		p.fail("Regular expression too large")
	}
}

func (p *rxParser) leave() { p.nesting-- }

// writeGroupStart writes the '(' of group ncap, tagged for numbering.
func (p *rxParser) writeGroupStart() {
	p.out.WriteString("(\x01" + strconv.Itoa(p.ncap) + "\x01")
}

func (p *rxParser) fail(msg string) {
	panic(&SyntaxError{Msg: msg})
}

func (p *rxParser) eof() bool { return p.pos >= len(p.src) }

func (p *rxParser) peek() rune {
	if p.eof() {
		return -1
	}
	return p.src[p.pos]
}

func (p *rxParser) peekAt(i int) rune {
	if p.pos+i >= len(p.src) {
		return -1
	}
	return p.src[p.pos+i]
}

func (p *rxParser) eat(c rune) bool {
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

func (p *rxParser) lookingAt(s string) bool {
	i := 0
	for _, c := range s {
		if p.peekAt(i) != c {
			return false
		}
		i++
	}
	return true
}

// prescan counts the capturing groups and sees whether one has a name,
// skipping escapes and classes (nested ones with the v flag).
func (p *rxParser) prescan() (n int, named bool) {
	depth := 0
	for i := 0; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '\\':
			i++
		case c == '[':
			if depth == 0 || p.sets {
				depth++
			}
		case c == ']':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case c == '(':
			if i+1 < len(p.src) && p.src[i+1] == '?' {
				if i+2 < len(p.src) && p.src[i+2] == '<' && i+3 < len(p.src) && p.src[i+3] != '=' && p.src[i+3] != '!' {
					n++
					named = true
				}
				continue
			}
			n++
		}
	}
	return n, named
}

// disjunction parses Disjunction and returns the group names in it, and
// whether it can only match the empty string.
func (p *rxParser) disjunction() (map[string]bool, bool) {
	names, empty := p.alternative()
	for p.eat('|') {
		p.out.WriteByte('|')
		more, e := p.alternative()
		for n := range more {
			names[n] = true
		}
		empty = empty && e
	}
	return names, empty
}

// alternative parses Alternative; a name twice in it is an early error
// (https://tc39.es/ecma262/#sec-patterns-static-semantics-early-errors, MightBothParticipate).
func (p *rxParser) alternative() (map[string]bool, bool) {
	names := map[string]bool{}
	empty := true
	for !p.eof() && p.peek() != '|' && p.peek() != ')' {
		more, e := p.term()
		for n := range more {
			if names[n] {
				p.fail("Duplicate capture group name")
			}
			names[n] = true
		}
		empty = empty && e
	}
	return names, empty
}

// term parses Term and writes it; it reports whether the term can only
// match the empty string.
func (p *rxParser) term() (names map[string]bool, empty bool) {
	mark := p.out.Len()
	capsBefore := p.ncap
	quantifiable := true
	switch c := p.peek(); c {
	case '^':
		p.pos++
		if p.multiline {
			p.out.WriteString(`(?<=^|[\n\r\u2028\u2029])`)
		} else {
			p.out.WriteString(`^`)
		}
		quantifiable, empty = false, true
	case '$':
		p.pos++
		if p.multiline {
			p.out.WriteString(`(?=[\n\r\u2028\u2029]|$)`)
		} else {
			p.out.WriteString(`$`)
		}
		quantifiable, empty = false, true
	case '(':
		var lookbehind, lookahead bool
		names, lookahead, lookbehind, empty = p.group()
		quantifiable = !lookbehind && (!lookahead || !p.unicode)
		if lookahead && quantifiable && p.quantifierNext() {
			// regexp2 does not repeat a lookahead; a group around it does.
			s := p.out.String()[mark:]
			p.truncate(mark)
			p.out.WriteString("(?:" + s + ")")
		}
	case '.':
		p.pos++
		if p.dotAll {
			p.out.WriteString(`[\u0000-` + string(rune(maxCodePoint)) + `]`)
		} else {
			p.out.WriteString(`[^\n\r\u2028\u2029]`)
		}
	case '[':
		p.pos++
		p.class()
	case '\\':
		quantifiable = p.atomEscape()
		empty = !quantifiable // \b or \B
	case '*', '+', '?':
		p.fail("Nothing to repeat")
	case '{':
		if p.unicode {
			p.fail("Lone quantifier brackets")
		}
		if _, _, ok := p.scanBraces(); ok {
			p.fail("Nothing to repeat")
		}
		p.pos++
		writeChar(&p.out, c)
	case ')':
		p.fail("Unmatched ')'")
	case ']', '}':
		if p.unicode {
			p.fail("Lone quantifier brackets")
		}
		p.pos++
		writeChar(&p.out, c)
	default:
		p.pos++
		writeChar(&p.out, c)
	}
	if p.quantifierNext() {
		if !quantifiable {
			p.fail("Nothing to repeat")
		}
		q, least, most := p.quantifier()
		if empty {
			p.repeatEmpty(mark, least)
			return names, true
		}
		if most > 1 && p.ncap > capsBefore && p.lookbehinds == 0 {
			p.markIterations(mark, capsBefore)
		}
		p.out.WriteString(q)
		empty = most == 0
	}
	return names, empty
}

// repeatEmpty writes the repetition of the atom written from out[at:],
// which can only match the empty string, at least least times. Each
// repetition past the least number must advance, or it fails
// (https://tc39.es/ecma262/#sec-runtime-semantics-repeatmatcher-abstract-operation
// step 2.b), where regexp2 takes an empty one: so the atom is matched
// exactly least times, and with none its groups never participate.
func (p *rxParser) repeatEmpty(at int, least float64) {
	if least > 0 {
		p.out.WriteString("{" + strconv.Itoa(int(min(least, math.MaxInt32-1))) + "}")
		return
	}
	s := p.out.String()[at:]
	p.truncate(at)
	p.out.WriteString("(?:(?!)" + s + ")?")
}

// markIterations puts a capture of its own (a mark) at the start of the
// repeated atom written from out[at:], holding groups capsBefore+1 on. A
// quantified atom's groups are reset each time it repeats
// (https://tc39.es/ecma262/#sec-runtime-semantics-repeatmatcher-abstract-operation
// step 4), where regexp2 keeps what an earlier repetition captured: a
// group's capture counts only if it starts at or after the last mark.
func (p *rxParser) markIterations(at, capsBefore int) {
	s := p.out.String()[at:]
	p.truncate(at)
	id := p.nmarks
	p.nmarks++
	p.out.WriteString("(?:(\x02" + strconv.Itoa(id) + "\x02)" + s + ")")
	for g := capsBefore + 1; g <= p.ncap; g++ {
		p.marksOf[g] = append(p.marksOf[g], id)
	}
}

func (p *rxParser) truncate(n int) {
	s := p.out.String()[:n]
	p.out.Reset()
	p.out.WriteString(s)
}

func (p *rxParser) quantifierNext() bool {
	switch p.peek() {
	case '*', '+', '?':
		return true
	case '{':
		_, _, ok := p.scanBraces()
		return ok || p.unicode
	}
	return false
}

// scanBraces reads {n}, {n,} or {n,m} at pos without consuming it.
func (p *rxParser) scanBraces() (lo, hi float64, ok bool) {
	i := p.pos + 1
	num := func() (float64, bool) {
		start := i
		v := 0.0
		for i < len(p.src) && p.src[i] >= '0' && p.src[i] <= '9' {
			v = v*10 + float64(p.src[i]-'0')
			i++
		}
		return v, i > start
	}
	lo, ok = num()
	if !ok {
		return 0, 0, false
	}
	hi = lo
	if i < len(p.src) && p.src[i] == ',' {
		i++
		if h, ok := num(); ok {
			hi = h
		} else {
			hi = math.Inf(1)
		}
	}
	if i >= len(p.src) || p.src[i] != '}' {
		return 0, 0, false
	}
	return lo, hi, true
}

// quantifier parses and writes Quantifier
// (https://tc39.es/ecma262/#sec-quantifier), and returns its bounds; bounds
// past what a string can hold are written as that.
func (p *rxParser) quantifier() (q string, least, most float64) {
	var b strings.Builder
	most = math.Inf(1)
	switch c := p.peek(); c {
	case '*', '+', '?':
		p.pos++
		b.WriteRune(c)
		if c == '?' {
			most = 1
		}
		if c == '+' {
			least = 1
		}
	default:
		lo, hi, ok := p.scanBraces()
		if !ok {
			p.fail("Incomplete quantifier")
		}
		if lo > hi {
			p.fail("numbers out of order in {} quantifier")
		}
		for p.src[p.pos] != '}' {
			p.pos++
		}
		p.pos++
		const top = math.MaxInt32 - 1
		b.WriteString("{" + strconv.Itoa(int(min(lo, top))))
		switch {
		case math.IsInf(hi, 1):
			b.WriteString(",}")
		case hi != lo:
			b.WriteString("," + strconv.Itoa(int(min(hi, top))) + "}")
		default:
			b.WriteString("}")
		}
		least, most = lo, hi
	}
	if p.eat('?') {
		b.WriteByte('?')
	}
	return b.String(), least, most
}

// group parses a group or lookaround after its '('.
func (p *rxParser) group() (names map[string]bool, lookahead, lookbehind, empty bool) {
	p.enter()
	defer p.leave()
	p.pos++
	saved := [3]bool{p.ignoreCase, p.multiline, p.dotAll}
	defer func() { p.ignoreCase, p.multiline, p.dotAll = saved[0], saved[1], saved[2] }()
	switch {
	case p.lookingAt("?="), p.lookingAt("?!"):
		p.out.WriteString("(" + string(p.src[p.pos:p.pos+2]))
		p.pos += 2
		lookahead = true
	case p.lookingAt("?<="), p.lookingAt("?<!"):
		p.out.WriteString("(" + string(p.src[p.pos:p.pos+3]))
		p.pos += 3
		lookbehind = true
	case p.lookingAt("?<"):
		p.pos += 2
		name := p.groupName()
		p.ncap++
		p.names = append(p.names, name)
		if p.groupsByName == nil {
			p.groupsByName = map[string][]int{}
		}
		p.groupsByName[name] = append(p.groupsByName[name], p.ncap)
		p.writeGroupStart()
		names = map[string]bool{name: true}
	case p.lookingAt("?"):
		p.pos++
		p.out.WriteString("(?")
		p.modifiers()
		p.out.WriteByte(':')
	default:
		p.ncap++
		p.names = append(p.names, "")
		p.writeGroupStart()
	}
	if lookbehind {
		p.lookbehinds++
		defer func() { p.lookbehinds-- }()
	}
	inner, empty := p.disjunction()
	empty = empty || lookahead || lookbehind
	if !p.eat(')') {
		p.fail("Unterminated group")
	}
	p.out.WriteByte(')')
	for n := range inner {
		if names == nil {
			names = map[string]bool{}
		} else if names[n] {
			p.fail("Duplicate capture group name")
		}
		names[n] = true
	}
	return names, lookahead, lookbehind, empty
}

// modifiers parses the flags of (?ims-ims: ...) (regexp modifiers,
// https://github.com/tc39/proposal-regexp-modifiers) up to the ':', and
// writes i for regexp2; m and s change how ^ $ and . are written.
func (p *rxParser) modifiers() {
	seen := map[rune]bool{}
	add := true
	var iFlag string
	for {
		c := p.peek()
		switch c {
		case ':':
			p.pos++
			if !add && len(seen) == 0 {
				p.fail("Invalid group") // (?-: ...)
			}
			p.out.WriteString(iFlag)
			return
		case '-':
			if !add {
				p.fail("Invalid group")
			}
			add = false
			p.pos++
			continue
		case 'i', 'm', 's':
		default:
			p.fail("Invalid group")
		}
		if seen[c] {
			p.fail("Repeated flag in modifiers")
		}
		seen[c] = true
		p.pos++
		switch c {
		case 'i':
			p.ignoreCase = add
			iFlag = map[bool]string{true: "i", false: "-i"}[add]
		case 'm':
			p.multiline = add
		case 's':
			p.dotAll = add
		}
	}
}

// groupName parses GroupName after "(?<" or "\k<", up to and past '>'
// (https://tc39.es/ecma262/#prod-GroupName): an identifier whose characters
// may be written as \u escapes, surrogate pairs included.
func (p *rxParser) groupName() string {
	var b []rune
	for {
		if p.eof() {
			p.fail("Invalid capture group name")
		}
		c := p.src[p.pos]
		p.pos++
		if c == '>' {
			break
		}
		if c == '\\' {
			if !p.eat('u') {
				p.fail("Invalid capture group name")
			}
			var ok bool
			if c, ok = p.unicodeEscape(true); !ok {
				p.fail("Invalid Unicode escape in group name")
			}
		} else if utf16.IsSurrogate(c) && c < 0xDC00 && !p.eof() && p.src[p.pos] >= 0xDC00 && p.src[p.pos] <= 0xDFFF {
			c = utf16.DecodeRune(c, p.src[p.pos])
			p.pos++
		}
		if len(b) == 0 && !isIDStart(c) || len(b) > 0 && !isIDPart(c) {
			p.fail("Invalid capture group name")
		}
		b = append(b, c)
	}
	if len(b) == 0 {
		p.fail("Invalid capture group name")
	}
	return string(b)
}

func isIDStart(c rune) bool {
	if c < 0x80 {
		return c == '$' || c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z'
	}
	s, _ := lookupProperty("ID_Start", "", false, false)
	return s.has(c)
}

func isIDPart(c rune) bool {
	if c < 0x80 {
		return isIDStart(c) || c >= '0' && c <= '9'
	}
	if c == 0x200C || c == 0x200D {
		return true
	}
	s, _ := lookupProperty("ID_Continue", "", false, false)
	return s.has(c)
}

// has reports whether s holds the code point c.
func (s *charSet) has(c rune) bool {
	i := 0
	j := len(s.ranges) / 2
	for i < j {
		m := (i + j) / 2
		switch {
		case c < s.ranges[2*m]:
			j = m
		case c > s.ranges[2*m+1]:
			i = m + 1
		default:
			return true
		}
	}
	return false
}

// unicodeEscape parses what follows \u: XXXX, a surrogate pair of them, or
// (in Unicode mode or a group name) {X...}.
func (p *rxParser) unicodeEscape(braces bool) (rune, bool) {
	if p.peek() == '{' && braces {
		start := p.pos
		p.pos++
		v := 0
		n := 0
		for isHex(p.peek()) {
			v = v*16 + hexVal(p.peek())
			p.pos++
			n++
			if v > maxCodePoint {
				p.fail("Invalid Unicode escape")
			}
		}
		if n == 0 || !p.eat('}') {
			p.pos = start
			return 0, false
		}
		return rune(v), true
	}
	v, ok := p.hex(4)
	if !ok {
		return 0, false
	}
	if braces && v >= 0xD800 && v <= 0xDBFF && p.lookingAt(`\u`) {
		save := p.pos
		p.pos += 2
		if lo, ok := p.hex(4); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			return utf16.DecodeRune(v, lo), true
		}
		p.pos = save
	}
	return v, true
}

func (p *rxParser) hex(n int) (rune, bool) {
	v := 0
	for i := range n {
		if !isHex(p.peekAt(i)) {
			return 0, false
		}
		v = v*16 + hexVal(p.peekAt(i))
	}
	p.pos += n
	return rune(v), true
}

func isHex(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c rune) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}

// atomEscape parses \ AtomEscape (or an assertion \b \B) and writes it; it
// reports whether a quantifier may follow.
func (p *rxParser) atomEscape() bool {
	p.pos++
	c := p.peek()
	switch {
	case c == -1:
		p.fail("\\ at end of pattern")
	case c == 'b' || c == 'B':
		p.pos++
		p.wordBoundary(c == 'B')
		return false
	case c >= '1' && c <= '9':
		start := p.pos
		n := 0
		for p.peek() >= '0' && p.peek() <= '9' {
			n = min(n*10+int(p.peek()-'0'), 1<<30)
			p.pos++
		}
		if n <= p.total {
			p.out.WriteString("\x00n" + strconv.Itoa(n) + "\x00")
			return true
		}
		if p.unicode {
			p.fail("Invalid escape")
		}
		p.pos = start // Annex B: a legacy octal escape or an identity escape
	case c == 'k':
		if p.unicode || p.hasNames {
			p.pos++
			if !p.eat('<') {
				p.fail("Invalid named reference")
			}
			name := p.groupName()
			p.namedRefs = append(p.namedRefs, name)
			p.out.WriteString("\x00k" + strconv.Itoa(len(p.namedRefs)-1) + "\x00")
			return true
		}
	}
	if s, negate, ok := p.classEscape(false); ok {
		if negate && c == 'P' && p.ignoreCase {
			// \P{...} is the complement before case folding, which regexp2
			// would apply to a negated class first.
			s, negate = s.complement(p.top()), false
		}
		s.write(&p.out, negate)
		return true
	}
	writeChar(&p.out, p.characterEscape(false))
	return true
}

// finish numbers the groups as regexp2 will (by their '(' in the output,
// marks included), drops the tags and writes the backreferences: to the one
// group of a number or name, or, when groups in different alternatives share
// a name, to the one that participated
// (https://tc39.es/ecma262/#sec-backreference-matcher).
func (p *rxParser) finish() *Translation {
	t := &Translation{Captures: p.ncap, Names: p.names, HasNames: p.hasNames, number: make([]int, p.ncap), marks: make([][]int, p.ncap)}
	markNumber := make([]int, p.nmarks)
	src := p.out.String()
	var b strings.Builder
	n := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			b.WriteString(src[i : i+2])
			i++
			continue
		case c == '[':
			j := strings.IndexByte(src[i:], ']') + i
			b.WriteString(src[i : j+1])
			i = j
			continue
		case c == '(' && i+1 < len(src) && (src[i+1] == 1 || src[i+1] == 2):
			n++
			j := strings.IndexByte(src[i+2:], src[i+1]) + i + 2
			id, _ := strconv.Atoi(src[i+2 : j])
			if src[i+1] == 1 {
				t.number[id-1] = n
			} else {
				markNumber[id] = n
			}
			b.WriteByte('(')
			i = j
			continue
		case c == '(' && (i+1 >= len(src) || src[i+1] != '?'):
			n++
		}
		b.WriteByte(c)
	}
	for g, marks := range p.marksOf {
		for _, m := range marks {
			t.marks[g-1] = append(t.marks[g-1], markNumber[m])
		}
	}
	src = b.String()
	b.Reset()
	for {
		i := strings.IndexByte(src, 0)
		if i < 0 {
			b.WriteString(src)
			break
		}
		j := strings.IndexByte(src[i+1:], 0) + i + 1
		k, _ := strconv.Atoi(src[i+2 : j])
		b.WriteString(src[:i])
		var groups []int
		if src[i+1] == 'n' {
			groups = []int{k}
		} else {
			groups = p.groupsByName[p.namedRefs[k]]
		}
		b.WriteString("(?:")
		for _, g := range groups[:len(groups)-1] {
			fmt.Fprintf(&b, `(?(%d)\%d|`, t.number[g-1], t.number[g-1])
		}
		fmt.Fprintf(&b, `\%d`, t.number[groups[len(groups)-1]-1])
		b.WriteString(strings.Repeat(")", len(groups)))
		src = src[j+1:]
	}
	t.Pattern = b.String()
	return t
}

// classEscape parses a CharacterClassEscape (\d \D \s \S \w \W, and in
// Unicode mode \p{...} \P{...}) if one is next.
func (p *rxParser) classEscape(inClass bool) (s *charSet, negate, ok bool) {
	c := p.peek()
	switch c {
	case 'd', 'D':
		s = runeSet('0', '9')
	case 's', 'S':
		s = whiteSpace()
	case 'w', 'W':
		s = p.wordChars()
	case 'p', 'P':
		if !p.unicode {
			return nil, false, false
		}
		p.pos++
		s = p.property(c == 'P')
		return s, c == 'P', true
	default:
		return nil, false, false
	}
	p.pos++
	return s, unicode.IsUpper(c), true
}

// whiteSpace is WhiteSpace and LineTerminator (\s).
func whiteSpace() *charSet {
	return runeSet(9, 13, ' ', ' ', 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A,
		0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF)
}

// property parses {UnicodePropertyValueExpression} after \p or \P.
func (p *rxParser) property(negated bool) *charSet {
	if !p.eat('{') {
		p.fail("Invalid property name")
	}
	start := p.pos
	for !p.eof() && p.peek() != '}' {
		c := p.peek()
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '=') {
			p.fail("Invalid property name")
		}
		p.pos++
	}
	body := string(p.src[start:p.pos])
	if !p.eat('}') {
		p.fail("Invalid property name")
	}
	name, value, hasValue := strings.Cut(body, "=")
	s, ok := lookupProperty(name, value, hasValue, p.sets && !negated)
	if !ok {
		p.fail("Invalid property name")
	}
	return s
}

// characterEscape parses CharacterEscape after the \ (in a class if
// inClass) and returns its character value.
func (p *rxParser) characterEscape(inClass bool) rune {
	c := p.peek()
	p.pos++
	switch c {
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return '\v'
	case 'c':
		if l := p.peek(); l >= 'a' && l <= 'z' || l >= 'A' && l <= 'Z' {
			p.pos++
			return l % 32
		}
		if l := p.peek(); inClass && !p.unicode && (l >= '0' && l <= '9' || l == '_') {
			p.pos++
			return l % 32
		}
		if p.unicode {
			p.fail("Invalid unicode escape")
		}
		p.pos-- // Annex B: the backslash is itself
		return '\\'
	case '0':
		if d := p.peek(); d < '0' || d > '9' {
			return 0
		}
		if p.unicode {
			p.fail("Invalid decimal escape")
		}
		return p.legacyOctal(c)
	case 'x':
		if v, ok := p.hex(2); ok {
			return v
		}
		if p.unicode {
			p.fail("Invalid escape")
		}
		return 'x'
	case 'u':
		if v, ok := p.unicodeEscape(p.unicode); ok {
			return v
		}
		if p.unicode {
			p.fail("Invalid Unicode escape")
		}
		return 'u'
	}
	if p.unicode {
		if strings.ContainsRune(`^$\.*+?()[]{}|/`, c) || c == '-' && inClass {
			return c
		}
		p.fail("Invalid escape")
	}
	if c >= '1' && c <= '7' {
		return p.legacyOctal(c)
	}
	if c == 'k' && p.hasNames {
		p.fail("Invalid named reference")
	}
	return c
}

// legacyOctal reads the rest of LegacyOctalEscapeSequence after its first digit
// (https://tc39.es/ecma262/#prod-annexB-LegacyOctalEscapeSequence).
func (p *rxParser) legacyOctal(first rune) rune {
	v := first - '0'
	if d := p.peek(); d >= '0' && d <= '7' {
		v = v*8 + d - '0'
		p.pos++
		if d := p.peek(); first <= '3' && d >= '0' && d <= '7' {
			v = v*8 + d - '0'
			p.pos++
		}
	}
	return v
}

// wordChars is WordCharacters
// (https://tc39.es/ecma262/#sec-wordcharacters): the ASCII letters, digits
// and _, and with the u or v flag and ignoreCase the two characters that
// case fold to them, U+017F and U+212A.
func (p *rxParser) wordChars() *charSet {
	s := runeSet('0', '9', 'A', 'Z', '_', '_', 'a', 'z')
	if p.unicode && p.ignoreCase {
		s = s.union(runeSet(0x017F, 0x017F, 0x212A, 0x212A))
	}
	return s
}

// wordBoundary writes \b, or \B if not
// (https://tc39.es/ecma262/#sec-compileassertion): regexp2's own take
// letters of every script as word characters. The lookarounds are matched
// case-sensitively, since ignoreCase widens regexp2's classes.
func (p *rxParser) wordBoundary(not bool) {
	var w strings.Builder
	p.wordChars().write(&w, false)
	in, out := "(?<="+w.String()+")", "(?<!"+w.String()+")"
	ahead, notAhead := "(?="+w.String()+")", "(?!"+w.String()+")"
	if not {
		p.out.WriteString("(?-i:" + in + ahead + "|" + out + notAhead + ")")
	} else {
		p.out.WriteString("(?-i:" + in + notAhead + "|" + out + ahead + ")")
	}
}
