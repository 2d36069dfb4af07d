package builtins

import "testing"

// TestRegExpEscape checks RegExp.escape as script sees it.
func TestRegExpEscape(t *testing.T) {
	runCases(t, []scriptCase{
		{`RegExp.escape("1a.b*c")`, `\x31a\.b\*c`},
		{`RegExp.escape("_a-b, c\n")`, `_a\x2db\x2c\x20c\n`},
		{`RegExp.escape("\u2028\ufeff\ud800x\u00a0")`, `\u2028\ufeff\ud800x\xa0`},
		{`RegExp.escape("\ud83d\ude00/") === "\ud83d\ude00\\/"`, "true"},
		{`try { RegExp.escape(1) } catch (e) { e.name }`, "TypeError"},
		{`[RegExp.escape.length, RegExp.escape.name, Object.getOwnPropertyDescriptor(RegExp, "escape").enumerable].join()`, "1,escape,false"},
	})
}
