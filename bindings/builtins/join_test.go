package builtins

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// TestJoinDepth checks that joining arrays nested past JoinDepth throws
// V8's RangeError instead of recursing on the Go stack, and that join is
// otherwise the original: results, cycles, generic receivers, exceptions,
// name, length and descriptor.
func TestJoinDepth(t *testing.T) {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	bindings.Configure(env, Options{JoinDepth: 2500})
	if err := Register(env); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ src, want string }{
		{`let a = []; for (let i = 0; i < 1e4; i++) a = [a]; try { String(a) } catch (e) { e instanceof RangeError && e.message }`, "Maximum call stack size exceeded"},
		{`let d = []; for (let i = 0; i < 1e4; i++) d = [d]; try { d.join("-") } catch (e) { e.name }`, "RangeError"},
		{`let s = []; for (let i = 0; i < 2000; i++) s = [s, i]; String(s).length`, "8890"},
		{`String([1, [2, [3, [4]]]]) + " " + [1, [2, 3]].join("-")`, "1,2,3,4 1-2,3"},
		{`const c = [1]; c.push(c); String(c)`, "1,"},
		{`Array.prototype.join.call({ length: 2, 0: "x", 1: "y" }, "+")`, "x+y"},
		{`try { [{ toString() { throw new TypeError("inner") } }].join() } catch (e) { e.name + " " + e.message }`, "TypeError inner"},
		{`const j = Array.prototype.join; [j.name, j.length, typeof j.prototype].join()`, "join,1,undefined"},
		{`JSON.stringify(Object.getOwnPropertyDescriptor(Array.prototype, "join"), ["writable", "enumerable", "configurable"])`, `{"writable":true,"enumerable":false,"configurable":true}`},
		{`let e = []; for (let i = 0; i < 1e4; i++) e = [e]; try { String(e) } catch {} [1, 2].join()`, "1,2"},
	}
	for _, c := range cases {
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}

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
		// A separator that is an object is converted once.
		{`let n = 0; Array(3).join({ toString() { n++; return "-" } }) + n`, "--1"},
		// A length that is an accessor is read once.
		{`let m = 0; Array.prototype.join.call({ get length() { m++; return 2 } }) + m`, ",1"},
	} {
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}

// TestJoinInterrupt checks that an interrupt stops a join over a long array
// of holes, which goja's join looped over in Go for hours.
func TestJoinInterrupt(t *testing.T) {
	expectInterrupt(t, Options{JoinDepth: 2500, StringLength: 1 << 30},
		`new Array(2 ** 32 - 1).join("")`,
		`Array.prototype.join.call({ length: 2 ** 53 - 1 }, "")`,
		`String(new Array(2 ** 29))`,
	)
}
