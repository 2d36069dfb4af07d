package builtins

import (
	"testing"

	"github.com/dop251/goja"
)

// BenchmarkTypedArrays measures what the built-ins cost the typed arrays of
// the common case, over fixed-length ArrayBuffers, which stay goja's own:
// the same script runs in plain goja and with the built-ins installed.
// The cases over a resizable buffer show what the views this package makes
// for those cost.
func BenchmarkTypedArrays(b *testing.B) {
	cases := []struct{ name, setup, loop string }{
		{"index", `const ta = new Uint8Array(1024);`, `for (let i = 0; i < 1024; i++) ta[i] = ta[i] + 1;`},
		{"length", `const ta = new Float64Array(1024);`, `let n = 0; for (let i = 0; i < ta.length; i++) n++;`},
		{"methods", `const ta = new Int32Array(256);`, `ta.fill(1); ta.subarray(1, 9); ta.indexOf(3); ta.set([1, 2, 3], 4); ta.slice(0, 16);`},
		{"construct", ``, `new Uint8Array(64); new Float32Array([1, 2, 3]); new Uint16Array(new ArrayBuffer(8), 2, 2);`},
		{"iterate", `const ta = new Uint16Array(256);`, `let s = 0; for (const x of ta) s += x;`},
		{"resizable/index", `const ta = new Uint8Array(new ArrayBuffer(1024, {maxByteLength: 2048}));`, `for (let i = 0; i < 1024; i++) ta[i] = ta[i] + 1;`},
		{"resizable/methods", `const ta = new Int32Array(new ArrayBuffer(1024, {maxByteLength: 2048}));`, `ta.fill(1); ta.subarray(1, 9); ta.indexOf(3); ta.set([1, 2, 3], 4); ta.slice(0, 16);`},
	}
	for _, engine := range []string{"goja", "wsjs"} {
		for _, c := range cases {
			b.Run(engine+"/"+c.name, func(b *testing.B) {
				var vm *goja.Runtime
				if engine == "goja" {
					vm = goja.New()
				} else {
					vm = newVM(b, Options{})
				}
				if _, err := vm.RunString(c.setup); err != nil {
					b.Skip(err) // plain goja has no resizable buffers
				}
				prg := goja.MustCompile("bench.js", "{"+c.loop+"}", true)
				if _, err := vm.RunProgram(prg); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for b.Loop() {
					if _, err := vm.RunProgram(prg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
