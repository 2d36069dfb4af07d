package base64

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// ForgivingDecode runs the Infra Standard's forgiving-base64 decode
// (https://infra.spec.whatwg.org/#forgiving-base64-decode) on data, read as
// one code point per byte. It returns the decoded bytes, or false for
// failure. data is not modified.
func ForgivingDecode(data []byte) ([]byte, bool) {
	return appendForgivingDecode(nil, data)
}

// appendForgivingDecode is ForgivingDecode appending the decoded bytes to
// dst; on failure it returns dst as it was. The bytes of data may lie in
// dst's backing array, up to len(dst).
func appendForgivingDecode(dst, data []byte) ([]byte, bool) {
	// 1. Remove all ASCII whitespace from data.
	data = removeASCIIWhitespace(data)
	// 2. If data's code point length divides by 4 leaving no remainder,
	// then: if data ends with one or two U+003D (=) code points, then
	// remove them from data.
	if len(data)%4 == 0 {
		data = bytes.TrimSuffix(data, []byte("="))
		data = bytes.TrimSuffix(data, []byte("="))
	}
	// 3. If data's code point length divides by 4 leaving a remainder of
	// 1, return failure.
	if len(data)%4 == 1 {
		return dst, false
	}
	// 4. If data contains a code point that is not one of U+002B (+),
	// U+002F (/), ASCII alphanumeric, then return failure.
	// 5-9. Take six bits per code point, output every 24 bits as three
	// bytes, and output one or two bytes from the 12 or 18 bits left over,
	// discarding the rest.
	// encoding/base64's unpadded standard decoding does steps 4 to 9: it
	// rejects any byte outside that alphabet, "=" included, and discards
	// leftover bits. The carriage returns and line feeds it would skip are
	// already gone.
	out, err := base64.RawStdEncoding.AppendDecode(dst, data)
	if err != nil {
		return dst, false
	}
	return out, true
}

// removeASCIIWhitespace returns b without its ASCII whitespace
// (https://infra.spec.whatwg.org/#ascii-whitespace), in a new slice if it
// has any.
func removeASCIIWhitespace(b []byte) []byte {
	const whitespace = "\t\n\f\r "
	i := bytes.IndexAny(b, whitespace)
	if i < 0 {
		return b
	}
	out := append(make([]byte, 0, len(b)-1), b[:i]...)
	for _, c := range b[i+1:] {
		if strings.IndexByte(whitespace, c) < 0 {
			out = append(out, c)
		}
	}
	return out
}
