package builtins

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/jsregexp"
	"github.com/wsjs/wsjs/webidl"
)

// regexpMatcher is a pattern and flags compiled for regexp2.
type regexpMatcher struct {
	flags jsregexp.Flags
	t     *jsregexp.Translation
	re    *regexp2.Regexp // the pattern
	// sticky is the pattern anchored where the match starts (the y flag,
	// and Symbol.split's splitter), compiled on first use.
	sticky     *regexp2.Regexp
	stickyOnce sync.Once
}

// maxBacktrack bounds the backtracking stack of one match (in ints): past it
// the match throws a RangeError, as V8 does when its regexp stack overflows.
const maxBacktrack = 1 << 22

// matcherCache keeps the matchers compiled in the process.
var matcherCache jsregexp.Cache[*regexpMatcher]

// compileMatcher parses and compiles pattern (code units) with flags; the
// error is the SyntaxError's message.
func compileMatcher(pattern []uint16, f jsregexp.Flags) (*regexpMatcher, error) {
	var err error
	m := matcherCache.Get(pattern, f, func() (*regexpMatcher, bool) {
		var t *jsregexp.Translation
		if t, err = jsregexp.Translate(pattern, f); err != nil {
			return nil, false
		}
		re, cerr := regexp2.Compile(t.Pattern, f.Options(), regexp2.OptionMaxBacktrackingStackSize(maxBacktrack))
		if cerr != nil {
			err = errors.New("Invalid regular expression: " + cerr.Error())
			return nil, false
		}
		return &regexpMatcher{flags: f, t: t, re: re}, true
	})
	return m, err
}

func (m *regexpMatcher) stickyRegexp() *regexp2.Regexp {
	m.stickyOnce.Do(func() {
		m.sticky = regexp2.MustCompile(`\G(?:`+m.t.Pattern+`)`, m.flags.Options(), regexp2.OptionMaxBacktrackingStackSize(maxBacktrack))
	})
	return m.sticky
}

// stringUnits is the code units of s, stepping poll (which may be nil) at
// each.
func stringUnits(s goja.String, poll *poller) []uint16 {
	u := make([]uint16, s.Length())
	for i := range u {
		poll.Step()
		u[i] = s.CharAt(i)
	}
	return u
}

// matchInput is a string as regexp2 matches it: its characters (code points
// in Unicode mode, code units otherwise) and, where a surrogate pair made one
// character of two units, where each starts in the string (units; nil when
// the characters are the units, as they are outside Unicode mode).
type matchInput struct {
	s       goja.String
	id      stringID
	unicode bool
	chars   []rune
	units   []int32 // units[i] is where chars[i] starts; units[len(chars)] is the length
}

// stringID identifies a string's storage: goja strings are immutable, so a
// string held in the cache with the same storage has the same contents.
type stringID struct {
	p unsafe.Pointer
	n int
}

func idOf(s goja.String) (stringID, bool) {
	v := reflect.ValueOf(s)
	switch v.Kind() {
	case reflect.String:
		str := v.String()
		return stringID{unsafe.Pointer(unsafe.StringData(str)), len(str)}, true
	case reflect.Slice:
		return stringID{v.UnsafePointer(), v.Len()}, true
	case reflect.Pointer:
		// A string imported from Go: the pointer is the string (the cache
		// holds it, so it cannot be reused for another).
		return stringID{v.UnsafePointer(), -1}, true
	}
	return stringID{}, false
}

// newMatchInput converts s, stepping poll at each code unit: a string of
// 2^25 units took a second to convert, which no interrupt could stop.
// An ASCII string's bytes are its code units (webidl.ASCII); other strings
// are read unit by unit.
func newMatchInput(s goja.String, unicode bool, poll *poller) *matchInput {
	in := &matchInput{s: s, unicode: unicode}
	in.id, _ = idOf(s)
	n := s.Length()
	in.chars = make([]rune, 0, n)
	if ascii, ok := webidl.ASCII(s); ok {
		for i := 0; i < n; i++ {
			poll.Step()
			in.chars = append(in.chars, rune(ascii[i]))
		}
		return in
	}
	for i := 0; i < n; i++ {
		poll.Step()
		c := rune(s.CharAt(i))
		if unicode && c >= 0xD800 && c <= 0xDBFF && i+1 < n {
			if d := rune(s.CharAt(i + 1)); d >= 0xDC00 && d <= 0xDFFF {
				if in.units == nil {
					// The first pair: the characters before it are units.
					in.units = make([]int32, len(in.chars), n+1)
					for k := range in.units {
						in.units[k] = int32(k)
					}
				}
				in.units = append(in.units, int32(i))
				in.chars = append(in.chars, (c-0xD800)<<10+(d-0xDC00)+0x10000)
				i++
				continue
			}
		}
		if in.units != nil {
			in.units = append(in.units, int32(i))
		}
		in.chars = append(in.chars, c)
	}
	if in.units != nil {
		in.units = append(in.units, int32(n))
	}
	return in
}

// unit is where character i starts in the string; i may be the count of
// characters, and then it is the string's length.
func (in *matchInput) unit(i int) int {
	if in.units == nil {
		return i
	}
	return int(in.units[i])
}

// charIndex is the index of the character holding code unit u.
func (in *matchInput) charIndex(u int) int {
	if in.units == nil {
		return u
	}
	lo, hi := 0, len(in.units)-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if int(in.units[m]) <= u {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

// inputCache keeps the last long strings a realm matched, so that a global
// match or replace over a long string, or a tokenizer that execs sticky
// regexps along one, converts it once, not at each match: converting is
// linear in the string's length. Short strings are converted each time and
// never evict a long one (a tokenizer tests each character on its own
// between its matches on the whole text).
type inputCache struct {
	last [2]*matchInput
}

// cachedInputLength is the length from which a string's conversion is kept.
const cachedInputLength = 256

func (c *inputCache) get(s goja.String, unicode bool, poll *poller) *matchInput {
	if s.Length() < cachedInputLength {
		return newMatchInput(s, unicode, poll)
	}
	id, ok := idOf(s)
	for _, in := range c.last {
		if in != nil && in.unicode == unicode && (ok && in.id == id || !ok && in.s.SameAs(s)) {
			return in
		}
	}
	in := newMatchInput(s, unicode, poll)
	c.last[1], c.last[0] = c.last[0], in
	return in
}

// errRegexpStack is a match that outgrew maxBacktrack.
var errRegexpStack = errors.New("regexp backtracking stack exhausted")

// firstSlice is how long the first attempt at a match may take before the
// matcher looks for an interrupt.
const firstSlice = 20 * time.Millisecond

// run finds the first match at or after start (exactly at start if sticky).
// regexp2 can only stop a match by a timeout, and goja's interrupt is only
// seen between instructions, so a long match is run in attempts: each with a
// timeout (twice the last, and no later than ctx's deadline), after which
// interrupted is asked whether the script was stopped. It returns true if it
// was: the match is then abandoned. The doubling bounds the work repeated to
// as much again as the match takes.
func (m *regexpMatcher) run(in *matchInput, start int, sticky bool, ctx context.Context, interrupted func() bool) (*regexp2.Match, bool, error) {
	re := m.re
	if sticky {
		re = m.stickyRegexp()
	}
	slice := firstSlice
	for {
		timeout := slice
		if ctx != nil {
			if d, ok := ctx.Deadline(); ok {
				timeout = min(timeout, max(time.Until(d), time.Millisecond))
			}
		}
		attempt := *re // MatchTimeout is the copy's; the compiled program is shared
		attempt.MatchTimeout = timeout
		match, err := attempt.FindRunesMatchStartingAt(in.chars, start)
		switch {
		case err == nil:
			return match, false, nil
		case errors.Is(err, regexp2.ErrBacktrackingStackLimit):
			return nil, false, errRegexpStack
		}
		if interrupted() {
			return nil, true, nil
		}
		slice *= 2
	}
}
