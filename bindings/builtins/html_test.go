package builtins

import "testing"

// TestHTMLMethods checks the String.prototype HTML methods of Annex B.
func TestHTMLMethods(t *testing.T) {
	cases := []struct{ src, want string }{
		{`"_".anchor("b")`, `<a name="b">_</a>`},
		{`"x".anchor('a"b"')`, `<a name="a&quot;b&quot;">x</a>`},
		{`String.prototype.link.call(42, 7)`, `<a href="7">42</a>`},
		{`"s".fontcolor() + "s".fontsize(3)`, `<font color="undefined">s</font><font size="3">s</font>`},
		{`["big", "blink", "bold", "fixed", "italics", "small", "strike", "sub", "sup"].map(m => "x"[m]()).join("")`,
			"<big>x</big><blink>x</blink><b>x</b><tt>x</tt><i>x</i><small>x</small><strike>x</strike><sub>x</sub><sup>x</sup>"},
		{`"\ud800".bold().length`, "8"},
		{`try { String.prototype.sub.call(null) } catch (e) { e.name }`, "TypeError"},
		{`try { "".anchor(Symbol()) } catch (e) { e.name }`, "TypeError"},
		// ToString of this comes before ToString of the value.
		{`const log = []; String.prototype.anchor.call({ toString() { log.push("this"); return "" } }, { toString() { log.push("value"); return "" } }); log.join()`, "this,value"},
		{`const a = String.prototype.anchor, d = Object.getOwnPropertyDescriptor(String.prototype, "big"); [a.name, a.length, String.prototype.big.length, d.enumerable, d.writable, d.configurable].join()`, "anchor,1,0,false,true,true"},
		{`try { new String.prototype.fontsize() } catch (e) { e.name }`, "TypeError"},
	}
	for _, c := range cases {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
