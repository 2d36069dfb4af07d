package url

// PercentDecode runs the URL Standard's percent-decode
// (https://url.spec.whatwg.org/#percent-decode) on the bytes of s: a "%"
// followed by two ASCII hex digits becomes the byte they spell, and every
// other byte, a "%" without two hex digits after it included, is kept.
func PercentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// unhex returns the value of the ASCII hex digit c, or false if c is not one.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
