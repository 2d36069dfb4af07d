package builtins

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/dop251/goja"
)

// stringLoopCases split and replace in strings long enough for
// stringloops.go, and print a digest of each result.
const stringLoopCases = `
	const out = [];
	const digest = (s) => { let x = 0; for (let i = 0; i < s.length; i += 61) x = (x * 31 + s.charCodeAt(i)) | 0; return [s.length, x, s.slice(0, 9), s.slice(-9)].join(":"); };
	for (const b of ["ab", "é", "\ud83d\ude00", "a\ud800b"]) {
		const S = b.repeat((1 << 18) / b.length + 3) + "tail$";
		for (const sep of ["", "a", "é", "\ude00", S.slice(0, 5), 7, null]) {
			for (const lim of [undefined, 3, 2 ** 32 + 2, "2"]) {
				out.push(digest(S.split(sep, lim).join("|")));
			}
		}
		for (const [sv, rv] of [["a", "$&$&"], ["", "-"], ["tail", "$\x60"], ["tail", "$'"], ["b", "[$$&]"], ["é", "$&$"],
				["\ude00", "$$"], ["ab", "$1$<x>$"], ["nope", "z"], [7, 8], ["$", "$$$"], [undefined, null]]) {
			out.push(digest(S.replaceAll(sv, rv)));
		}
	}
	out.join()`

// stringLoopsDigest is the SHA-256 of what stringLoopCases gives in Node 20
// (goja's own replaceAll never ends on some of them).
const stringLoopsDigest = "42cb1f4380854a7d5c8b2424a69e80827b116871c1e9602dba077baba3bb8610"

// TestStringLoops checks that split and replaceAll of long strings give
// what Node gives, for separators, limits and replacement patterns of every
// kind; and replaceAll of short strings too, where goja's looped for ever.
func TestStringLoops(t *testing.T) {
	vm := newVM(t, Options{Interruptible: true})
	got, err := vm.RunString(stringLoopCases)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(got.String())); hex.EncodeToString(sum[:]) != stringLoopsDigest {
		t.Errorf("the results differ from Node's: %.300s...", got)
	}
	for _, c := range []struct{ src, want string }{
		{`"é".replaceAll("", "-")`, "-é-"},
		{`new String("é").replaceAll("", "-")`, "-é-"},
		{`"é".replaceAll("", () => "-")`, "-é-"},
		{`"abc".replaceAll("b", (m, p, s) => [m, p, s].join())`, "ab,1,abcc"},
		{`"abc".replaceAll("", "$&|$$")`, "|$a|$b|$c|$"},
		{`"aXbX".replaceAll("X", {toString() { return "$\x60" }})`, "aabaXb"},
		{`"a.b.c".replaceAll(".", "$'")`, "ab.cbcc"},
		{`try { "x".replaceAll(Symbol(), "") } catch (e) { e.name }`, "TypeError"},
		{`try { String.prototype.replaceAll.call(null, "a", "b") } catch (e) { e.name }`, "TypeError"},
		{`"aaa".replaceAll(/a/g, "b")`, "bbb"},
		{`"aaa".replaceAll({[Symbol.replace]: (s, r) => s + r}, "!")`, "aaa!"},
		// String.raw.
		{"String.raw`a${1}b${2}c`", "a1b2c"},
		{`String.raw({ raw: ["x", "y", "z"] }, 1)`, "x1yz"},
		{`String.raw({ raw: { length: 3, 0: "a", 2: "c" } }, 1, 2, 3)`, "a1undefined2c"},
		{`String.raw({ raw: { length: -1 } }) + String.raw({ raw: "abc" }, "-", "+")`, "a-b+c"},
		{`try { String.raw({ raw: null }) } catch (e) { e.name }`, "TypeError"},
		{`try { String.raw({ raw: [Symbol()] }) } catch (e) { e.name }`, "TypeError"},
		{`[String.raw.name, String.raw.length].join()`, "raw,1"},
	} {
		v, err := vm.RunString(c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
		} else if v.String() != c.want {
			t.Errorf("%s: got %q, want %q", c.src, v, c.want)
		}
	}
}

// TestStringRawBound checks that String.raw throws the RangeError of a string
// past Options.StringLength as it builds one: goja's appended "undefined"
// until the machine's memory ran out.
func TestStringRawBound(t *testing.T) {
	vm := newVM(t, Options{Interruptible: true, StringLength: 1 << 20})
	src := `try { String.raw({ raw: { length: 2 ** 53 - 1 } }) } catch (e) { e.name + ": " + e.message }`
	if v, err := vm.RunString(src); err != nil || v.String() != "RangeError: "+invalidLength {
		t.Errorf("%s: got %v, %v", src, v, err)
	}
}

// TestStringLoopsInterrupt checks that an interrupt stops split, replaceAll
// and the regexp methods of goja that loop over matches of a long string:
// goja alone saw none until they ended, 28 s past a deadline for
// "x".repeat(2**27).split("").
func TestStringLoopsInterrupt(t *testing.T) {
	expectInterrupt(t, Options{Interruptible: true},
		`"x".repeat(2 ** 26).split("")`,
		`"ab".repeat(2 ** 24).split("b")`,
		`"é".repeat(2 ** 25).split("")`,
		`"x".repeat(2 ** 25).replaceAll("x", "yyyyyyyy")`,
		`"é".repeat(2 ** 24).replaceAll("é", "$&$&")`,
		`"x".repeat(2 ** 24).replace(/x/g, "yy")`,
		`"x".repeat(2 ** 25).match(/x/g)`,
		`String.raw({ raw: { length: 2 ** 53 - 1, 0: "" } })`,
	)
}

// TestNormalizeLong checks that normalize of long strings, done here in
// pieces, gives what goja's gives for the whole, in each form, across
// boundaries of every kind: composed and decomposed letters, Hangul, runs of
// combining marks longer than the pieces (3,000 marks over three pieces),
// and lone surrogates.
func TestNormalizeLong(t *testing.T) {
	vm := sameAsGoja(t, "normalize", `["e\u0301", "é", "\u1100\u1161\u11a8", "각", "ﬁ", "a" + "\u0301\u0323".repeat(40), "\ud800x", "Å", "x",
			"\u{1D15E}\u{1D165}", "\u0f73\u0f75", "\u{1F600}", "\u1161", "\u0301", "\u2126", "\u{2F800}", "o" + "\u0323\u0301".repeat(1500)]`,
		`["NFC", "NFD", "NFKC", "NFKD", undefined].map((f) => s.normalize(f)).join("|")`)
	if v, err := vm.RunString(`try { "x".repeat(1 << 18).normalize("nfc") } catch (e) { e.name }`); err != nil || v.String() != "RangeError" {
		t.Errorf("an unknown form: %v %v", v, err)
	}
}

// sameAsGoja builds s, a long string of the parts (a script array literal),
// and checks that result (a script expression of s) is what plain goja
// gives; it returns the runtime with the built-ins.
func sameAsGoja(t *testing.T, name, parts, result string) *goja.Runtime {
	t.Helper()
	vm, plain := newVM(t, Options{Interruptible: true}), goja.New()
	src := `const parts = ` + parts + `;
		const a = []; for (let i = 0, n = 0; n < (1 << 18) + 5000; i++) { const p = parts[(i * 7) % parts.length].repeat(1 + i % 5); a.push(p); n += p.length }
		const s = a.join("");
		` + result
	got, err := vm.RunString(src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := plain.RunString(src)
	if err != nil {
		t.Fatal(err)
	}
	if !got.SameAs(want) {
		t.Errorf("%s of a long string differs from goja's", name)
	}
	return vm
}

// TestNormalizeInterrupt checks that an interrupt stops normalize and
// toUpperCase of a long string: goja's map it whole, 10 s and 5 s for 2^25
// code units.
func TestNormalizeInterrupt(t *testing.T) {
	expectInterruptAfter(t, Options{Interruptible: true}, `const s = "é".repeat(2 ** 25)`,
		`s.normalize("NFD")`, `s.normalize()`, `s.toUpperCase()`)
}

// TestUpperCaseLong checks that toUpperCase of long strings, done here in
// pieces, gives what goja's gives for the whole: special casings that grow
// the string, Greek with combining marks, astral letters, lone surrogates.
func TestUpperCaseLong(t *testing.T) {
	sameAsGoja(t, "toUpperCase", `["ß", "ŉ", "ǰ", "ΐ", "ﬀ", "ᾳ", "α\u0345", "i\u0307", "ı", "ﬓ", "\u{10428}", "\udc00a", "é", "e\u0301", "abc", " "]`,
		`s.toUpperCase()`)
}
