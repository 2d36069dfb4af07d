package jsregexp

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestCheck checks the early errors of literals: the message of each, or
// none.
func TestCheck(t *testing.T) {
	for _, c := range []struct{ pattern, flags, want string }{
		{`a|b`, "dgimsy", ""},
		{`\p{L}`, "u", ""},
		{`[\p{L}--[a-z]]`, "v", ""},
		{`(?<a>x)|(?<a>y)`, "", ""},
		{`(?i:a)`, "", ""},
		{`\p{L}`, "", ""}, // an identity escape without u or v
		{`a`, "uv", "Invalid regular expression flags"},
		{`a`, "gg", "Invalid regular expression flags"},
		{`a`, "x", "Invalid regular expression flags"},
		{`(`, "yig", "Invalid regular expression: /(/yig: Unterminated group"},
		{`\p{Foo}`, "u", "Invalid regular expression: /\\p{Foo}/u: Invalid property name"},
		{`(?<a>x)(?<a>y)`, "", "Invalid regular expression: /(?<a>x)(?<a>y)/: Duplicate capture group name"},
		{`\k<a>(?<b>.)`, "", "Invalid regular expression: /\\k<a>(?<b>.)/: Invalid named capture referenced"},
		{`a{2,1}`, "", "Invalid regular expression: /a{2,1}/: numbers out of order in {} quantifier"},
		{`x{1}{1,}`, "", "Invalid regular expression: /x{1}{1,}/: Nothing to repeat"},
		// The parser recurses per group and nested class: a bound keeps a
		// pattern from exhausting the goroutine's stack.
		{strings.Repeat("(?:", 1000) + strings.Repeat(")", 1000), "", ""},
		{strings.Repeat("[", 1000) + strings.Repeat("]", 1000), "v", ""},
		{strings.Repeat("(", 1001) + strings.Repeat(")", 1001), "", "Regular expression too large"},
		{strings.Repeat("[", 1001) + strings.Repeat("]", 1001), "v", "Regular expression too large"},
	} {
		err := Check(utf16.Encode([]rune(c.pattern)), c.flags)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want && !(strings.HasSuffix(c.want, "too large") && strings.HasSuffix(got, c.want)) {
			t.Errorf("/%s/%s: got %q, want %q", c.pattern, c.flags, got, c.want)
		}
	}
}

// TestTranslateShared checks that a pattern is translated once, and that
// the constructor's error names the flags in order.
func TestTranslateShared(t *testing.T) {
	p := utf16.Encode([]rune(`(?<n>\p{Lu})`))
	f, _ := ParseFlags("u")
	a, err := Translate(p, f)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := Translate(p, f); b != a {
		t.Error("translated twice")
	}
	f, _ = ParseFlags("yig")
	_, err = Translate(utf16.Encode([]rune("(")), f)
	if got, want := err.Error(), "Invalid regular expression: /(/giy: Unterminated group"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCacheBudget checks that a cache keeps the patterns of a literal of
// ten thousand units, which take a second to translate and compile each time
// their function runs, but neither a pattern past MaxCachedUnits nor more
// than its budget: a script making distinct patterns of a megabyte, valid or
// not, had the process hold gigabytes with a cache bounded by entries alone.
func TestCacheBudget(t *testing.T) {
	var c Cache[int]
	units := func(s string) []uint16 { return utf16.Encode([]rune(s)) }
	// put gets v for pattern p and flags f, made if not kept.
	put := func(p []uint16, f Flags, v int) int { return c.Get(p, f, func() (int, bool) { return v, true }) }
	// kept reports whether a value is kept for p and f.
	kept := func(p []uint16, f Flags) (v int, ok bool) {
		ok = true
		v = c.Get(p, f, func() (int, bool) { ok = false; return 0, false })
		return v, ok
	}
	long := units(strings.Repeat("a", MaxCachedUnits+1))
	put(long, Flags{}, 1)
	if _, ok := kept(long, Flags{}); ok {
		t.Error("a pattern longer than MaxCachedUnits was kept")
	}
	big := units(strings.Repeat("[\\u0100-\\u0200]|", 1000))
	put(big, Flags{}, 2)
	if v, ok := kept(big, Flags{}); !ok || v != 2 {
		t.Errorf("a pattern of %d units was not kept", len(big))
	}
	if _, ok := kept(big, Flags{U: true}); ok {
		t.Error("the entry of one flag set was found with another")
	}
	for i := range 10 * cacheUnits / MaxCachedUnits {
		p := units(fmt.Sprintf("%d%s", i, strings.Repeat("b", MaxCachedUnits-10)))
		put(p, Flags{}, i)
		if c.units > cacheUnits {
			t.Fatalf("after %d patterns the cache holds %d units, over its budget of %d", i+1, c.units, cacheUnits)
		}
	}
	n := len(c.m)
	for i := range 100000 {
		put(units(fmt.Sprint(i)), Flags{}, i)
	}
	if c.units > cacheUnits || len(c.m) > cacheUnits/entryUnits {
		t.Errorf("short patterns: %d entries, %d units (had %d entries)", len(c.m), c.units, n)
	}
}
