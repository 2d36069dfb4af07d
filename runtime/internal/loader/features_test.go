package loader

import (
	"slices"
	"testing"

	"github.com/dop251/goja"
)

// featureProbes are, for each syntax feature esbuild can lower (its names), a script
// that evaluates to true in an engine that has the feature.
var featureProbes = map[string]string{
	"arrow":                           `(() => 1)() === 1`,
	"array-spread":                    `[...[1, 2]].length === 2`,
	"async-await":                     `typeof (async function () { await 1 }) === "function"`,
	"async-generator":                 `typeof (async function* () { yield 1 }) === "function"`,
	"bigint":                          `1n + 2n === 3n`,
	"class":                           `class A { m() { return 1 } }; new A().m() === 1`,
	"class-field":                     `class A { x = 1 }; new A().x === 1`,
	"class-private-accessor":          `class A { get #m() { return 1 } g() { return this.#m } }; new A().g() === 1`,
	"class-private-brand-check":       `class A { #x; static h(o) { return #x in o } }; A.h(new A())`,
	"class-private-field":             `class A { #x = 1; g() { return this.#x } }; new A().g() === 1`,
	"class-private-method":            `class A { #m() { return 1 } g() { return this.#m() } }; new A().g() === 1`,
	"class-private-static-accessor":   `class A { static get #m() { return 1 } static g() { return A.#m } }; A.g() === 1`,
	"class-private-static-field":      `class A { static #x = 1; static g() { return A.#x } }; A.g() === 1`,
	"class-private-static-method":     `class A { static #m() { return 1 } static g() { return A.#m() } }; A.g() === 1`,
	"class-static-blocks":             `var r; class A { static { r = 1 } }; r === 1`,
	"class-static-field":              `class A { static x = 1 }; A.x === 1`,
	"const-and-let":                   `let a = 1; const b = 2; a + b === 3`,
	"decorators":                      `function d(v) { return v }; class A { @d m() {} }; true`,
	"default-argument":                `(function (a = 1) { return a })() === 1`,
	"destructuring":                   `var [a, { b }] = [1, { b: 2 }]; a + b === 3`,
	"dynamic-import":                  `typeof import("./x") === "object"`,
	"exponent-operator":               `2 ** 10 === 1024`,
	"for-await":                       `(async function () { for await (const x of []) {} }); true`,
	"for-of":                          `var s = 0; for (const x of [1, 2]) s += x; s === 3`,
	"function-name-configurable":      `Object.getOwnPropertyDescriptor(function f() {}, "name").configurable`,
	"generator":                       `function* g() { yield 1 }; g().next().value === 1`,
	"hashbang":                        "#!/usr/bin/env wsjs\ntrue",
	"import-meta":                     `typeof import.meta === "object"`,
	"logical-assignment":              `var a = null; a ??= 1; a ||= 2; a &&= 3; a === 3`,
	"nested-rest-binding":             `var [...[a]] = [1]; a === 1`,
	"new-target":                      `function F() { this.ok = new.target === F }; new F().ok`,
	"nullish-coalescing":              `(null ?? 1) === 1`,
	"object-accessors":                `({ get a() { return 1 } }).a === 1`,
	"object-extensions":               `var k = "x"; ({ [k]: 1, m() {} }).x === 1`,
	"object-rest-spread":              `var { a, ...r } = { a: 1, b: 2 }; ({ ...r }).b === 2`,
	"optional-catch-binding":          `try { throw 1 } catch { }; true`,
	"optional-chain":                  `var o = null; o?.x?.y === undefined`,
	"regexp-dot-all-flag":             `/a.b/s.test("a\nb")`,
	"regexp-lookbehind-assertions":    `/(?<=a)b/.test("ab")`,
	"regexp-match-indices":            `/a/d.exec("a").indices[0][0] === 0`,
	"regexp-named-capture-groups":     `/(?<y>\d+)/.exec("12").groups.y === "12"`,
	"regexp-set-notation":             `/[\p{L}--[a-z]]/v.test("A")`,
	"regexp-sticky-and-unicode-flags": `/a/y.sticky && /\u{1F600}/u.test("\u{1F600}")`,
	"regexp-unicode-property-escapes": `/\p{Lu}/u.test("A")`,
	"rest-argument":                   `(function (...a) { return a.length })(1, 2) === 2`,
	"template-literal":                "`a${1}` === \"a1\"",
	"unicode-escapes":                 `"\u{61}" === "a" && "\u{10FFFF}".length === 2 && "\u{1F600}x".length === 3`,
	"using":                           `{ using x = null; } true`,
}

// probe reports whether src runs in a fresh goja and yields true. A panic of goja's
// parser (as for some code-point escapes) counts as lacking the feature.
func probe(src string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v, err := goja.New().RunString(src)
	return err == nil && v.ToBoolean()
}

// TestGojaFeatures probes goja for every feature and checks that gojaUnsupported, the
// list of features esbuild lowers, is exactly the set goja lacks.
func TestGojaFeatures(t *testing.T) {
	var missing []string
	for name, src := range featureProbes {
		if !probe(src) {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	want := slices.Clone(gojaUnsupported)
	slices.Sort(want)
	if !slices.Equal(missing, want) {
		t.Errorf("goja lacks %v\ngojaUnsupported lists %v\nupdate gojaUnsupported and the loader's doc comment", missing, want)
	}
	// numeric separators have no esbuild feature name; goja must parse them, since
	// esbuild passes them through.
	if v, err := goja.New().RunString(`1_000 === 1000`); err != nil || !v.ToBoolean() {
		t.Errorf("goja lacks numeric separators: %v", err)
	}
}
