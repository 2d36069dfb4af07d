package runtime

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRun loads and runs arbitrary source under a short deadline: whatever
// the script, the run must return (with or without an error) within a grace
// period of the deadline, and no Go panic may leave RunScript or Close.
func FuzzRun(f *testing.F) {
	for _, c := range hostileCases {
		// A case that leaves a goroutine computing in a built-in would keep
		// a CPU busy, for seconds, under the seeds after it; one that must
		// run alone (every CPU busy, or gigabytes) made the seed beside it
		// late when the fuzzing engine's workers ran them at once (a string
		// doubling under a heap bound: 2.7 s past a 200 ms deadline, while
		// the collector waited for a copy of gigabytes to end).
		// TestHostileScripts runs both kinds.
		if !c.lingers && !c.alone {
			f.Add(c.file, c.src)
		}
	}
	f.Add("m.mjs", `export const x = await Promise.resolve(1); console.log(x)`)
	f.Add("t.ts", `let n: number = 1; setTimeout(() => console.log(n), 1)`)
	f.Add("e.js", `new Function("return '\\u{10FFFF}'")()`)
	f.Add("j.js", `JSON.parse("[".repeat(100000))`)
	f.Add("s.js", `structuredClone(new Proxy({}, { ownKeys() { throw 1 } }))`)
	f.Add("d.js", "eval(`eval(\"'\\\\u{10FFFF}'\")`, 1); new Function('a = eval(\"1\")', 'return eval(a)')(); (0, eval)('eval?.(1)')")
	f.Add("a.js", `Array.prototype.splice.call({ length: 2 ** 53 - 1 }, 1, 1); new Proxy(new Proxy({}, {}), new Proxy({}, {})).x`)
	// Under the race detector goja runs several times slower, and unwinding
	// the deep recursion of some seeds alone takes longer than 2 s.
	const deadline, grace = 200 * time.Millisecond, raceSlowdown * 2 * time.Second
	f.Fuzz(func(t *testing.T, name, src string) {
		// Scripts of the three kinds the loader treats differently, in a
		// directory of their own.
		switch ext := filepath.Ext(name); ext {
		case ".mjs", ".ts":
			name = "a" + ext
		default:
			name = "a.js"
		}
		// With the bounds a plugin host would set: without them a seed that
		// allocates in a loop (Blobs, strings posted to a worker) took
		// gigabytes in its 200 ms, several times that under the race
		// detector's shadow memory, and on a loaded machine reclaiming that
		// memory made the run end seconds late (8.5 s once in make test).
		limits := Limits{MemoryBytes: 64 << 20, HeapBytes: 256 << 20}
		rt, err := New(Options{Dir: t.TempDir(), Stdout: io.Discard, Stderr: io.Discard, Limits: limits})
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close()
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		start := time.Now()
		_ = rt.RunScript(ctx, name, src)
		if d := time.Since(start); d > deadline+grace {
			t.Fatalf("the run took %v, past its %v deadline", d, deadline)
		}
	})
}
