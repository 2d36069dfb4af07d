package builtins

import (
	"errors"
	"testing"

	"github.com/dop251/goja"
)

// TestOwnKeysGuard checks what the built-ins that list own keys ask of
// Options.HeapReserve, that their results are goja's, and that a refusal
// ends the run with the runtime's interrupt where the list would have been
// made.
func TestOwnKeysGuard(t *testing.T) {
	const n = guardedKeys // a long string's or typed array's length
	errHeap := errors.New("heap")
	cases := []struct {
		name, src string
		asked     int64 // what HeapReserve is asked, 0 for nothing
		want      string
	}{
		{"short string", `Object.keys("abc").join()`, 0, "0,1,2"},
		{"string just short", `Object.keys("a".repeat(N - 1)).length`, 0, "65535"},
		{"string keys", `Object.keys("a".repeat(N)).length`, n * keyBytes, "65536"},
		{"String object names keep expandos in order", `const o = new String("a".repeat(N)); o.x = 1;
			Object.defineProperty(o, "h", {value: 2}); Object.getOwnPropertyNames(o).slice(-4).join()`,
			n * keyBytes, "65535,length,x,h"},
		{"values", `Object.values("ab".repeat(N / 2)).slice(0, 3).join("")`, n * valueBytes, "aba"},
		{"entries", `Object.entries(new Uint8Array(N)).length`, n * entryBytes, "65536"},
		{"descriptors", `Object.getOwnPropertyDescriptors("a".repeat(N))[7].value`, n * descriptorBytes, "a"},
		{"assign adds its sources", `Object.assign({}, "a".repeat(N / 2), 5, "b".repeat(N / 2))[0]`, n * propertyBytes, "b"},
		{"defineProperties reads its second argument", `try { Object.defineProperties({}, "a".repeat(N)) } catch (e) { e.name }`, n * propertyBytes, "TypeError"},
		{"Reflect.ownKeys of a typed array", `Reflect.ownKeys(new Float64Array(N)).length`, n * keyBytes, "65536"},
		{"Reflect.ownKeys of a string throws first", `try { Reflect.ownKeys("a".repeat(N)) } catch (e) { e.name }`, 0, "TypeError"},
		{"resizable typed array", `Object.keys(new Uint8Array(new ArrayBuffer(N, {maxByteLength: 2 * N}))).length`, n * keyBytes, "65536"},
		{"through proxies", `Object.keys(new Proxy(new Proxy(new String("a".repeat(N)), {}), {})).length`, n * keyBytes, "65536"},
		{"isFrozen of a String object", `Object.isFrozen(new String("a".repeat(N)))`, n * keyBytes, "false"},
		{"isFrozen of a primitive", `Object.isFrozen("a".repeat(N))`, 0, "true"},
		{"JSON.stringify of a typed array", `JSON.stringify([new Uint8Array(N)]).length`, n * keyBytes, "644253"},
		// split loops here from loopString (2^18) code units.
		{"split into code units", `"a".repeat(4 * N).split("").length`, 4 * n * elementBytes, "262144"},
		{"split by a separator", `",".repeat(4 * N).split(",").length`, 4 * n * elementBytes, "262145"},
		{"JSON.parse of a long array", `JSON.parse("[" + "0,".repeat(N - 1) + "0]").length`, n * elementBytes, "65536"},
		{"past V8's limit", `try { Object.assign({}, ...Array(9).fill("a".repeat(2**24))) } catch (e) { e.name + ": " + e.message }`, 0,
			"RangeError: Too many properties to enumerate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var asked int64
			vm := newVM(t, Options{NestingDepth: 100, Interruptible: true, HeapReserve: func(b int64) bool { asked = b; return true }})
			_ = vm.Set("N", n)
			if got := run(vm, c.src); got != c.want {
				t.Errorf("%s = %q, want %q", c.src, got, c.want)
			}
			if asked != c.asked {
				t.Errorf("HeapReserve asked for %d bytes, want %d", asked, c.asked)
			}
			// Refused, the call ends the run with the interrupt the
			// refusal set, which script cannot catch.
			if c.asked == 0 {
				return
			}
			var vm2 *goja.Runtime
			vm2 = newVM(t, Options{NestingDepth: 100, Interruptible: true, HeapReserve: func(int64) bool { vm2.Interrupt(errHeap); return false }})
			_ = vm2.Set("N", n)
			_, err := vm2.RunString(`try { ` + c.src + ` } catch (e) { "caught " + e }`)
			var ie *goja.InterruptedError
			if !errors.As(err, &ie) || ie.Value() != errHeap {
				t.Errorf("refused: %v, want the interrupt", err)
			}
		})
	}
}
