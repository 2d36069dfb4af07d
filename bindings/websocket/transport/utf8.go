package transport

import "encoding/binary"

// utf8Validator checks UTF-8 (RFC 3629) incrementally, so that text split
// across frames, or across reads of one frame, is checked as it arrives and
// an invalid sequence is found as soon as its first wrong byte is seen.
// Whole messages and close reasons are checked with utf8.Valid.
type utf8Validator struct {
	need   uint8 // continuation bytes still expected
	lo, hi byte  // allowed range of the next continuation byte
}

// write checks p as the continuation of what was written before. It reports
// false at the first byte that cannot be part of well-formed UTF-8.
func (v *utf8Validator) write(p []byte) bool {
	i := 0
	for i < len(p) {
		if v.need == 0 {
			// ASCII fast path, eight bytes at a time.
			for i+8 <= len(p) && binary.LittleEndian.Uint64(p[i:])&0x8080808080808080 == 0 {
				i += 8
			}
			if i >= len(p) {
				break
			}
			b := p[i]
			i++
			if b < 0x80 {
				continue
			}
			switch {
			case b >= 0xC2 && b <= 0xDF:
				v.need, v.lo, v.hi = 1, 0x80, 0xBF
			case b == 0xE0:
				v.need, v.lo, v.hi = 2, 0xA0, 0xBF
			case b == 0xED:
				v.need, v.lo, v.hi = 2, 0x80, 0x9F // no surrogates
			case b >= 0xE1 && b <= 0xEF:
				v.need, v.lo, v.hi = 2, 0x80, 0xBF
			case b == 0xF0:
				v.need, v.lo, v.hi = 3, 0x90, 0xBF
			case b >= 0xF1 && b <= 0xF3:
				v.need, v.lo, v.hi = 3, 0x80, 0xBF
			case b == 0xF4:
				v.need, v.lo, v.hi = 3, 0x80, 0x8F // up to U+10FFFF
			default:
				return false
			}
			continue
		}
		b := p[i]
		i++
		if b < v.lo || b > v.hi {
			return false
		}
		v.need--
		v.lo, v.hi = 0x80, 0xBF
	}
	return true
}

// complete reports whether everything written so far ends on a character
// boundary.
func (v *utf8Validator) complete() bool { return v.need == 0 }

func (v *utf8Validator) reset() { *v = utf8Validator{} }
