package jsregexp

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// charSet is a CharSet of the RegExp semantics
// (https://tc39.es/ecma262/#sec-pattern-semantics): code points (or, without
// the u and v flags, code units), and with the v flag strings of more than one
// code point (https://tc39.es/ecma262/#sec-compiletocharset). Its methods
// return new sets and leave their operands alone, so sets decoded once per
// process can be shared.
type charSet struct {
	ranges  []rune   // sorted, disjoint, non-adjacent pairs lo, hi (inclusive)
	strings []string // each of two or more code points, as UTF-32 in a string of runes
}

const maxCodePoint = 0x10FFFF

func runeSet(pairs ...rune) *charSet {
	s := &charSet{}
	for i := 0; i+1 < len(pairs); i += 2 {
		s.addRange(pairs[i], pairs[i+1])
	}
	return s
}

// addRange adds lo..hi in place; for sets being built.
func (s *charSet) addRange(lo, hi rune) {
	s.ranges = normalize(append(s.ranges, lo, hi))
}

// addString adds a string in place: one code point to the ranges, the empty
// string or more to the strings.
func (s *charSet) addString(rs []rune) {
	if len(rs) == 1 {
		s.addRange(rs[0], rs[0])
		return
	}
	k := string(runesKey(rs))
	if !slices.Contains(s.strings, k) {
		s.strings = append(s.strings, k)
	}
}

// runesKey keeps code points, surrogates included, in a Go string: each is
// written as 3 bytes, big-endian.
func runesKey(rs []rune) []byte {
	b := make([]byte, 0, 3*len(rs))
	for _, r := range rs {
		b = append(b, byte(r>>16), byte(r>>8), byte(r))
	}
	return b
}

func keyRunes(k string) []rune {
	rs := make([]rune, 0, len(k)/3)
	for i := 0; i+2 < len(k); i += 3 {
		rs = append(rs, rune(k[i])<<16|rune(k[i+1])<<8|rune(k[i+2]))
	}
	return rs
}

// normalize sorts and merges pairs.
func normalize(p []rune) []rune {
	type rg struct{ lo, hi rune }
	rs := make([]rg, 0, len(p)/2)
	for i := 0; i+1 < len(p); i += 2 {
		rs = append(rs, rg{p[i], p[i+1]})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	out := make([]rune, 0, len(p))
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1]+1 {
			out[n-1] = max(out[n-1], r.hi)
			continue
		}
		out = append(out, r.lo, r.hi)
	}
	return out
}

func (s *charSet) union(t *charSet) *charSet {
	u := &charSet{ranges: normalize(append(slices.Clone(s.ranges), t.ranges...))}
	u.strings = slices.Clone(s.strings)
	for _, k := range t.strings {
		if !slices.Contains(u.strings, k) {
			u.strings = append(u.strings, k)
		}
	}
	return u
}

// complement is the code points up to top not in s; s has no strings.
func (s *charSet) complement(top rune) *charSet {
	c := &charSet{}
	next := rune(0)
	for i := 0; i < len(s.ranges); i += 2 {
		if s.ranges[i] > next {
			c.ranges = append(c.ranges, next, min(s.ranges[i]-1, top))
		}
		next = s.ranges[i+1] + 1
	}
	if next <= top {
		c.ranges = append(c.ranges, next, top)
	}
	return c
}

func (s *charSet) intersect(t *charSet) *charSet {
	c := &charSet{}
	for i, j := 0, 0; i < len(s.ranges) && j < len(t.ranges); {
		lo, hi := max(s.ranges[i], t.ranges[j]), min(s.ranges[i+1], t.ranges[j+1])
		if lo <= hi {
			c.ranges = append(c.ranges, lo, hi)
		}
		if s.ranges[i+1] < t.ranges[j+1] {
			i += 2
		} else {
			j += 2
		}
	}
	for _, k := range s.strings {
		if slices.Contains(t.strings, k) {
			c.strings = append(c.strings, k)
		}
	}
	return c
}

func (s *charSet) subtract(t *charSet) *charSet {
	c := s.intersect(t.complement(maxCodePoint))
	c.strings = nil
	for _, k := range s.strings {
		if !slices.Contains(t.strings, k) {
			c.strings = append(c.strings, k)
		}
	}
	return c
}

func (s *charSet) empty() bool { return len(s.ranges) == 0 && len(s.strings) == 0 }

// single reports the one code point s holds, if that is all it holds.
func (s *charSet) single() (rune, bool) {
	if len(s.strings) == 0 && len(s.ranges) == 2 && s.ranges[0] == s.ranges[1] {
		return s.ranges[0], true
	}
	return 0, false
}

// writeChar writes c for regexp2: an escape for a code point of the BMP,
// which is never a metacharacter and keeps surrogates apart, the code point
// itself above it.
func writeChar(b *strings.Builder, c rune) {
	if c > 0xFFFF {
		b.WriteRune(c)
		return
	}
	b.WriteString(`\u`)
	h := strconv.FormatInt(int64(c), 16)
	b.WriteString(strings.Repeat("0", 4-len(h)))
	b.WriteString(h)
}

// writeClass writes s for regexp2, negated if negate: a class, or an
// alternation of its strings, longest first, and its class
// (https://tc39.es/ecma262/#sec-compileatom, CharacterClass with strings).
func (s *charSet) write(b *strings.Builder, negate bool) {
	if len(s.strings) > 0 {
		strs := slices.Clone(s.strings)
		sort.SliceStable(strs, func(i, j int) bool { return len(strs[i]) > len(strs[j]) })
		b.WriteString("(?:")
		for _, k := range strs {
			if k == "" {
				continue
			}
			for _, r := range keyRunes(k) {
				writeChar(b, r)
			}
			b.WriteByte('|')
		}
		(&charSet{ranges: s.ranges}).write(b, false)
		if slices.Contains(strs, "") {
			b.WriteByte('|') // the empty string, tried last
		}
		b.WriteByte(')')
		return
	}
	if len(s.ranges) == 0 {
		if negate {
			b.WriteString(`[\u0000-` + string(rune(maxCodePoint)) + `]`)
		} else {
			b.WriteString("(?!)")
		}
		return
	}
	b.WriteByte('[')
	if negate {
		b.WriteByte('^')
	}
	for i := 0; i < len(s.ranges); i += 2 {
		writeChar(b, s.ranges[i])
		if s.ranges[i+1] != s.ranges[i] {
			b.WriteByte('-')
			writeChar(b, s.ranges[i+1])
		}
	}
	b.WriteByte(']')
}
