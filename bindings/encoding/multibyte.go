package encoding

import "unicode/utf8"

// The decoders of the legacy multi-byte encodings, each following its
// handler's steps in the Encoding Standard. Code points are appended as
// UTF-8; a null index entry is 0.

// gb18030Decoder is the gb18030 decoder
// (https://encoding.spec.whatwg.org/#gb18030-decoder), which gbk shares.
type gb18030Decoder struct{ first, second, third int }

func (d *gb18030Decoder) reset() { *d = gb18030Decoder{} }

func (d *gb18030Decoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	// Steps 1-2.
	if b == endOfQueue {
		if d.first == 0 && d.second == 0 && d.third == 0 {
			return dst, statusFinished
		}
		d.reset()
		return dst, statusError
	}
	// Step 3.
	if d.third != 0 {
		if !inRange(b, 0x30, 0x39) {
			q.prepend(d.second, d.third, b)
			d.reset()
			return dst, statusError
		}
		cp := gb18030RangesCodePoint((d.first-0x81)*(10*126*10) + (d.second-0x30)*(10*126) + (d.third-0x81)*10 + b - 0x30)
		d.reset()
		return appendCodePoint(dst, cp)
	}
	// Step 4.
	if d.second != 0 {
		if inRange(b, 0x81, 0xFE) {
			d.third = b
			return dst, statusContinue
		}
		q.prepend(d.second, b)
		d.first, d.second = 0, 0
		return dst, statusError
	}
	// Step 5.
	if d.first != 0 {
		if inRange(b, 0x30, 0x39) {
			d.second = b
			return dst, statusContinue
		}
		lead := d.first
		d.first = 0
		var cp rune
		if inRange(b, 0x40, 0x7E) || inRange(b, 0x80, 0xFE) {
			cp = gb18030Index()[(lead-0x81)*190+b-offsetIf(b < 0x7F, 0x40, 0x41)]
		}
		if cp != 0 {
			return utf8.AppendRune(dst, cp), statusContinue
		}
		if isASCII(b) {
			q.prepend(b)
		}
		return dst, statusError
	}
	// Steps 6-9.
	switch {
	case isASCII(b):
		return append(dst, byte(b)), statusContinue
	case b == 0x80:
		return utf8.AppendRune(dst, 0x20AC), statusContinue
	case inRange(b, 0x81, 0xFE):
		d.first = b
		return dst, statusContinue
	}
	return dst, statusError
}

// appendCodePoint returns the result of a handler step that returns cp, or
// error if cp is null.
func appendCodePoint(dst []byte, cp rune) ([]byte, status) {
	if cp == 0 {
		return dst, statusError
	}
	return utf8.AppendRune(dst, cp), statusContinue
}

// leadDecoder holds the state shared by the decoders that keep one lead
// byte: Big5, EUC-KR and Shift_JIS.
type leadDecoder struct{ lead int }

func (d *leadDecoder) reset() { d.lead = 0 }

// start runs the steps every such handler begins with for end-of-queue
// (steps 1-2): done reports that they gave the result.
func (d *leadDecoder) start(b int) (st status, done bool) {
	if b != endOfQueue {
		return statusContinue, false
	}
	if d.lead != 0 {
		d.lead = 0
		return statusError, true
	}
	return statusFinished, true
}

// noLead runs the last steps of the Big5 and EUC-KR handlers, for a byte
// with no lead before it: an ASCII byte is its code point, a lead byte
// (isLead) is kept, anything else is an error.
func (d *leadDecoder) noLead(dst []byte, b int, isLead bool) ([]byte, status) {
	switch {
	case isASCII(b):
		return append(dst, byte(b)), statusContinue
	case isLead:
		d.lead = b
		return dst, statusContinue
	}
	return dst, statusError
}

// trailError ends a two-byte sequence whose pointer gave no code point: an
// ASCII byte is restored to the queue.
func trailError(dst []byte, b int, q *ioQueue) ([]byte, status) {
	if isASCII(b) {
		q.prepend(b)
	}
	return dst, statusError
}

// big5Decoder is the Big5 decoder
// (https://encoding.spec.whatwg.org/#big5-decoder).
type big5Decoder struct{ leadDecoder }

func (d *big5Decoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	if st, done := d.start(b); done {
		return dst, st
	}
	// Step 3.
	if lead := d.lead; lead != 0 {
		d.lead = 0
		pointer := -1
		if inRange(b, 0x40, 0x7E) || inRange(b, 0xA1, 0xFE) {
			pointer = (lead-0x81)*157 + b - offsetIf(b < 0x7F, 0x40, 0x62)
		}
		switch pointer {
		case 1133:
			return append(dst, "\u00CA\u0304"...), statusContinue
		case 1135:
			return append(dst, "\u00CA\u030C"...), statusContinue
		case 1164:
			return append(dst, "\u00EA\u0304"...), statusContinue
		case 1166:
			return append(dst, "\u00EA\u030C"...), statusContinue
		}
		if pointer >= 0 {
			if cp := big5Index()[pointer]; cp != 0 {
				return utf8.AppendRune(dst, cp), statusContinue
			}
		}
		return trailError(dst, b, q)
	}
	// Steps 4-6.
	return d.noLead(dst, b, inRange(b, 0x81, 0xFE))
}

// eucKRDecoder is the EUC-KR decoder
// (https://encoding.spec.whatwg.org/#euc-kr-decoder).
type eucKRDecoder struct{ leadDecoder }

func (d *eucKRDecoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	if st, done := d.start(b); done {
		return dst, st
	}
	// Step 3.
	if lead := d.lead; lead != 0 {
		d.lead = 0
		if inRange(b, 0x41, 0xFE) {
			if cp := eucKRIndex()[(lead-0x81)*190+b-0x41]; cp != 0 {
				return utf8.AppendRune(dst, cp), statusContinue
			}
		}
		return trailError(dst, b, q)
	}
	// Steps 4-6.
	return d.noLead(dst, b, inRange(b, 0x81, 0xFE))
}

// shiftJISDecoder is the Shift_JIS decoder
// (https://encoding.spec.whatwg.org/#shift_jis-decoder).
type shiftJISDecoder struct{ leadDecoder }

func (d *shiftJISDecoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	if st, done := d.start(b); done {
		return dst, st
	}
	// Step 3.
	if lead := d.lead; lead != 0 {
		d.lead = 0
		if inRange(b, 0x40, 0x7E) || inRange(b, 0x80, 0xFC) {
			pointer := (lead-offsetIf(lead < 0xA0, 0x81, 0xC1))*188 + b - offsetIf(b < 0x7F, 0x40, 0x41)
			// End-user-defined characters map to the Private Use Area.
			if pointer >= 8836 && pointer <= 10715 {
				return utf8.AppendRune(dst, rune(0xE000-8836+pointer)), statusContinue
			}
			if cp := jis0208Index()[pointer]; cp != 0 {
				return utf8.AppendRune(dst, cp), statusContinue
			}
		}
		return trailError(dst, b, q)
	}
	// Steps 4-7.
	switch {
	case isASCII(b) || b == 0x80:
		return utf8.AppendRune(dst, rune(b)), statusContinue
	case inRange(b, 0xA1, 0xDF):
		return utf8.AppendRune(dst, rune(0xFF61-0xA1+b)), statusContinue
	case inRange(b, 0x81, 0x9F) || inRange(b, 0xE0, 0xFC):
		d.lead = b
		return dst, statusContinue
	}
	return dst, statusError
}

// eucJPDecoder is the EUC-JP decoder
// (https://encoding.spec.whatwg.org/#euc-jp-decoder).
type eucJPDecoder struct {
	jis0212 bool
	lead    int
}

func (d *eucJPDecoder) reset() { *d = eucJPDecoder{} }

func (d *eucJPDecoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	// Steps 1-2.
	if b == endOfQueue {
		if d.lead != 0 {
			d.lead = 0
			return dst, statusError
		}
		return dst, statusFinished
	}
	// Step 3.
	if d.lead == 0x8E && inRange(b, 0xA1, 0xDF) {
		d.lead = 0
		return utf8.AppendRune(dst, rune(0xFF61-0xA1+b)), statusContinue
	}
	// Step 4.
	if d.lead == 0x8F && inRange(b, 0xA1, 0xFE) {
		d.jis0212, d.lead = true, b
		return dst, statusContinue
	}
	// Step 5.
	if lead := d.lead; lead != 0 {
		d.lead = 0
		var cp rune
		if inRange(lead, 0xA1, 0xFE) && inRange(b, 0xA1, 0xFE) {
			index := jis0208Index
			if d.jis0212 {
				index = jis0212Index
			}
			cp = index()[(lead-0xA1)*94+b-0xA1]
		}
		d.jis0212 = false
		if cp != 0 {
			return utf8.AppendRune(dst, cp), statusContinue
		}
		return trailError(dst, b, q)
	}
	// Steps 6-8.
	switch {
	case isASCII(b):
		return append(dst, byte(b)), statusContinue
	case b == 0x8E || b == 0x8F || inRange(b, 0xA1, 0xFE):
		d.lead = b
		return dst, statusContinue
	}
	return dst, statusError
}

// replacementDecoder is the replacement decoder
// (https://encoding.spec.whatwg.org/#replacement-decoder): a non-empty input
// is one error.
type replacementDecoder struct{ errorReturned bool }

func (d *replacementDecoder) reset() { d.errorReturned = false }

func (d *replacementDecoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	switch {
	case b == endOfQueue:
		return dst, statusFinished
	case !d.errorReturned:
		d.errorReturned = true
		return dst, statusError
	}
	return dst, statusFinished
}
