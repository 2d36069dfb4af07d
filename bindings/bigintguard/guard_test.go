package bigintguard

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/directeval"
)

// rewrite returns src with its operators guarded.
func rewrite(t testing.TB, src string) string {
	t.Helper()
	prg, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	ins, err := Edits(src, prg)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return directeval.Apply(src, 0, ins)
}

// run evaluates src in a fresh goja runtime and returns its value as a
// string, or the name of the error it throws.
func run(t testing.TB, src string) string {
	t.Helper()
	vm := goja.New()
	v, err := vm.RunString(src)
	if err != nil {
		if ex, ok := err.(*goja.Exception); ok {
			if o, ok := ex.Value().(*goja.Object); ok {
				return "throws " + o.Get("name").String()
			}
			return "throws " + ex.Value().String()
		}
		t.Fatalf("%s: %v", src, err)
	}
	return v.String()
}

// cases give the same value rewritten as goja gives them as written (which
// is right for them), and the rewrite's part in each is checked.
var sameCases = []string{
	`2 ** 10`, `2n ** 10n`, `(-3n) ** 3n`, `2 ** -1`, `x = 3; x **= 2; x`, `x = 3n; x **= 3n; x`,
	`0n ** 100000000000n`, `1n ** 100000000000n`, `(-1n) ** 100000000001n`, `5n ** 1n`, `5n ** 0n`,
	`(2n ** 3n) ** 2n`, `2n ** 3n ** 2n`, `(2n) ** (3n)`, `2n /* ** */ ** /* c */ 3n`,
	`o = {p: 2n}; o.p **= 5n; o.p`, `o = {p: 2n}; o["p"] **= 5n; o.p`, `o = {p: 2n}; k = "p"; o[k] **= 5n; o.p`,
	`o = {p: {q: 3n}}; n = 0; f = () => (n++, o.p); f().q **= 2n; [o.p.q, n]`,
	`o = {p: 3n}; n = 0; g = () => (n++, "p"); (o)[g()] **= 2n; [o.p, n]`,
	`o = {p: 3n}; ((o)).p **= 2n; o.p`,
	`class A { #p = 3n; m(x) { this.#p **= x; return this.#p } static f(a, x) { (a).#p **= x; return a.#p } }; [new A().m(2n), A.f(new A(), 3n)]`,
	`class B { get p() { return this._p ?? 2n } set p(v) { this._p = v } }; class C extends B { m() { super.p **= 3n; return this.p } }; new C().m()`,
	`class D { m() { super["x"] **= 2n; return this.x } }; D.prototype.__proto__ = {x: 3n}; new D().m()`,
	`class E { m(k) { super[k] **= 2n; return this.x } }; E.prototype.__proto__ = {x: 3n}; new E().m("x")`,
	`1 << 3`, `s = 3; 1 << s`, `s = 3n; 1n << s`, `s = 3n; 100n >> s`, `s = -3n; 1n >> s`, `x = 1n; x <<= 4n; x`, `x = 1n; s = 4n; x <<= s; x`,
	`s = 3n; 1 << s`, `1n << {valueOf() { return 4n }}`, `1 << {valueOf() { return 4 }}`,
	`log = []; ({valueOf() { log.push("l"); return 1n }}) << ({valueOf() { log.push("r"); return 2n }}); log.join()`,
	`log = []; ({valueOf() { log.push("l"); return 2n }}) ** ({valueOf() { log.push("r"); return 2n }}); log.join()`,
	`s = Symbol(); try { 1 << s } catch (e) { e.name }`,
	`function* g() { const x = 2n ** (yield 1); return x } it = g(); it.next(); it.next(3n).value`,
	`async function h(x) { return x ** await 2n }; typeof h`,
	`x = 2; (function () { "use strict"; return x ** 3 })()`,
	`a = [1n]; a[0] **= 3n; i = 0; a[i++] <<= (i + 1, 2n); [a[0], i]`,
	`f = () => 3n; (f)() ** 2n`, `((f))() ** (f)()`, `(() => 3n)() ** 2n`, `s = () => 2n; 1n << (s)()`, `1n << ((s))()`,
	`t = (x) => 2n; t` + "`a`" + ` ** 3n`, `o = {f: () => 3n}; (o).f() ** (o)?.f()`, `o = {p: 2n}; (0, o).p **= 3n; o.p`,
	`o = {p: 2n}; ((0, o)).p **= (1n, 3n); o.p`, `o = {p: 2n}; (0, o)[(0, "p")] **= (0, 3n); o.p`,
	`x = 2n; (x) **= 3n; x`, `o = {p: 2n}; (o.p) **= 3n; o.p`, `o = {p: {q: 2n}}; ((o).p).q **= 3n; o.p.q`,
	`a = 2n; b = 3n; a /* x */ ** /* y */ (b)`, `n = 2n; x = 1n << n << n; x`, `n = 2n; 1n << (n << n)`,
	`n = 1n; [1n << n, 8n >> n, 2n ** n ** n]`,
	`f = () => 3n; ( /* a */ (/* b */f)/* c */)() ** 2n`,
	`s = [1, 2n]; (function (x, y) { return [1 << s[0], x << s[1], y >> s[0]] })(1n, 8)`,
	`(function () { "use strict"; const s = [3]; return [1 << s[0], (function () { return this })()] })().join()`,
	`(function () { 'a'; "use strict"
		return typeof this })()`,
	`function* g(x) { return x << (yield 1) } it = g(1n); it.next(); it.next(5n).value`,
	`function r(x, k) { return k ? x << r(1n, k - 1) : 1n }; r(1n, 3)`,
	`(function (o) { o.k >>= o.m; return [1n << o.n, 2n << (o.n, 1n), o.k] })({n: 2n, m: 1n, k: 8n})`,
	`(function () { class C { f = 1n << [2n][0]; static { C.g = 1n << [3n][0] } }; return [new C().f, C.g] })()`,
	`((a) => { const s = [2n]; return a << s[0] })(1n)`,
	`(function (s) { ("use strict"); return 1 << s[0] })([3])`,
	`o = {get p() { return 2n }}; try { "use strict"; (() => o)().p **= 3n; "no throw" } catch (e) { e.name }`,
	`(function () { "use strict"; const o = Object.freeze({p: 2n}); try { (() => o)().p **= 3n } catch (e) { return e.name } })()`,
	`(function () { const o = Object.freeze({p: 2n}); (() => o)().p **= 3n; return o.p })()`,
	// Operands whose last token goja's parser ends elsewhere (jsast.End): a
	// regular expression literal with flags, a name that is not ASCII or
	// has escapes, a private name.
	`var 진 = 2n, 진진진 = 3n; [진 ** 진, 진진진 ** 진, 1n << 진진진, 1n << \u{c9c4}].join()`,
	`class Q { static #x = 3n; static m() { return [2n ** Q.#x, 1n << this.#x, 2n ** Q?.#x].join() } }; Q.m()`,
	`class P { #n = 3n; static m(o) { return [2n ** (#n in o ? 1n : 2n), 1n << (#n in o ? o.#n : 4n)].join() } }; P.m(new P()) + P.m({})`,
	`try { 0 ** /a/g  === 1 } catch (e) { e.name }`, `try { [2 ** /a/gi, 1 << /b/y
		, 1] } catch (e) { e.name }`, `try { 0 ** /a/gi } catch (e) { e.name }`,
}

func TestSameValue(t *testing.T) {
	for _, src := range sameCases {
		out := rewrite(t, src)
		if got, want := run(t, out), run(t, src); got != want {
			t.Errorf("%s\n  rewritten %s\n  gives %s, want %s", src, out, got, want)
		}
	}
}

// TestGuarded checks the operators the rewrite stops before goja computes
// them.
func TestGuarded(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`1n << (2n ** 40n)`, "throws RangeError"},
		{`(1n << 16777216n) > 0n`, "true"},
		{`1n << 16777217n`, "throws RangeError"},
		{`s = 16777217n; 1n << s`, "throws RangeError"},
		{`s = 2n ** 40n; 1n << s`, "throws RangeError"},
		{`x = 1n; x <<= 1099511627776n`, "throws RangeError"},
		{`1n >> -1099511627776n`, "throws RangeError"},
		{`1n << {valueOf() { return 1099511627776n }}`, "throws RangeError"},
		{`1n >> 18446744073709551616n`, "0"},
		{`(-1n) >> 18446744073709551617n`, "-1"},
		{`1n << -18446744073709551616n`, "0"},
		{`2n ** 1000000000n`, "throws RangeError"},
		{`3n ** 16777216n`, "throws RangeError"},
		{`(2n ** 1000n) ** 100000n`, "throws RangeError"},
		{`o = {p: 3n}; o.p **= 1000000000n`, "throws RangeError"},
		{`o = {p: 3n}; (() => o)().p **= 1000000000n`, "throws RangeError"},
		{`(2n ** 1000n) ** 10000n > 0n`, "true"},
		// A count a getter gives is read once: a Number, then (were it read
		// again) a BigInt of 2^40 that goja would shift by.
		{`c = 0; Object.defineProperty(globalThis, "n", {get() { return c++ % 2 ? 2n ** 40n : 1 }}); 1n << n`, "throws TypeError"},
		{`c = 0; o = {get n() { return c++ % 2 ? 2n ** 40n : 1 }}; with (o) { 1n << n }`, "throws TypeError"},
		{`c = 0; o = {get n() { return c++ % 2 ? 2n ** 40n : 1 }}; (function (n) { with (o) { return 1n << n } })(1)`, "throws TypeError"},
		{`(function (x, n) { return x << n })(1n, 2n ** 40n)`, "throws RangeError"},
		{`(function (x) { let n = 2n ** 40n; return ((y) => y << n)(x) })(1n)`, "throws RangeError"},
	} {
		out := rewrite(t, c.src)
		if got := run(t, out); got != c.want {
			t.Errorf("%s\n  rewritten %s\n  gives %s, want %s", c.src, out, got, c.want)
		}
	}
}

// TestLeftAlone checks what is not rewritten.
func TestLeftAlone(t *testing.T) {
	for _, src := range []string{
		`x << 3`, `x >> (i & 31)`, `x << (32 - n)`, `x >>> n`, `x ** 2`, `x << 3n`, `x <<= 1`, `x * y`,
	} {
		if out := rewrite(t, src); out != src {
			t.Errorf("%s rewritten: %s", src, out)
		}
	}
	if !strings.Contains(rewrite(t, `x << n`), "valueOf") {
		t.Error("x << n not rewritten")
	}
	if out := rewrite(t, `function f(x, s) { "use strict"; return x << s[0] }`); !strings.Contains(out, `"use strict";var `+temp+";") {
		t.Errorf("the temp is not declared after the directive: %s", out)
	}
	prg, _ := parser.ParseFile(nil, "", `x << `+temp, 0)
	if _, err := Edits(`x << `+temp, prg); err == nil {
		t.Errorf("a script naming %s was rewritten", temp)
	}
	// A local name is read twice, with no function made for a Number.
	for src, fast := range map[string]bool{
		`function f(x, n) { return x << n }`:               true,
		`function f(x) { var n = 1; return x >> n }`:       true,
		`function f(x) { const n = 1; x <<= n; return x }`: true,
		`function f(x, n) { return () => x << n }`:         false, // another function's
		`function f(x, n) { with (x) { return x << n } }`:  false,
		`function f(x) { { let n = 1 } return x << n }`:    false, // a block's
		`x << n`: false,
	} {
		if got := strings.Contains(rewrite(t, src), `typeof n === "number" ? n :`); got != fast {
			t.Errorf("%s: fast path %v, want %v", src, got, fast)
		}
	}
}
