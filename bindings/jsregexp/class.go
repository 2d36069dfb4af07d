package jsregexp

import "strings"

// class parses a CharacterClass after its '[' and writes it
// (https://tc39.es/ecma262/#sec-compileatom): ClassContents of ranges
// without the v flag, a ClassSetExpression with it.
func (p *rxParser) class() {
	p.enter()
	defer p.leave()
	negate := p.eat('^')
	var s *charSet
	if p.sets {
		s = p.classSetExpression()
		if negate && len(s.strings) > 0 {
			p.fail("Negated character class may contain strings")
		}
	} else {
		s = p.classRanges()
	}
	if !p.eat(']') {
		p.fail("Unterminated character class")
	}
	s.write(&p.out, negate)
}

// top is the largest character: a code point in Unicode mode, a code unit
// otherwise.
func (p *rxParser) top() rune {
	if p.unicode {
		return maxCodePoint
	}
	return 0xFFFF
}

// classRanges parses ClassContents without the v flag, up to the ']'.
func (p *rxParser) classRanges() *charSet {
	s := &charSet{}
	for !p.eof() && p.peek() != ']' {
		a, ac, aChar := p.classAtom()
		if p.peek() == '-' && p.peekAt(1) != ']' && p.peekAt(1) != -1 {
			p.pos++
			b, bc, bChar := p.classAtom()
			switch {
			case !aChar || !bChar:
				if p.unicode {
					p.fail("Invalid character class")
				}
				s = s.union(a).union(b).union(runeSet('-', '-'))
			case ac > bc:
				p.fail("Range out of order in character class")
			default:
				s = s.union(runeSet(ac, bc))
			}
			continue
		}
		s = s.union(a)
	}
	return s
}

// classAtom parses ClassAtom: one character (and true), or a class escape.
func (p *rxParser) classAtom() (*charSet, rune, bool) {
	c := p.peek()
	if c == -1 {
		p.fail("Unterminated character class")
	}
	p.pos++
	if c != '\\' {
		return runeSet(c, c), c, true
	}
	switch p.peek() {
	case -1:
		p.fail("\\ at end of pattern")
	case 'b':
		p.pos++
		return runeSet(8, 8), 8, true
	case '-':
		if p.unicode {
			p.pos++
			return runeSet('-', '-'), '-', true
		}
	}
	if s, negate, ok := p.classEscape(true); ok {
		if negate {
			s = s.complement(p.top())
		}
		return s, 0, false
	}
	c = p.characterEscape(true)
	return runeSet(c, c), c, true
}

// classSetExpression parses ClassSetExpression
// (https://tc39.es/ecma262/#prod-ClassSetExpression): a union (with ranges),
// an intersection (&&) or a subtraction (--) of operands, up to the ']'.
func (p *rxParser) classSetExpression() *charSet {
	if p.peek() == ']' {
		return &charSet{}
	}
	first, fc, fChar := p.classSetOperand()
	for _, op := range []string{"&&", "--"} {
		if !p.lookingAt(op) {
			continue
		}
		acc := first
		for p.lookingAt(op) {
			p.pos += 2
			if op == "&&" && p.peek() == '&' {
				p.fail("Invalid set operation in character class")
			}
			s, _, _ := p.classSetOperand()
			if op == "&&" {
				acc = acc.intersect(s)
			} else {
				acc = acc.subtract(s)
			}
		}
		if p.peek() != ']' {
			p.fail("Invalid set operation in character class")
		}
		return acc
	}
	acc := &charSet{}
	s, c, isChar := first, fc, fChar
	for {
		if isChar && p.peek() == '-' && !p.lookingAt("--") {
			p.pos++
			hi, hc, hChar := p.classSetOperand()
			if !hChar {
				p.fail("Invalid character class")
			}
			if c > hc {
				p.fail("Range out of order in character class")
			}
			s = runeSet(c, hc)
			_ = hi
		}
		acc = acc.union(s)
		if p.eof() || p.peek() == ']' {
			return acc
		}
		if p.lookingAt("&&") || p.lookingAt("--") {
			p.fail("Invalid set operation in character class")
		}
		s, c, isChar = p.classSetOperand()
	}
}

// classSetOperand parses a NestedClass, ClassStringDisjunction, class escape
// or ClassSetCharacter; for a character it returns it and true.
func (p *rxParser) classSetOperand() (*charSet, rune, bool) {
	c := p.peek()
	switch {
	case c == -1:
		p.fail("Unterminated character class")
	case c == '[':
		p.enter()
		defer p.leave()
		p.pos++
		negate := p.eat('^')
		s := p.classSetExpression()
		if !p.eat(']') {
			p.fail("Unterminated character class")
		}
		if negate {
			if len(s.strings) > 0 {
				p.fail("Negated character class may contain strings")
			}
			s = s.complement(maxCodePoint)
		}
		return s, 0, false
	case c == '\\':
		p.pos++
		switch p.peek() {
		case 'q':
			if p.peekAt(1) == '{' {
				p.pos += 2
				return p.classStrings(), 0, false
			}
		case 'b':
			p.pos++
			return runeSet(8, 8), 8, true
		case -1:
			p.fail("\\ at end of pattern")
		}
		if c := p.peek(); c != -1 && strings.ContainsRune("&-!#%,:;<=>@`~", c) {
			p.pos++
			return runeSet(c, c), c, true
		}
		if s, negate, ok := p.classEscape(true); ok {
			if negate {
				s = s.complement(maxCodePoint)
			}
			return s, 0, false
		}
		c := p.characterEscape(true)
		return runeSet(c, c), c, true
	case strings.ContainsRune("()[]{}/-|", c):
		p.fail("Invalid character in character class")
	case strings.ContainsRune("&!#$%*+,.:;<=>?@^`~", c) && p.peekAt(1) == c:
		p.fail("Invalid set operation in character class")
	}
	p.pos++
	return runeSet(c, c), c, true
}

// classStrings parses ClassStringDisjunction after \q{, up to and past '}'.
func (p *rxParser) classStrings() *charSet {
	s := &charSet{}
	var cur []rune
	for {
		c := p.peek()
		switch {
		case c == -1:
			p.fail("Unterminated character class")
		case c == '}' || c == '|':
			p.pos++
			s.addString(cur)
			cur = nil
			if c == '}' {
				return s
			}
			continue
		case c == '\\':
			p.pos++
			if d := p.peek(); d == 'b' {
				p.pos++
				c = 8
			} else if d != -1 && strings.ContainsRune("&-!#%,:;<=>@`~", d) {
				p.pos++
				c = d
			} else {
				c = p.characterEscape(true)
			}
		case strings.ContainsRune("()[]{}/-|", c):
			p.fail("Invalid character in character class")
		case strings.ContainsRune("&!#$%*+,.:;<=>?@^`~", c) && p.peekAt(1) == c:
			p.fail("Invalid set operation in character class")
		default:
			p.pos++
		}
		cur = append(cur, c)
	}
}
