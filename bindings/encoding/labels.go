package encoding

import (
	"strings"
	"sync"

	xenc "golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// An encoding is one of the Encoding Standard's encodings
// (https://encoding.spec.whatwg.org/#names-and-labels).
type encoding struct {
	name       string // lowercase, as TextDecoder's encoding attribute shows it
	x          xenc.Encoding
	table      func() *[128]rune // single-byte encodings only
	utf8       bool
	utf16      bool // UTF-16LE or UTF-16BE
	bigEndian  bool
	isReplaced bool // the replacement encoding
}

// newDecoder returns a new instance of the encoding's decoder.
func (e *encoding) newDecoder() decoder {
	switch {
	case e.utf8:
		return newUTF8Decoder()
	case e.utf16:
		return &utf16Decoder{be: e.bigEndian}
	case e.table != nil:
		return singleByteDecoder{high: e.table()}
	}
	var h handler
	switch e.name {
	case "gbk", "gb18030":
		h = &gb18030Decoder{}
	case "big5":
		h = &big5Decoder{}
	case "euc-jp":
		h = &eucJPDecoder{}
	case "iso-2022-jp":
		h = &iso2022JPDecoder{}
	case "shift_jis":
		h = &shiftJISDecoder{}
	case "euc-kr":
		h = &eucKRDecoder{}
	default:
		// The replacement encoding, which TextDecoder refuses.
		h = &replacementDecoder{}
	}
	return &handlerDecoder{h: h}
}

// usesBOM reports whether TextDecoder strips a leading byte order mark
// (Encoding "serialize I/O queue",
// https://encoding.spec.whatwg.org/#concept-td-serialize: UTF-8, UTF-16BE and
// UTF-16LE).
func (e *encoding) usesBOM() bool { return e.utf8 || e.utf16 }

var (
	encodingsMu sync.Mutex
	encodings   = map[string]*encoding{} // by name
)

// getEncoding implements "get an encoding"
// (https://encoding.spec.whatwg.org/#concept-encoding-get): label, with
// leading and trailing ASCII whitespace removed, must be an ASCII
// case-insensitive match for one of the labels of the standard's table (which
// golang.org/x/text/encoding/htmlindex holds). It returns nil for failure.
func getEncoding(label string) *encoding {
	// Step 1: remove leading and trailing ASCII whitespace.
	label = strings.Trim(label, "\t\n\f\r ")
	// Step 2: ASCII case-insensitive match. Every label is ASCII and
	// contains no whitespace, so anything else fails here; htmlindex
	// would also trim Unicode white space and fold non-ASCII letters.
	if label == "" {
		return nil
	}
	var buf [32]byte
	if len(label) > len(buf) {
		return nil
	}
	lower := buf[:len(label)]
	for i := 0; i < len(label); i++ {
		c := label[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c <= ' ' || c >= 0x7F:
			return nil
		}
		lower[i] = c
	}
	x, err := htmlindex.Get(string(lower))
	if err != nil {
		return nil
	}
	name, err := htmlindex.Name(x)
	if err != nil {
		return nil
	}
	encodingsMu.Lock()
	defer encodingsMu.Unlock()
	if e, ok := encodings[name]; ok {
		return e
	}
	e := &encoding{name: name, x: x}
	switch name {
	case "utf-8":
		e.utf8 = true
	case "utf-16le":
		e.utf16 = true
	case "utf-16be":
		e.utf16, e.bigEndian = true, true
	case "replacement":
		e.isReplaced = true
	case "iso-8859-8-i":
		// Same index as ISO-8859-8; only the name differs.
		e.table = sync.OnceValue(func() *[128]rune { return singleByteTable(charmap.ISO8859_8) })
	default:
		if cm, ok := x.(*charmap.Charmap); ok {
			e.table = sync.OnceValue(func() *[128]rune { return singleByteTable(cm) })
		}
	}
	encodings[name] = e
	return e
}
