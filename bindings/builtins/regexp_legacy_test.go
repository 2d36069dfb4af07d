package builtins

import "testing"

// TestRegExpLegacy checks the legacy static properties of RegExp and the
// restriction of RegExp.prototype.compile to instances %RegExp% allocated.
func TestRegExpLegacy(t *testing.T) {
	cases := []struct{ src, want string }{
		{`[RegExp.$1, RegExp.input, RegExp.lastMatch].join("|")`, "||"},
		{`/(b)(c)?/.exec("abd"); [RegExp.$1, RegExp.$2, RegExp.$3, RegExp.lastParen, RegExp["$+"]].join("|")`, "b||||"},
		{`/(b)(c)/.exec("xabcd"); [RegExp.input, RegExp.$_, RegExp.lastMatch, RegExp["$&"], RegExp.leftContext, RegExp["$\x60"], RegExp.rightContext, RegExp["$'"], RegExp.lastParen].join("|")`,
			"xabcd|xabcd|bc|bc|xa|xa|d|d|c"},
		{`/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)/.test("abcdefghij"); RegExp.$9 + RegExp.lastParen`, "ij"},
		// A failed match changes nothing.
		{`/(a)/.exec("a"); /(z)/.exec("a"); RegExp.$1`, "a"},
		// Literals, RegExp() and new RegExp update; so do String methods
		// through exec, and Symbol.split.
		{`RegExp("(q)").exec("q"); const a = RegExp.$1; "xy".replace(/(y)/, ""); a + RegExp.$1`, "qy"},
		{`"a,b;c".split(/([,;])/); RegExp.$1 + RegExp.leftContext`, ";a,b"},
		{`/(a)/g[Symbol.replace]("aXa", "-"); RegExp.rightContext + RegExp.input`, "aXa"},
		// A subclass's match makes the values unreadable.
		{`class R extends RegExp {}; new R("(a)").exec("a"); try { RegExp.$1 } catch (e) { e.name }`, "TypeError"},
		{`class R extends RegExp {}; new R("(a)").exec("a"); /(b)/.exec("b"); RegExp.$1`, "b"},
		{`class R extends RegExp {}; try { R.$1 } catch (e) { e.name }`, "TypeError"},
		{`const d = Object.getOwnPropertyDescriptor(RegExp, "$1"); try { d.get.call({}) } catch (e) { e.name }`, "TypeError"},
		{`RegExp.input = { toString() { return "set" } }; [RegExp.input, RegExp.$_].join()`, "set,set"},
		{`/(b)/.exec("ab\u00e9"); RegExp.input = "zz"; [RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext, RegExp.$1].join()`, "zz,b,a,\u00e9,b"},
		{`try { Object.getOwnPropertyDescriptor(RegExp, "$_").set.call(/x/, "") } catch (e) { e.name }`, "TypeError"},
		{`const d = Object.getOwnPropertyDescriptor(RegExp, "lastMatch"); [typeof d.get, d.set, d.enumerable, d.configurable, d.get.name].join()`, "function,,false,true,get lastMatch"},
		{`const d = Object.getOwnPropertyDescriptor(RegExp, "input"); [d.set.name, d.set.length].join()`, "set input,1"},
		{`const g = (n) => Object.getOwnPropertyDescriptor(RegExp, n).get; [g("$&") === g("lastMatch"), g("$_") === g("input"), String(g("$\x60"))].join()`, "true,true,function get leftContext() { [native code] }"},
		{`delete RegExp.$1; "$1" in RegExp`, "false"},
		// compile is for instances %RegExp% allocated.
		{`const r = /a/; r.compile("b", "g") === r && r.source + r.flags`, "bg"},
		{`class R extends RegExp {}; try { new R("a").compile("b") } catch (e) { e.name }`, "TypeError"},
		{`const o = Reflect.construct(RegExp, ["a"], Object); try { RegExp.prototype.compile.call(o, "b") } catch (e) { e.name + RegExp.prototype.exec.call(o, "a")[0] }`, "TypeErrora"},
	}
	for _, c := range cases {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
