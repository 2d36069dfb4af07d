package jsregexp

import (
	"testing"
	"unicode/utf16"

	"github.com/dlclark/regexp2/v2"
)

// FuzzTranslatePattern checks that the translator never panics, and that what
// it writes for a pattern it accepts is one regexp2 compiles.
func FuzzTranslatePattern(f *testing.F) {
	for _, s := range []string{
		`a|b`, `(?<a>x)|(?<a>y)\k<a>`, `[\p{L}--[a-z]]`, `[\q{abc|d}]`, `\p{Script=Greek}`, `(?i:a)(?-s:.)`,
		`(?:(a)|b)+\1`, `a{2,3}?`, `(?<=a)b(?!c)`, `[^\d\W]`, `\u{1F600}`, `\cJ\0\x41\u0041`, `[\b-]`, `^$.`,
	} {
		for _, flags := range []uint8{0, 1, 2, 3} {
			f.Add(s, flags)
		}
	}
	f.Fuzz(func(t *testing.T, pattern string, flags uint8) {
		var fl Flags
		fl.U = flags&1 != 0
		fl.V = flags&2 != 0 && !fl.U
		fl.I = flags&4 != 0
		fl.M = flags&8 != 0
		fl.S = flags&16 != 0
		units := utf16.Encode([]rune(pattern))
		tr, err := translate(patternChars(units, fl.Unicode()), fl)
		if err != nil {
			return
		}
		if _, err := regexp2.Compile(tr.Pattern, fl.Options()); err != nil {
			t.Errorf("/%s/ (flags %d) translates to %q, which regexp2 rejects: %v", pattern, flags, tr.Pattern, err)
		}
	})
}
