package jsregexp

import "strings"

// Flags are a regular expression's flags
// (https://tc39.es/ecma262/#sec-regexpinitialize): hasIndices, global,
// ignoreCase, multiline, dotAll, unicode, unicodeSets and sticky.
type Flags struct{ D, G, I, M, S, U, V, Y bool }

// ParseFlags reads F, false if it has a letter twice, one not a flag, or
// both u and v (https://tc39.es/ecma262/#sec-regexpinitialize steps 4-5;
// for a literal, https://tc39.es/ecma262/#sec-primary-expression-regular-expression-literals-static-semantics-early-errors).
func ParseFlags(s string) (Flags, bool) {
	var f Flags
	for _, c := range s {
		var p *bool
		switch c {
		case 'd':
			p = &f.D
		case 'g':
			p = &f.G
		case 'i':
			p = &f.I
		case 'm':
			p = &f.M
		case 's':
			p = &f.S
		case 'u':
			p = &f.U
		case 'v':
			p = &f.V
		case 'y':
			p = &f.Y
		default:
			return f, false
		}
		if *p {
			return f, false
		}
		*p = true
	}
	return f, !(f.U && f.V)
}

// Unicode reports whether the pattern is read in Unicode mode: code points,
// not code units (the u or the v flag).
func (f Flags) Unicode() bool { return f.U || f.V }

// String is the flags in the order of https://tc39.es/ecma262/#sec-get-regexp.prototype.flags.
func (f Flags) String() string {
	var b strings.Builder
	for _, x := range []struct {
		on bool
		c  byte
	}{{f.D, 'd'}, {f.G, 'g'}, {f.I, 'i'}, {f.M, 'm'}, {f.S, 's'}, {f.U, 'u'}, {f.V, 'v'}, {f.Y, 'y'}} {
		if x.on {
			b.WriteByte(x.c)
		}
	}
	return b.String()
}
