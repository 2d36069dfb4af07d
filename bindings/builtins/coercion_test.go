package builtins

import (
	"fmt"
	"testing"
)

// TestBufferChangedDuringCoercion calls each %TypedArray%.prototype method
// with an argument whose conversion (or a callback) detaches, shrinks or
// transfers the buffer under the view, and checks that the method returns or
// throws a TypeError or RangeError: never a Go panic, never another error.
func TestBufferChangedDuringCoercion(t *testing.T) {
	methods := []string{"at", "copyWithin", "entries", "every", "fill", "filter", "find", "findIndex", "findLast",
		"findLastIndex", "forEach", "includes", "indexOf", "join", "keys", "lastIndexOf", "map", "reduce",
		"reduceRight", "reverse", "set", "slice", "some", "sort", "subarray", "toLocaleString", "toReversed",
		"toSorted", "toString", "values", "with"}
	changes := map[string]string{
		"detach":   `$262.detachArrayBuffer(ta.buffer)`,
		"shrink":   `ta.buffer.resize(2)`,
		"transfer": `ta.buffer.transfer()`,
	}
	for _, ctor := range []string{"Uint8Array", "Float64Array", "BigInt64Array", "Float16Array"} {
		for change, code := range changes {
			for _, m := range methods {
				for arg := range 3 {
					src := fmt.Sprintf(`
						const ta = new %s(new ArrayBuffer(64, {maxByteLength: 128}));
						const one = ta instanceof BigInt64Array ? 1n : 1;
						const evil = {valueOf() { %s; return one }};
						const callback = () => { %[2]s; return one };
						const args = [1, 2, 3];
						args[%[3]d] = %[3]d === 0 && /every|filter|find|forEach|map|reduce|some|sort/.test(%[4]q) ? callback : evil;
						if (%[4]q === "set") args[0] = [evil, evil];
						try {
							ta[%[4]q](...args);
						} catch (e) {
							if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
						}`, ctor, code, arg, m)
					t.Run(fmt.Sprintf("%s/%s/%s/%d", ctor, change, m, arg), func(t *testing.T) {
						vm := newVM(t, bounded)
						install262(vm)
						defer func() {
							if x := recover(); x != nil {
								t.Fatalf("Go panic: %v", x)
							}
						}()
						if _, err := vm.RunString(src); err != nil {
							t.Error(err)
						}
					})
				}
			}
		}
	}
}
