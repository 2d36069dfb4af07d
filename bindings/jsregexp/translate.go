package jsregexp

import (
	"errors"
	"unicode/utf16"

	"github.com/dlclark/regexp2/v2"
)

// Translation is a pattern translated for regexp2.
type Translation struct {
	// Pattern is the regexp2 pattern, to be compiled with the flags'
	// Options and matched against code points in Unicode mode (Flags.Unicode),
	// against code units otherwise.
	Pattern  string
	Captures int      // capturing groups
	Names    []string // Names[i] is group i+1's name, or ""
	HasNames bool     // the pattern has a GroupName
	// number[i] is the regexp2 group of group i+1; marks[i] are the regexp2
	// groups of its marks (see markIterations).
	number []int
	marks  [][]int
}

// A SyntaxError is an early error of a pattern
// (https://tc39.es/ecma262/#sec-patterns-static-semantics-early-errors).
type SyntaxError struct {
	Pattern string // the pattern, as the message shows it
	Flags   string
	Msg     string // what is wrong, such as "Unterminated group"
}

// Error is the message V8 gives the SyntaxError.
func (e *SyntaxError) Error() string {
	return "Invalid regular expression: /" + e.Pattern + "/" + e.Flags + ": " + e.Msg
}

// errLiteralFlags is the early error of a literal's flags.
var errLiteralFlags = errors.New("Invalid regular expression flags")

// Check reports the early errors of the regular expression literal
// /pattern/flags, pattern in code units
// (https://tc39.es/ecma262/#sec-primary-expression-regular-expression-literals-static-semantics-early-errors):
// nil, or the error whose text is the SyntaxError's message. It is the
// RegExp constructor's parse, and what it translates is kept for the
// constructor.
func Check(pattern []uint16, flags string) error {
	f, ok := ParseFlags(flags)
	if !ok {
		return errLiteralFlags
	}
	_, err := Translate(pattern, f)
	var se *SyntaxError
	if errors.As(err, &se) {
		c := *se
		c.Flags = flags // as written
		return &c
	}
	return err
}

// cache keeps the translations (and the early errors) of the process.
var cache Cache[cached]

type cached struct {
	t   *Translation
	err error
}

// Translate parses pattern (code units) with the flags f and translates it
// (see translate); the error of a pattern with an early error is a
// *SyntaxError. A Translation is shared: it must not be changed.
func Translate(pattern []uint16, f Flags) (*Translation, error) {
	c := cache.Get(pattern, f, func() (c cached, keep bool) {
		c.t, c.err = translateUnits(pattern, f)
		return c, true
	})
	return c.t, c.err
}

// translateUnits is Translate without the cache.
func translateUnits(pattern []uint16, f Flags) (*Translation, error) {
	t, err := translate(patternChars(pattern, f.Unicode()), f)
	if err != nil {
		err.Pattern, err.Flags = string(utf16.Decode(pattern)), f.String()
		return nil, err
	}
	return t, nil
}

// patternChars is the pattern's characters: code points in Unicode mode,
// code units otherwise (https://tc39.es/ecma262/#sec-parsepattern).
func patternChars(u []uint16, unicode bool) []rune {
	rs := make([]rune, 0, len(u))
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if unicode && c >= 0xD800 && c <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
			c = (c-0xD800)<<10 + rune(u[i+1]-0xDC00) + 0x10000
			i++
		}
		rs = append(rs, c)
	}
	return rs
}

// Options are the regexp2 options a translation with the flags f is
// compiled with.
func (f Flags) Options() regexp2.CompileOption {
	opts := regexp2.ECMAScript
	if f.I {
		opts |= regexp2.IgnoreCase
	}
	return opts
}

// Group returns the capture of group i (from 1) in match, or nil if it has
// none: it did not participate, or only in a repetition before the last one
// (see markIterations).
func (t *Translation) Group(match *regexp2.Match, i int) *regexp2.Group {
	g := match.GroupByNumber(t.number[i-1])
	if g == nil || len(g.Captures) == 0 {
		return nil
	}
	for _, mk := range t.marks[i-1] {
		m := match.GroupByNumber(mk)
		if m == nil || len(m.Captures) == 0 || g.RuneIndex < m.RuneIndex {
			return nil
		}
	}
	return g
}
