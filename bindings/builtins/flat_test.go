package builtins

import "testing"

func TestFlatDepth(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"deep", `let a = [1]; for (let i = 0; i < 100; i++) a = [a]; a.flat(Infinity)`, "RangeError: " + stackExceeded},
		{"deep, depth an object", `let a = [1]; for (let i = 0; i < 100; i++) a = [a]; a.flat({ valueOf() { return 50 } })`, "RangeError: " + stackExceeded},
		{"within the bound", `let a = [1, [2, [3, , [4]]]]; for (let i = 0; i < 5; i++) a = [a, i]; JSON.stringify(a.flat(Infinity))`, ""},
		{"depth in bounds", `let a = [1]; for (let i = 0; i < 100; i++) a = [a]; a.flat(5).length`, ""},
		{"species", `class A extends Array {}; const a = A.from([[1], [2, [3]]]).flat(Infinity); [a instanceof A, a.length].join()`, ""},
		{"order of conversions", `const log = []; const o = { get length() { log.push("length"); return 1 }, get 0() { log.push("0"); return [[1]] } }; Array.prototype.flat.call(o, { valueOf() { log.push("depth"); return Infinity } }); log.join()`, "length,depth,0"},
		{"array-like", `JSON.stringify(Array.prototype.flat.call({ length: 3, 0: [1, [2]], 2: 3 }, Infinity))`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == "" {
				want = run(newVM(t, Options{}), c.src)
			}
			if got := run(newVM(t, Options{NestingDepth: 10}), c.src); got != want && !(len(got) > len(want) && got[:len(want)] == want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// TestFlatInterrupt checks that an interrupt stops flat and flatMap in an
// array nested in a short one: goja's loops over it are in Go, and ran for
// hours over the holes of Array(2 ** 32 - 1).
func TestFlatInterrupt(t *testing.T) {
	expectInterrupt(t, Options{Interruptible: true, NestingDepth: 10},
		`[new Array(2 ** 32 - 1)].flat()`,
		`[[1], new Array(2 ** 32 - 1)].flat(2)`,
		`[1].flatMap(() => new Array(2 ** 32 - 1))`,
	)
}
