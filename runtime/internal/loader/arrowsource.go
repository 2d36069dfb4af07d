package loader

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// goja's parser drops parentheses from the syntax tree, and ends an arrow
// function's source text where its body's last node ends: the text of
// `() => ({a: 1})` lacks its last parenthesis, and so does any arrow whose
// concise body ends in a parenthesized expression, (a) + (b) included.
// Function.prototype.toString must return the exact source text
// (https://tc39.es/ecma262/#sec-function.prototype.tostring), so after each
// parse fixArrowSources extends such an arrow's Source over the closing
// parentheses (and the comments and white space before them) that its text
// opens but does not close. Counting parentheses needs to know which ones
// are inside string, template and regular expression literals: the tree
// says where those are (scan.go), so no lexing of / is needed; comments are
// skipped as the scan meets them. The parser also ends some bodies
// elsewhere than their text (a name that is not ASCII, a private name, a
// regular expression literal with flags: jsast.End): every such arrow's
// Source is set from where its body really ends.

// fixArrowSources corrects the Source of the arrow functions s found in a
// tree parsed from src with base 1 (goja's file.Idx of the first byte).
func fixArrowSources(src string, s *treeScan) {
	for _, a := range s.arrows {
		from, to := int(a.Start)-1, jsast.End(src, a.Body)
		if from < 0 || to > len(src) || from > to {
			continue
		}
		a.Source = src[from:s.end(src, from, to)]
	}
}

// end returns where the arrow whose text goja ends at to really ends: past
// as many closing parentheses as src[from:to] leaves open.
func (s *treeScan) end(src string, from, to int) int {
	open := 0
	k := sort.Search(len(s.literals), func(i int) bool { return s.literals[i].to > from })
	for i := from; i < to; {
		if k < len(s.literals) && s.literals[k].from <= i {
			i = max(i, s.literals[k].to)
			k++
			continue
		}
		if n := commentLen(src[i:]); n > 0 {
			i += n
			continue
		}
		switch src[i] {
		case '(':
			open++
		case ')':
			open--
		}
		i++
	}
	end := to
	for i := to; open > 0 && i < len(src); {
		if n := commentLen(src[i:]); n > 0 {
			i += n
			continue
		}
		switch src[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			i++
			continue
		case ')':
			open--
			i++
			end = i
			continue
		}
		if r, n := utf8.DecodeRuneInString(src[i:]); unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || r == '\ufeff' {
			i += n
			continue
		}
		break
	}
	return end
}

// commentLen returns the length of the comment s starts with, or 0.
func commentLen(s string) int {
	switch {
	case strings.HasPrefix(s, "//"):
		if n := strings.IndexAny(s, "\n\r\u2028\u2029"); n >= 0 {
			return n
		}
		return len(s)
	case strings.HasPrefix(s, "/*"):
		if n := strings.Index(s[2:], "*/"); n >= 0 {
			return n + 4
		}
		return len(s)
	}
	return 0
}
