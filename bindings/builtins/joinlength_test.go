package builtins

import "testing"

// TestJoinLength checks that join throws V8's RangeError, without building
// anything, when its separators alone pass StringLength, and joins otherwise.
func TestJoinLength(t *testing.T) {
	vm := newVM(t, Options{JoinDepth: 2500, StringLength: 100})
	for _, c := range []struct{ src, want string }{
		{`try { Array(102).join() } catch (e) { e.name + " " + e.message }`, "RangeError Invalid string length"},
		{`try { Array.prototype.join.call({ length: 2 ** 53 - 1 }, "ab") } catch (e) { e.message }`, "Invalid string length"},
		{`try { Array(52).join(10) } catch (e) { e.message }`, "Invalid string length"},
		{`Array(101).join().length`, "100"},
		{`Array(51).join("ab").length`, "100"},
		// A separator that is an object is converted by the original only.
		{`let n = 0; Array(3).join({ toString() { n++; return "-" } }) + n`, "--1"},
		// So is a length that is an accessor.
		{`let m = 0; Array.prototype.join.call({ get length() { m++; return 2 } }) + m`, ",1"},
	} {
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
