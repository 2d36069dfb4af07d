package url

import (
	"strings"
	"unicode/utf8"

	"github.com/wsjs/wsjs/bindings/encoding"
)

// pair is a name-value tuple of a URLSearchParams list; both are scalar
// value strings held as UTF-8.
type pair struct{ name, value string }

// parseURLEncoded implements the application/x-www-form-urlencoded parser
// (https://url.spec.whatwg.org/#concept-urlencoded-parser) on the UTF-8 bytes
// of input, appending the tuples to list.
func parseURLEncoded(list []pair, input string) []pair {
	// Step 1: split on "&"; step 3: each non-empty sequence is a tuple.
	for len(input) > 0 {
		seq := input
		if i := strings.IndexByte(input, '&'); i >= 0 {
			seq, input = input[:i], input[i+1:]
		} else {
			input = ""
		}
		if seq == "" {
			continue
		}
		// Step 3.2: name up to the first "=", value after it.
		name, value := seq, ""
		if i := strings.IndexByte(seq, '='); i >= 0 {
			name, value = seq[:i], seq[i+1:]
		}
		// Steps 3.3-3.5: "+" becomes a space, then percent-decode and
		// UTF-8 decode without BOM.
		list = append(list, pair{formDecode(name), formDecode(value)})
	}
	return list
}

// formDecode replaces "+" by a space, percent-decodes
// (https://url.spec.whatwg.org/#percent-decode) and runs UTF-8 decode without
// BOM on s.
func formDecode(s string) string {
	if strings.IndexByte(s, '+') < 0 && strings.IndexByte(s, '%') < 0 && utf8.ValidString(s) {
		return s
	}
	return encoding.UTF8DecodeWithoutBOM(PercentDecode(strings.ReplaceAll(s, "+", " ")))
}

// serializeURLEncoded implements the application/x-www-form-urlencoded
// serializer (https://url.spec.whatwg.org/#concept-urlencoded-serializer) with
// UTF-8.
func serializeURLEncoded(list []pair) string {
	var b strings.Builder
	for i, p := range list {
		if i > 0 {
			b.WriteByte('&')
		}
		formEncode(&b, p.name)
		b.WriteByte('=')
		formEncode(&b, p.value)
	}
	return b.String()
}

// formEncode percent-encodes s with the application/x-www-form-urlencoded
// percent-encode set and spaceAsPlus ("percent-encode after encoding",
// https://url.spec.whatwg.org/#string-percent-encode-after-encoding): ASCII
// alphanumerics and *-._ stay, a space becomes "+", every other byte of the
// UTF-8 encoding becomes %XX.
func formEncode(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '*' || c == '-' || c == '.' || c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		}
	}
}

// ParseURLEncoded runs the application/x-www-form-urlencoded parser
// (https://url.spec.whatwg.org/#concept-urlencoded-parser) on input and
// returns the name-value tuples, in order.
func ParseURLEncoded(input string) [][2]string {
	list := parseURLEncoded(nil, input)
	out := make([][2]string, len(list))
	for i, p := range list {
		out[i] = [2]string{p.name, p.value}
	}
	return out
}
