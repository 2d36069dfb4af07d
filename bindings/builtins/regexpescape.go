package builtins

import (
	"strconv"
	"unicode"
	"unicode/utf16"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has no RegExp.escape (ECMAScript 2025). It is defined on the RegExp
// constructor in place (regexp.go's or goja's) as a built-in method.

// installRegExpEscape defines RegExp.escape.
func installRegExpEscape(realm *webidl.Realm) error {
	vm := realm.VM()
	ctor, ok := vm.GlobalObject().Get("RegExp").(*goja.Object)
	if !ok {
		return nil
	}
	f := webidl.NewFunction(vm, "escape", 1, func(c goja.FunctionCall) goja.Value {
		s, ok := c.Argument(0).(goja.String)
		if !ok {
			realm.ThrowTypeError("RegExp.escape: the argument is not a string")
		}
		return goja.StringFromUTF16(regExpEscape(s))
	})
	return ctor.DefineDataProperty("escape", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// regExpEscape is the steps of RegExp.escape
// (https://tc39.es/ecma262/#sec-regexp.escape) from the second on: the
// code units of s escaped.
func regExpEscape(s goja.String) []uint16 {
	n := s.Length()
	out := make([]uint16, 0, n)
	for i := 0; i < n; i++ {
		c := rune(s.CharAt(i))
		if utf16.IsSurrogate(c) && c < 0xDC00 && i+1 < n {
			if lo := rune(s.CharAt(i + 1)); lo >= 0xDC00 && lo <= 0xDFFF {
				c = utf16.DecodeRune(c, lo)
				i++
			}
		}
		if len(out) == 0 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			out = appendHexEscape(out, c) // step 4.a
			continue
		}
		out = appendEncoded(out, c)
	}
	return out
}

// controlEscapes are the ControlEscape letters of the code points that have
// one (https://tc39.es/ecma262/#table-controlescape-code-point-values).
var controlEscapes = map[rune]uint16{'\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r'}

// appendEncoded appends EncodeForRegExpEscape(c)
// (https://tc39.es/ecma262/#sec-encodeforregexpescape).
func appendEncoded(out []uint16, c rune) []uint16 {
	switch {
	case c < 0x80 && isSyntaxOrSolidus(byte(c)):
		return append(out, '\\', uint16(c))
	case controlEscapes[c] != 0:
		return append(out, '\\', controlEscapes[c])
	case c < 0x80 && isOtherPunctuator(byte(c)),
		c == 0xFEFF || unicode.Is(unicode.Zs, c) || c == 0x2028 || c == 0x2029,
		c >= 0xD800 && c <= 0xDFFF:
		if c <= 0xFF {
			return appendHexEscape(out, c)
		}
		units := []uint16{uint16(c)} // a lone surrogate, as it is
		if c > 0xFFFF {
			units = utf16.Encode([]rune{c})
		}
		for _, cu := range units {
			out = append(out, '\\', 'u')
			out = appendHex(out, int64(cu), 4)
		}
		return out
	}
	return utf16.AppendRune(out, c)
}

// isSyntaxOrSolidus reports whether c is a SyntaxCharacter or "/".
func isSyntaxOrSolidus(c byte) bool {
	switch c {
	case '^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/':
		return true
	}
	return false
}

// isOtherPunctuator reports whether c is in otherPunctuators (step 3).
func isOtherPunctuator(c byte) bool {
	switch c {
	case ',', '-', '=', '<', '>', '#', '&', '!', '%', ':', ';', '@', '~', '\'', '`', '"':
		return true
	}
	return false
}

// appendHexEscape appends "\x" and the two lowercase hex digits of c <= 0xFF.
func appendHexEscape(out []uint16, c rune) []uint16 {
	return appendHex(append(out, '\\', 'x'), int64(c), 2)
}

// appendHex appends v in lowercase hex, padded with zeros to width digits.
func appendHex(out []uint16, v int64, width int) []uint16 {
	h := strconv.FormatInt(v, 16)
	for i := len(h); i < width; i++ {
		out = append(out, '0')
	}
	for i := 0; i < len(h); i++ {
		out = append(out, uint16(h[i]))
	}
	return out
}
