package builtins

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/bindings/jsregexp"
)

// regexpCases are scripts and what they give with this package's RegExp.
// gojaWrong marks those goja alone gets wrong (another value, an error or a
// Go panic): the test checks it still does, so each case shows what a
// workaround is for.
var regexpCases = []struct {
	name, src, want string
	gojaWrong       bool
}{
	// Property escapes.
	{"property escape", `new RegExp("\\p{L}", "u").test("a")`, "true", true},
	{"property escape is not p", `new RegExp("^\\p{L}$", "u").test("p{L}")`, "false", true},
	{"negated property escape", `new RegExp("\\P{ASCII}", "u").test("é")`, "true", true},
	{"script", `new RegExp("^\\p{Script=Greek}+$", "u").test("αβγ")`, "true", true},
	{"script extensions", `new RegExp("\\p{scx=Deva}", "u").test("\u0964")`, "true", true},
	{"binary property", `new RegExp("^\\p{Emoji_Presentation}$", "u").test("\u{1F600}")`, "true", true},
	{"astral class", `new RegExp("^[\\p{Lu}\\u{1D400}-\\u{1D419}]$", "u").test("\u{1D401}")`, "true", false},
	{"unknown property", `try { new RegExp("\\p{Foo}", "u") } catch (e) { e.name }`, "SyntaxError", true},
	{"property needs u", `new RegExp("\\p{L}").test("p{L}")`, "true", false},
	// The v flag.
	{"v subtraction", `new RegExp("[\\p{L}--[a-z]]", "v").test("a")`, "false", true},
	{"v intersection", `new RegExp("^[\\p{L}&&\\p{ASCII}]+$", "v").test("abc")`, "true", true},
	{"v strings", `new RegExp("[\\q{abc|d}x]", "v").exec("xabc")[0]`, "x", true},
	{"v longest string first", `new RegExp("^[\\q{a|abc}]", "v").exec("abc")[0]`, "abc", true},
	{"v property of strings", `new RegExp("^\\p{RGI_Emoji_Flag_Sequence}$", "v").test("\u{1F1EB}\u{1F1F7}")`, "true", true},
	{"v negated strings", `try { new RegExp("[^\\q{ab}]", "v") } catch (e) { e.name }`, "SyntaxError", false},
	{"v flags", `new RegExp("a", "v").flags + new RegExp("a", "v").unicodeSets`, "vtrue", true},
	{"u and v", `try { new RegExp("a", "uv") } catch (e) { e.name }`, "SyntaxError", false},
	{"v empty matches", `[..."\u{1F600}a".matchAll(new RegExp("", "gv"))].map(m => m.index).join()`, "0,2,3", true},
	// The d flag.
	{"indices", `JSON.stringify(new RegExp("a(b)?(c)", "d").exec("xac").indices)`, "[[1,3],null,[2,3]]", true},
	{"indices groups", `new RegExp("(?<x>b)", "d").exec("ab").indices.groups.x.join()`, "1,2", true},
	{"indices in code units", `new RegExp("b", "du").exec("\u{1F600}b").indices[0].join()`, "2,3", true},
	{"hasIndices", `new RegExp("a", "dg").flags`, "dg", true},
	// Named groups.
	{"duplicate names", `new RegExp("(?<a>x)|(?<a>y)").exec("y").groups.a`, "y", false},
	{"duplicate names, not at 0", `var r = new RegExp("(?<a>x)|(?<a>y)", "g"); r.lastIndex = 1; r.exec("yy").index`, "1", true},
	{"duplicate names backreference", `new RegExp("(?:(?<a>x)|(?<a>y))\\k<a>").test("yy")`, "true", true},
	{"duplicate names in one alternative", `try { new RegExp("(?<a>x)(?<a>y)") } catch (e) { e.name }`, "SyntaxError", true},
	// Captures are reset each repetition.
	{"reset captures", `String(/(z)((a+)?(b+)?(c))*/.exec("zaacbbbcac")[4])`, "undefined", false},
	{"reset captures, regexp2", `var r = /(?:(a)|b)+/g; r.lastIndex = 1; String(r.exec("xab")[1])`, "undefined", true},
	// A repetition past the least number that matches empty fails.
	{"empty repetition", `String("abc".match(/(?:(?=(abc)))?a/)) + "|" + String("abc".match(/(?:(?=(abc))){1,1}a/))`, "a,|a,abc", true},
	{"empty repetition of a lookahead", `String(/(?=(a))*a/.exec("a"))`, "a,", true},
	// Modifiers.
	{"modifiers", `new RegExp("(?i:a)b").test("Ab") && !new RegExp("(?i:a)b").test("AB")`, "true", true},
	{"modifier s", `new RegExp("(?s:.)").test("\n")`, "true", true},
	{"modifiers with nothing removed", `new RegExp("(?i-:a)b").test("Ab") + "," + new RegExp("(?s-:.)").test("\n")`, "true,true", true},
	// \b and \B: word characters are ASCII, and with u and i two more.
	{"word boundary", `/a\b/u.test("a\u00e9") + "," + /\b\u00e9/u.test(" \u00e9") + "," + /\B/u.test("ab")`, "true,false,true", false},
	{"word boundary with u and i", `new RegExp("\\b", "ui").test("\u017f") + "," + new RegExp("(?-i:\\b)", "ui").test("\u017f") + "," + /\b/i.test("\u017f")`, "true,false,false", true},
	// dotAll.
	{"dotAll", `/^.$/s.test("\u2028")`, "true", false},
	{"dotAll astral", `new RegExp("^.$", "su").test("\u{1F600}")`, "true", false},
	// Annex B identity escapes goja reads as regexp2's.
	{"identity escape Z", `/\Z/.test("Z")`, "true", false},
	{"identity escape z", `/\z/.test("z")`, "true", false},
	// The constructor.
	{"source", `new RegExp("/\n").source`, `\/\n`, true},
	{"subclass", `class R extends RegExp {}; var r = new R("a", "g"); (r instanceof R) + "," + r.global`, "true,true", false},
	{"RegExp(re) is re", `var re = /a/; RegExp(re) === re`, "true", false},
	{"prototype identity", `Object.getPrototypeOf(/a/) === RegExp.prototype && RegExp.prototype.constructor === RegExp`, "true", false},
	{"flags order", `new RegExp("a", "ysvmigd").flags`, "dgimsvy", true},
	{"split limit", `/./[Symbol.split]("abc", -23).length`, "4", false},
	{"literal adopted", `/a(b)/.exec("ab")[1]`, "b", false},
	// RegExpExec falls back to RegExpBuiltinExec when exec is not callable
	// (https://tc39.es/ecma262/#sec-regexpexec): goja's methods call a missing
	// exec (a Go panic), throw a TypeError, or match for ever.
	{"replace without exec", `RegExp.prototype.exec = undefined; "abcb".replace(/(?<x>b)/g, "[$<x>$1$&$\x60$'$$]")`, "a[bbbacb$]c[bbbabc$]", true},
	{"replace without exec, null", `RegExp.prototype.exec = null; "abc".replace(/b/, "x")`, "axc", true},
	{"match without exec", `RegExp.prototype.exec = 5; "aXa".match(/a/g).join() + "," + "aXa".match(/x/i).index`, "a,a,1", true},
	{"search without exec", `RegExp.prototype.exec = Symbol(); "abc".search(/c/)`, "2", true},
	{"matchAll without exec", `RegExp.prototype.exec = true; [..."a*b".matchAll(/\w/g)].map(m => m[0] + m.index).join()`, "a0,b2", false},
	{"replaceAll without exec", `delete RegExp.prototype.exec; "aa".replaceAll(/a/g, (m, p) => p)`, "01", true},
	// The same methods with an exec of the script's own take its results.
	{"custom exec", `class R extends RegExp { exec(s) { const m = super.exec(s); if (m) m[0] = "<" + m[0] + ">"; return m } }; "ab".replace(new R("a"), "$&") + [..."ab".matchAll(new R(".", "g"))].join()`, "<a><a>,<b>", false},
	// The spec's steps use none of what a script can replace.
	{"steps ignore replaced built-ins", `const ex = RegExp.prototype.exec; const mk = (p, f) => Object.defineProperty(new RegExp(p, f), "exec", { get: () => ex }); Object.getPrototypeOf([][Symbol.iterator]()).next = null; Array.prototype[Symbol.iterator] = null; String.prototype.includes = () => { throw 1 }; Array.prototype.push = null; String.prototype.substring = null; Math.max = null; "a-b".replace(mk("(-)", "g"), (m, c, p) => "[" + c + p + "]") + "a".match(mk("a", "g")).length + "ab".search(mk("b"))`, "a[-1]b11", false},
	{"replace with null groups", `const r = /a/; r.exec = () => ({ 0: "a", length: 1, index: 0, groups: null }); try { "a".replace(r, "x") } catch (e) { e.name }`, "TypeError", false},
}

// runRegExpCase runs src in a runtime with or without the RegExp here, and
// returns what it gives: its value, the error, or the Go panic.
func runRegExpCase(src string, withRegExp bool) (out string) {
	defer func() {
		if x := recover(); x != nil {
			out = fmt.Sprintf("Go panic: %v", x)
		}
	}()
	vm, err := newRegExpVM(withRegExp)
	if err != nil {
		return err.Error()
	}
	v, err := vm.RunString(src)
	if err != nil {
		return "error: " + err.Error()
	}
	return v.String()
}

func TestRegExp(t *testing.T) {
	for _, c := range regexpCases {
		t.Run(c.name, func(t *testing.T) {
			if got := runRegExpCase(c.src, true); got != c.want {
				t.Errorf("%s = %q, want %q", c.src, got, c.want)
			}
			if got := runRegExpCase(c.src, false); (got != c.want) != c.gojaWrong {
				t.Errorf("goja alone gives %q (want %q): gojaWrong should be %v", got, c.want, !c.gojaWrong)
			}
		})
	}
}

// TestRegExpInterrupt checks that an interrupt stops a match that backtracks
// for ever, and that script cannot catch it: goja alone sees no interrupt
// until the match ends.
func TestRegExpInterrupt(t *testing.T) {
	for _, src := range []string{
		`try { /^(a+)+$/.test("a".repeat(64) + "b") } catch (e) {}`,
		`try { "ab".replace(/b/, () => new RegExp("(?=(a|aa)+\\1$)").exec("a".repeat(64) + "b")) } finally { throw 1 }`,
	} {
		vm, err := newRegExpVM(true)
		if err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(100*time.Millisecond, func() { vm.Interrupt("stop") })
		start := time.Now()
		_, err = vm.RunString(src)
		timer.Stop()
		var ie *goja.InterruptedError
		if !errors.As(err, &ie) || ie.Value() != "stop" {
			t.Errorf("%s: got %v, want the interrupt", src, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: interrupted after %v", src, d)
		}
	}
}

// TestRegExpNoPanic checks that patterns that make goja panic, or that the
// translator might choke on, give a SyntaxError or a result, never a Go
// panic.
func TestRegExpNoPanic(t *testing.T) {
	patterns := []string{
		`(?<a>x)|(?<a>y)`, `(?<a>x)(?<a>y)`, `\k<a>`, `(?<a>`, `[`, `[\q{`, `\p{`, `\p{L`, `(?`, `(?i`, `(?-:a)`,
		`(?ii:a)`, `a{2,1}`, `a{99999999999}`, `[z-a]`, `\u{110000}`, `(?<=a)*`, `[a&&&b]`, `[a--]`, `[[a]`, `\`,
		`\c`, `(?<𝒜>a)`, `(?<\u{1d49c}>a)\k<\u{1d49c}>`, `[\p{RGI_Emoji}--\q{x}]`,
	}
	for _, p := range patterns {
		for _, flags := range []string{"", "u", "v", "gidmsy"} {
			src := fmt.Sprintf(`try { var r = new RegExp(%q, %q); r.lastIndex = 1; String(r.exec("xayab")) } catch (e) { e.name }`, p, flags)
			if got := runRegExpCase(src, true); strings.HasPrefix(got, "Go panic") || strings.HasPrefix(got, "error") {
				t.Errorf("/%s/%s: %s", p, flags, got)
			}
		}
	}
}

// TestInputCacheKeepsLongStrings checks that converting a long string for
// regexp2 happens once while short strings are matched in between, as a
// tokenizer does (testing each character, then exec'ing a sticky regexp on
// the whole text): evicting the text made WebIDL parsing quadratic.
func TestInputCacheKeepsLongStrings(t *testing.T) {
	vm := goja.New()
	long := vm.ToValue(strings.Repeat("interface X {};\n", 100)).(goja.String)
	imported := vm.ToValue(strings.Repeat("é interface;\n", 100)).(goja.String)
	for _, s := range []goja.String{long, imported} {
		var c inputCache
		first := c.get(s, false, nil)
		for i := range 5 {
			c.get(vm.ToValue(string(rune('a'+i))).(goja.String), false, nil)
			c.get(vm.ToValue("\n").(goja.String), true, nil)
			if got := c.get(s, false, nil); got != first {
				t.Fatalf("%T: converted again after short strings", s)
			}
		}
	}
}

// TestMatchInput checks the characters and code unit offsets regexp2 is
// given, for ASCII strings (read as bytes), strings with pairs and lone
// surrogates, in and out of Unicode mode.
func TestMatchInput(t *testing.T) {
	vm := goja.New()
	for _, c := range []struct {
		src     string // a JS string literal
		unicode bool
		chars   []rune
		units   []int // unit(i) for each character and the end
	}{
		{`"abc"`, true, []rune("abc"), []int{0, 1, 2, 3}},
		{`"aé\u0100"`, false, []rune("aé\u0100"), []int{0, 1, 2, 3}},
		{`"a\uD83D\uDE00b"`, false, []rune{'a', 0xD83D, 0xDE00, 'b'}, []int{0, 1, 2, 3, 4}},
		{`"a\uD83D\uDE00b"`, true, []rune{'a', 0x1F600, 'b'}, []int{0, 1, 3, 4}},
		{`"\uD83D\uDE00\uD800x\uDC00\uD83D\uDE00"`, true, []rune{0x1F600, 0xD800, 'x', 0xDC00, 0x1F600}, []int{0, 2, 3, 4, 5, 7}},
		{`"\uD800"`, true, []rune{0xD800}, []int{0, 1}},
	} {
		v, err := vm.RunString(c.src)
		if err != nil {
			t.Fatal(err)
		}
		in := newMatchInput(v.(goja.String), c.unicode, nil)
		var units []int
		for i := range len(in.chars) + 1 {
			units = append(units, in.unit(i))
		}
		if !slices.Equal(in.chars, c.chars) || !slices.Equal(units, c.units) {
			t.Errorf("%s (unicode %v): chars %U units %v, want %U %v", c.src, c.unicode, in.chars, units, c.chars, c.units)
		}
		for i, u := range c.units[:len(c.units)-1] {
			if got := in.charIndex(u); got != i {
				t.Errorf("%s (unicode %v): charIndex(%d) = %d, want %d", c.src, c.unicode, u, got, i)
			}
		}
	}
}

// TestMatchInputInterruptible checks that converting a long string for
// regexp2, a second for 2^25 code units, sees the runtime's interrupt.
func TestMatchInputInterruptible(t *testing.T) {
	for _, src := range []string{`"ab".repeat(2**24)`, `"é".repeat(2**25)`} {
		t.Run(src, func(t *testing.T) {
			vm := newVM(t, Options{Interruptible: true})
			long, err := vm.RunString(src)
			if err != nil {
				t.Fatal(err)
			}
			jstest.InterruptInside(t, vm, "/./g.exec(input)", long, 100*time.Millisecond)
		})
	}
}

// TestLiteralOfTenThousandUnitsCompiledOnce checks that a long pattern a
// function's literal makes anew each call (test262's harness spells out
// \p{ID_Continue} in 11,000 units) is compiled once per process: compiled each
// time, checking the source text of the built-ins took 10 s instead of 1.
func TestLiteralOfTenThousandUnitsCompiledOnce(t *testing.T) {
	var b strings.Builder
	for c := 0x100; b.Len() < 10000; c += 3 {
		fmt.Fprintf(&b, "\\u%04X-\\u%04X", c, c+1)
	}
	p := utf16.Encode([]rune("[" + b.String() + "]"))
	m1, err := compileMatcher(p, jsregexp.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := compileMatcher(p, jsregexp.Flags{})
	if m1 != m2 {
		t.Errorf("a pattern of %d units was compiled twice", len(p))
	}
}
