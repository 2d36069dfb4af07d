package encoding

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// replacementChar is U+FFFD REPLACEMENT CHARACTER in UTF-8, what a decoder
// emits for an error in replacement mode.
const replacementChar = "\uFFFD"

// A decoder is one of the Encoding Standard's decoders together with its
// state. decode runs "process an item"
// (https://encoding.spec.whatwg.org/#concept-encoding-process) for each byte
// of src and, when flush is set, for end-of-queue, appending the code points
// it produces to dst as UTF-8. In fatal error mode it stops at the first
// error and reports ok false; otherwise each error appends U+FFFD. reset
// returns the decoder to the state of a new instance.
type decoder interface {
	decode(dst, src []byte, flush, fatal bool) (out []byte, ok bool)
	reset()
}

// utf8Decoder is the UTF-8 decoder
// (https://encoding.spec.whatwg.org/#utf-8-decoder).
type utf8Decoder struct {
	codePoint    rune
	bytesSeen    int
	bytesNeeded  int
	lower, upper byte
}

func newUTF8Decoder() *utf8Decoder {
	d := &utf8Decoder{}
	d.reset()
	return d
}

func (d *utf8Decoder) reset() {
	*d = utf8Decoder{lower: 0x80, upper: 0xBF}
}

func (d *utf8Decoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	i := 0
	for i < len(src) {
		b := src[i]
		if d.bytesNeeded == 0 {
			// Fast paths. A run of ASCII, or a complete well-formed
			// sequence, decodes to exactly what the steps below give:
			// Go's UTF-8 and the standard's agree on what is valid.
			if b < 0x80 {
				j := i + 1
				for j < len(src) && src[j] < 0x80 {
					j++
				}
				dst = append(dst, src[i:j]...)
				i = j
				continue
			}
			if r, n := utf8.DecodeRune(src[i:]); n > 1 || r != utf8.RuneError {
				dst = append(dst, src[i:i+n]...)
				i += n
				continue
			}
			// Step 3: a lead byte sets up the sequence.
			switch {
			case b >= 0xC2 && b <= 0xDF:
				d.bytesNeeded = 1
				d.codePoint = rune(b & 0x1F)
			case b >= 0xE0 && b <= 0xEF:
				if b == 0xE0 {
					d.lower = 0xA0
				}
				if b == 0xED {
					d.upper = 0x9F
				}
				d.bytesNeeded = 2
				d.codePoint = rune(b & 0xF)
			case b >= 0xF0 && b <= 0xF4:
				if b == 0xF0 {
					d.lower = 0x90
				}
				if b == 0xF4 {
					d.upper = 0x8F
				}
				d.bytesNeeded = 3
				d.codePoint = rune(b & 0x7)
			default:
				i++
				if fatal {
					return dst, false
				}
				dst = append(dst, replacementChar...)
				continue
			}
			i++
			continue
		}
		// Step 4: a byte outside the boundaries ends the sequence with an
		// error and is restored to the queue (it is not consumed).
		if b < d.lower || b > d.upper {
			d.reset()
			if fatal {
				return dst, false
			}
			dst = append(dst, replacementChar...)
			continue
		}
		// Steps 5-9.
		d.lower, d.upper = 0x80, 0xBF
		d.codePoint = d.codePoint<<6 | rune(b&0x3F)
		d.bytesSeen++
		i++
		if d.bytesSeen == d.bytesNeeded {
			dst = utf8.AppendRune(dst, d.codePoint)
			d.reset()
		}
	}
	// Step 1: end-of-queue in the middle of a sequence is an error.
	if flush && d.bytesNeeded != 0 {
		d.reset()
		if fatal {
			return dst, false
		}
		dst = append(dst, replacementChar...)
	}
	return dst, true
}

// utf16Decoder is the shared UTF-16 decoder
// (https://encoding.spec.whatwg.org/#shared-utf-16-decoder), for UTF-16BE when
// be is set and UTF-16LE otherwise.
type utf16Decoder struct {
	be               bool
	hasLeadByte      bool
	leadByte         byte
	leadingSurrogate rune // 0 for null
}

func (d *utf16Decoder) reset() {
	*d = utf16Decoder{be: d.be}
}

func (d *utf16Decoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	for _, b := range src {
		// Step 3: the first byte of a code unit is kept.
		if !d.hasLeadByte {
			d.hasLeadByte, d.leadByte = true, b
			continue
		}
		// Step 4.
		var cu rune
		if d.be {
			cu = rune(d.leadByte)<<8 | rune(b)
		} else {
			cu = rune(b)<<8 | rune(d.leadByte)
		}
		d.hasLeadByte = false
		// Step 5: after a leading surrogate, a trailing one completes the
		// pair; anything else is an error and the code unit's bytes are
		// restored, which amounts to processing the code unit afresh.
		if s := d.leadingSurrogate; s != 0 {
			d.leadingSurrogate = 0
			if cu >= 0xDC00 && cu <= 0xDFFF {
				dst = utf8.AppendRune(dst, 0x10000+(s-0xD800)<<10+(cu-0xDC00))
				continue
			}
			if fatal {
				return dst, false
			}
			dst = append(dst, replacementChar...)
		}
		switch {
		case cu >= 0xD800 && cu <= 0xDBFF: // step 6
			d.leadingSurrogate = cu
		case cu >= 0xDC00 && cu <= 0xDFFF: // step 7
			if fatal {
				return dst, false
			}
			dst = append(dst, replacementChar...)
		default: // step 8
			dst = utf8.AppendRune(dst, cu)
		}
	}
	// Step 1: a pending byte or surrogate at end-of-queue is one error.
	if flush && (d.hasLeadByte || d.leadingSurrogate != 0) {
		d.reset()
		if fatal {
			return dst, false
		}
		dst = append(dst, replacementChar...)
	}
	return dst, true
}

// singleByteDecoder is the single-byte decoder
// (https://encoding.spec.whatwg.org/#single-byte-decoder) and, with the
// x-user-defined table, the x-user-defined decoder
// (https://encoding.spec.whatwg.org/#x-user-defined-decoder). It has no
// state. high maps the bytes 0x80 to 0xFF; a negative entry is a null code
// point in the index, an error.
type singleByteDecoder struct {
	high *[128]rune
}

func (singleByteDecoder) reset() {}

func (d singleByteDecoder) decode(dst, src []byte, flush, fatal bool) ([]byte, bool) {
	for _, b := range src {
		if b < 0x80 {
			dst = append(dst, b)
			continue
		}
		r := d.high[b-0x80]
		if r < 0 {
			if fatal {
				return dst, false
			}
			dst = append(dst, replacementChar...)
			continue
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, true
}

// singleByteTable builds the index of a single-byte encoding from its
// golang.org/x/text table. That table follows the Encoding Standard's index
// except that it maps the pointers whose code point is a C1 control (U+0080
// to U+009F) to U+FFFD. In every single-byte index of the standard such a
// code point is the byte's own value, and no byte from 0xA0 up maps to one,
// so a U+FFFD below 0xA0 stands for the byte's own value and a U+FFFD from
// 0xA0 up for a null entry.
func singleByteTable(cm *charmap.Charmap) *[128]rune {
	var t [128]rune
	for i := range t {
		b := byte(0x80 + i)
		r := cm.DecodeByte(b)
		switch {
		case r != utf8.RuneError:
			t[i] = r
		case b < 0xA0:
			t[i] = rune(b)
		default:
			t[i] = -1
		}
	}
	return &t
}

// UTF8Decode runs the Encoding Standard's "UTF-8 decode"
// (https://encoding.spec.whatwg.org/#utf-8-decode): a leading byte order mark
// is skipped and each error in b becomes U+FFFD, as every web API that reads
// bytes as UTF-8 text (Blob.text() among them) does.
func UTF8Decode(b []byte) string {
	return UTF8DecodeWithoutBOM(bytes.TrimPrefix(b, bom8))
}

// UTF8DecodeWithoutBOM runs the Encoding Standard's "UTF-8 decode without
// BOM" (https://encoding.spec.whatwg.org/#utf-8-decode-without-bom): like
// UTF8Decode, but a byte order mark is kept as U+FEFF.
func UTF8DecodeWithoutBOM(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var d utf8Decoder
	d.reset()
	out, _ := d.decode(make([]byte, 0, len(b)+8), b, true, false)
	return string(out)
}

var bom8 = []byte{0xEF, 0xBB, 0xBF}
