package jsnest

import (
	"strings"
	"unicode/utf8"
)

// SkipSpace returns where the first token at or after pos in code starts,
// past white space and comments (https://tc39.es/ecma262/#sec-white-space,
// #sec-comments), whether they hold a line terminator, and whether a
// comment does not end (next is then len(code)). Check skips them so, and
// so does the loader's scanner of the code esbuild prints.
func SkipSpace(code string, pos int) (next int, newline, unterminated bool) {
	for pos < len(code) {
		c := code[pos]
		switch {
		case c == '\n' || c == '\r':
			newline = true
			pos++
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			pos++
		case c == '/' && strings.HasPrefix(code[pos:], "//"):
			if i := strings.IndexAny(code[pos:], "\r\n"); i >= 0 {
				pos += i
			} else {
				pos = len(code)
			}
		case c == '/' && strings.HasPrefix(code[pos:], "/*"):
			i := strings.Index(code[pos+2:], "*/")
			if i < 0 {
				return len(code), newline, true
			}
			if strings.ContainsAny(code[pos:pos+2+i], "\r\n\u2028\u2029") {
				newline = true
			}
			pos += i + 4
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(code[pos:])
			space, lineBreak := isSpaceRune(r)
			if !space {
				return pos, newline, false
			}
			newline = newline || lineBreak
			pos += n
		default:
			return pos, newline, false
		}
	}
	return pos, newline, false
}

// LastToken returns where the last character before pos in code that is
// neither white space nor in a block comment is, or -1: SkipSpace read
// backwards. A line comment cannot be told apart reading backwards and is
// not skipped: its text is taken for tokens.
func LastToken(code string, pos int) int {
	for pos > 0 {
		c := code[pos-1]
		switch {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n' || c == '\r':
			pos--
		case c == '/' && strings.HasSuffix(code[:pos], "*/"):
			i := strings.LastIndex(code[:pos-2], "/*")
			if i < 0 {
				return -1
			}
			pos = i
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeLastRuneInString(code[:pos])
			if space, _ := isSpaceRune(r); !space {
				return pos - n
			}
			pos -= n
		default:
			return pos - 1
		}
	}
	return -1
}
