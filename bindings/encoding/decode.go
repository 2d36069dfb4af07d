package encoding

import "bytes"

// Lookup runs "get an encoding"
// (https://encoding.spec.whatwg.org/#concept-encoding-get) on label: it
// returns the encoding's name ("utf-8", "windows-1252", "replacement"...)
// and false for failure.
func Lookup(label string) (name string, ok bool) {
	e := getEncoding(label)
	if e == nil {
		return "", false
	}
	return e.name, true
}

// Decode runs "decode" (https://encoding.spec.whatwg.org/#decode) on data
// with the fallback encoding called fallback (a name Lookup returned; ""
// means UTF-8): a byte order mark chooses UTF-8, UTF-16BE or UTF-16LE
// instead and is removed, and each error becomes U+FFFD.
func Decode(data []byte, fallback string) string {
	// Steps 1-3: BOM sniffing.
	var e *encoding
	switch {
	case bytes.HasPrefix(data, bom8):
		data = data[3:]
		return UTF8DecodeWithoutBOM(data)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		e, data = getEncoding("utf-16be"), data[2:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		e, data = getEncoding("utf-16le"), data[2:]
	case fallback == "" || fallback == "utf-8":
		return UTF8DecodeWithoutBOM(data)
	default:
		if e = getEncoding(fallback); e == nil {
			return UTF8DecodeWithoutBOM(data)
		}
	}
	// Steps 4-5: run the decoder, errors in replacement mode, and
	// serialize the output.
	out, _ := e.newDecoder().decode(make([]byte, 0, len(data)+len(data)/2), data, true, false)
	return string(out)
}
