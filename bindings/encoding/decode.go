package encoding

import "bytes"

// Lookup runs the Encoding Standard's "get an encoding"
// (https://encoding.spec.whatwg.org/#concept-encoding-get) for label and
// returns the encoding's name, or ok false for failure. The name is what
// Decode takes as its fallback encoding.
func Lookup(label string) (name string, ok bool) {
	e := getEncoding(label)
	if e == nil {
		return "", false
	}
	return e.name, true
}

// Decode runs the Encoding Standard's "decode"
// (https://encoding.spec.whatwg.org/#decode) of b with the fallback encoding
// whose name Lookup returned ("" or a name it did not return means UTF-8): a
// byte order mark chooses UTF-8, UTF-16BE or UTF-16LE instead and is
// skipped, and each error becomes U+FFFD. The result is UTF-8.
func Decode(b []byte, fallback string) string {
	e := getEncoding(fallback)
	if e == nil {
		e = getEncoding("utf-8")
	}
	// Steps 1-2: BOM sniff
	// (https://encoding.spec.whatwg.org/#bom-sniff); a BOM found is read.
	switch {
	case bytes.HasPrefix(b, bom8):
		return UTF8DecodeWithoutBOM(b[len(bom8):])
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		e, b = getEncoding("utf-16be"), b[2:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		e, b = getEncoding("utf-16le"), b[2:]
	}
	if e.utf8 {
		return UTF8DecodeWithoutBOM(b)
	}
	// Step 3: process the queue with the encoding's decoder in replacement
	// mode. No input decodes to nothing in every encoding, the replacement
	// encoding's included.
	if len(b) == 0 {
		return ""
	}
	out, _ := e.newDecoder().decode(make([]byte, 0, len(b)+8), b, true, false)
	return string(out)
}
