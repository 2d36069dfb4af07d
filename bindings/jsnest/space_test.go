package jsnest

import "testing"

// TestLastToken checks that LastToken skips what SkipSpace skips, read
// backwards.
func TestLastToken(t *testing.T) {
	for _, c := range []struct {
		code string
		want int // offset of the last token character before the end
	}{
		{"(x", 1},
		{"( \t\n", 0},
		{"( /* a */ ", 0},
		{"(/* a *//* b */", 0},
		{"(\u00a0\u2028\ufeff", 0},
		{"é ", 0},
		{"  ", -1},
		{"", -1},
		{"*/ ", -1},
		{"a // b\n", 5}, // a line comment is not skipped
	} {
		if got := LastToken(c.code, len(c.code)); got != c.want {
			t.Errorf("LastToken(%q) = %d, want %d", c.code, got, c.want)
		}
	}
}
