package builtins

import (
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// defineEscape defines RegExp.escape on the constructor C.
func (x *regexpRealm) defineEscape(C *goja.Object) error {
	f := webidl.NewFunction(x.vm, "escape", 1, x.escape)
	return C.DefineDataProperty("escape", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// escape is RegExp.escape (https://tc39.es/ecma262/#sec-regexp.escape).
func (x *regexpRealm) escape(call goja.FunctionCall) goja.Value {
	S, ok := call.Argument(0).(goja.String)
	if !ok {
		panic(x.vm.NewTypeError("RegExp.escape requires a string"))
	}
	var b goja.StringBuilder
	n := S.Length()
	for i := 0; i < n; i++ {
		c := rune(S.CharAt(i))
		if c >= 0xD800 && c <= 0xDBFF && i+1 < n {
			if d := rune(S.CharAt(i + 1)); d >= 0xDC00 && d <= 0xDFFF {
				c = (c-0xD800)<<10 + (d - 0xDC00) + 0x10000
				i++
			}
		}
		if i == 0 && (c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z') {
			b.WriteUTF8String(`\x` + hex(c, 2))
			continue
		}
		if s, ok := encodeForRegExpEscape(c); ok {
			b.WriteUTF8String(s)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// encodeForRegExpEscape is EncodeForRegExpEscape
// (https://tc39.es/ecma262/#sec-encodeforregexpescape): the escape of c, or
// false for c itself.
func encodeForRegExpEscape(c rune) (string, bool) {
	switch {
	case strings.ContainsRune(`^$\.*+?()[]{}|/`, c):
		return `\` + string(c), true
	case c >= '\t' && c <= '\r':
		return `\` + string("tnvfr"[c-'\t']), true
	case strings.ContainsRune(",-=<>#&!%:;@~'`\"", c) || isWhiteSpaceOrLineTerminator(c) || c >= 0xD800 && c <= 0xDFFF:
		if c <= 0xFF {
			return `\x` + hex(c, 2), true
		}
		var s string
		for _, u := range utf16Units(c) {
			s += `\u` + hex(u, 4)
		}
		return s, true
	}
	return "", false
}

// isWhiteSpaceOrLineTerminator reports whether c is matched by WhiteSpace or
// LineTerminator (https://tc39.es/ecma262/#sec-white-space).
func isWhiteSpaceOrLineTerminator(c rune) bool {
	switch c {
	case '\t', '\v', '\f', ' ', 0xA0, 0x1680, 0x202F, 0x205F, 0x3000, 0xFEFF, '\n', '\r', 0x2028, 0x2029:
		return true
	}
	return c >= 0x2000 && c <= 0x200A
}

func utf16Units(c rune) []rune {
	if c <= 0xFFFF {
		return []rune{c}
	}
	c -= 0x10000
	return []rune{0xD800 + c>>10, 0xDC00 + c&0x3FF}
}

// hex is c in lowercase hexadecimal, zero-padded to n digits.
func hex(c rune, n int) string {
	h := strconv.FormatInt(int64(c), 16)
	return strings.Repeat("0", max(0, n-len(h))) + h
}
