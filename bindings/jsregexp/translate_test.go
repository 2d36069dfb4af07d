package jsregexp

import (
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

// TestLongPatternsNotCached checks that the process-wide cache keeps no
// pattern longer than MaxCachedUnits: a script making distinct patterns of
// a megabyte, valid or not, would otherwise have the process hold gigabytes.
func TestLongPatternsNotCached(t *testing.T) {
	cache.Lock()
	before := len(cache.m)
	cache.Unlock()
	for _, p := range []string{strings.Repeat("a", MaxCachedUnits+1), strings.Repeat("(", MaxCachedUnits+1)} {
		Translate(utf16.Encode([]rune(p)), Flags{})
	}
	Translate(utf16.Encode([]rune("short|pattern")), Flags{})
	cache.Lock()
	defer cache.Unlock()
	if n := len(cache.m) - before; n != 1 {
		t.Errorf("the cache grew by %d entries, want 1 (the short pattern)", n)
	}
}
