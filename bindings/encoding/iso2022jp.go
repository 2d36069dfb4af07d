package encoding

import "unicode/utf8"

// iso2022JPState is a state of the ISO-2022-JP decoder.
type iso2022JPState int

const (
	isoASCII iso2022JPState = iota
	isoRoman
	isoKatakana
	isoLeadByte
	isoTrailByte
	isoEscapeStart
	isoEscape
)

// iso2022JPDecoder is the ISO-2022-JP decoder
// (https://encoding.spec.whatwg.org/#iso-2022-jp-decoder).
type iso2022JPDecoder struct {
	state, outputState iso2022JPState
	lead               int
	output             bool // ISO-2022-JP decoder output
}

func (d *iso2022JPDecoder) reset() { *d = iso2022JPDecoder{} }

func (d *iso2022JPDecoder) handle(dst []byte, b int, q *ioQueue) ([]byte, status) {
	switch d.state {
	case isoASCII, isoRoman, isoKatakana:
		return d.handleSingle(dst, b)
	case isoLeadByte:
		switch {
		case b == 0x1B:
			d.state = isoEscapeStart
			return dst, statusContinue
		case inRange(b, 0x21, 0x7E):
			d.output, d.lead, d.state = false, b, isoTrailByte
			return dst, statusContinue
		case b == endOfQueue:
			return dst, statusFinished
		}
		d.output = false
		return dst, statusError
	case isoTrailByte:
		switch {
		case b == 0x1B:
			d.state = isoEscapeStart
			return dst, statusError
		case inRange(b, 0x21, 0x7E):
			d.state = isoLeadByte
			return appendCodePoint(dst, jis0208Index()[(d.lead-0x21)*94+b-0x21])
		case b == endOfQueue:
			d.state = isoLeadByte
			q.prepend(b)
			return dst, statusError
		}
		d.state = isoLeadByte
		return dst, statusError
	case isoEscapeStart:
		if b == 0x24 || b == 0x28 {
			d.lead, d.state = b, isoEscape
			return dst, statusContinue
		}
		q.prepend(b)
		d.output, d.state = false, d.outputState
		return dst, statusError
	}
	return d.handleEscape(dst, b, q)
}

// handleSingle runs the steps of the ASCII, Roman and katakana states.
func (d *iso2022JPDecoder) handleSingle(dst []byte, b int) ([]byte, status) {
	switch {
	case b == 0x1B:
		d.state = isoEscapeStart
		return dst, statusContinue
	case b == endOfQueue:
		return dst, statusFinished
	}
	d.output = false
	switch d.state {
	case isoASCII:
		if isASCII(b) && b != 0x0E && b != 0x0F {
			return append(dst, byte(b)), statusContinue
		}
	case isoRoman:
		switch {
		case b == 0x5C:
			return append(dst, "\u00A5"...), statusContinue
		case b == 0x7E:
			return append(dst, "\u203E"...), statusContinue
		case isASCII(b) && b != 0x0E && b != 0x0F:
			return append(dst, byte(b)), statusContinue
		}
	case isoKatakana:
		if inRange(b, 0x21, 0x5F) {
			return utf8.AppendRune(dst, rune(0xFF61-0x21+b)), statusContinue
		}
	}
	return dst, statusError
}

// handleEscape runs the steps of the escape state.
func (d *iso2022JPDecoder) handleEscape(dst []byte, b int, q *ioQueue) ([]byte, status) {
	// Steps 1-2.
	lead := d.lead
	d.lead = 0
	state, ok := isoASCII, true
	switch {
	case lead == 0x28 && b == 0x42:
		state = isoASCII
	case lead == 0x28 && b == 0x4A:
		state = isoRoman
	case lead == 0x28 && b == 0x49:
		state = isoKatakana
	case lead == 0x24 && (b == 0x40 || b == 0x42):
		state = isoLeadByte
	default:
		ok = false
	}
	// Step 4.
	if ok {
		d.state, d.outputState = state, state
		output := d.output
		d.output = true
		if !output {
			return dst, statusContinue
		}
		return dst, statusError
	}
	// Step 5.
	q.prepend(lead, b)
	d.output, d.state = false, d.outputState
	return dst, statusError
}
