package jsnest

import (
	"strings"
	"unicode/utf8"
)

// The lexical pieces of JavaScript text
// (https://tc39.es/ecma262/#sec-ecmascript-language-lexical-grammar) that
// Check reads, and the loader's scanner of the code esbuild prints too. Each
// takes the code and the offset where the piece starts and returns where it
// ends; whether a / starts a regular expression, and what the tokens mean,
// is the caller's.

// punctuators are the punctuators of more than one character, longest
// first within each first character.
var punctuators = []string{
	">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
	"=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=",
	"*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
}

// Punctuator returns the punctuator at pos (one character if no longer one
// is there).
func Punctuator(code string, pos int) string {
	rest := code[pos:]
	for _, p := range punctuators {
		if strings.HasPrefix(rest, p) {
			if p == "?." && len(rest) > 2 && IsDigit(rest[2]) {
				continue // a conditional before a number such as .5
			}
			return p
		}
	}
	return rest[:1]
}

// StringEnd returns the end of the string literal whose quote is at pos,
// and false where a line break (the end returned) or the code's end comes
// first.
func StringEnd(code string, pos int) (int, bool) {
	q := code[pos]
	for pos++; pos < len(code); {
		switch code[pos] {
		case q:
			return pos + 1, true
		case '\\':
			pos += 2
			if pos <= len(code) && code[pos-1] == '\r' && pos < len(code) && code[pos] == '\n' {
				pos++
			}
		case '\n', '\r':
			return pos, false
		default:
			pos++
		}
	}
	return len(code), false
}

// TemplatePart returns the end of the template text from pos (past the
// backtick or the } that ends a substitution): past the closing backtick,
// or past the ${ of a substitution (sub true); false if the code ends first.
func TemplatePart(code string, pos int) (end int, sub, ok bool) {
	for pos < len(code) {
		switch {
		case code[pos] == '\\':
			pos += 2
		case code[pos] == '`':
			return pos + 1, false, true
		case code[pos] == '$' && pos+1 < len(code) && code[pos+1] == '{':
			return pos + 2, true, true
		default:
			pos++
		}
	}
	return len(code), false, false
}

// RegExpEnd returns the end of the regular expression literal whose slash
// is at pos, its flags included, and false where no literal ends on the
// line (the line break, or the code's end, is returned).
func RegExpEnd(code string, pos int) (int, bool) {
	class := false
	for pos++; pos < len(code); pos++ {
		switch c := code[pos]; {
		case c == '\\':
			pos++
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			return NameEnd(code, pos+1), true
		case c == '\n' || c == '\r' || c == 0xe2 && isLineSeparator(code[pos:]):
			return pos, false
		}
	}
	return len(code), false
}

// NameEnd returns the end of the identifier, or rest of one, at pos: name
// characters and escapes (\uXXXX, \u{...}), up to anything else.
func NameEnd(code string, pos int) int {
	for pos < len(code) {
		c := code[pos]
		switch {
		case c == '\\':
			pos++
			for pos < len(code) && (isNamePart(code[pos]) || code[pos] == '{') {
				pos++
			}
			if pos < len(code) && code[pos] == '}' {
				pos++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(code[pos:])
			if space, _ := isSpaceRune(r); space {
				return pos
			}
			pos += n
		case isNamePart(c):
			pos++
		default:
			return pos
		}
	}
	return pos
}

// NumberEnd returns the end of the numeric literal at pos: digits, letters
// (hexadecimal digits, exponents, BigInt's n), dots, separators, and the
// sign of a decimal exponent.
func NumberEnd(code string, pos int) int {
	start := pos
	for pos < len(code) && (isNamePart(code[pos]) || code[pos] == '.' ||
		(code[pos] == '+' || code[pos] == '-') && (code[pos-1]|0x20) == 'e' && !isHexNumber(code[start:pos])) {
		pos++
	}
	return pos
}

// IsDigit reports whether c is a decimal digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// IsNameStart reports whether c may start an identifier: a letter, $, _, a
// backslash (an escape) or the first byte of a non-ASCII character.
func IsNameStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '$' || c == '_' || c == '\\' || c >= utf8.RuneSelf
}

func isNamePart(c byte) bool { return IsNameStart(c) && c != '\\' || IsDigit(c) }

func isHexNumber(n string) bool { return len(n) > 1 && n[0] == '0' && (n[1]|0x20) == 'x' }

// isLineSeparator reports whether s starts with U+2028 or U+2029.
func isLineSeparator(s string) bool {
	return strings.HasPrefix(s, "\u2028") || strings.HasPrefix(s, "\u2029")
}

// isSpaceRune reports whether r, not ASCII, is white space or a line
// terminator of JavaScript, and which.
func isSpaceRune(r rune) (space, lineBreak bool) {
	switch r {
	case '\u2028', '\u2029':
		return true, true
	case '\u00a0', '\ufeff', '\u1680', '\u202f', '\u205f', '\u3000':
		return true, false
	}
	return '\u2000' <= r && r <= '\u200a', false
}
