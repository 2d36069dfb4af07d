package runtime

import (
	"strings"
	"testing"
)

// isolationProbe prints, in the realm that runs it, what cross-origin
// isolation decides: crossOriginIsolated, whether the global object has
// SharedArrayBuffer, what cloning a SharedArrayBuffer does, and whether
// times are multiples of the resolution.
const isolationProbe = `
function probe(where) {
	const sab = new WebAssembly.Memory({shared: true, initial: 1, maximum: 1}).buffer;
	let clone;
	try { structuredClone(sab); clone = "cloned"; } catch (e) { clone = e.name; }
	const us = [performance.now(), performance.timeOrigin, new Event("x").timeStamp].map(t => Math.round(t * 1000));
	const res = crossOriginIsolated ? 5 : 100;
	return where + ": " + [crossOriginIsolated, "SharedArrayBuffer" in globalThis, typeof sab.grow, clone,
		us.every(t => t % res === 0)].join(" ");
}
`

func TestCrossOriginIsolation(t *testing.T) {
	files := map[string]string{
		"main.js": isolationProbe + `
console.log(probe("main"));
const w = new Worker("./worker.js");
w.onmessage = e => { console.log(e.data); w.terminate(); };
`,
		"worker.js": isolationProbe + `postMessage(probe("worker"));`,
	}
	tests := []struct {
		name string
		opts Isolation
		want string
	}{
		{"default", Isolation{}, "main: true true function cloned true\nworker: true true function cloned true\n"},
		{"off", Isolation{Off: true}, "main: false false function DataCloneError true\nworker: false false function DataCloneError true\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The first runtimes of a process install their web APIs at
			// once and learn what they define; later ones defer them.
			for i := range 3 {
				r := runFiles(t, files, "main.js", Options{CrossOriginIsolation: tt.opts})
				if r.err != nil {
					t.Fatalf("%v\n%s", r.err, r.stderr)
				}
				if r.stdout != tt.want {
					t.Fatalf("run %d: got\n%swant\n%s", i, r.stdout, tt.want)
				}
			}
		})
	}
}

// TestTestUtilsGC checks that TestUtils exists only when asked for, and
// that its gc() collects a MessagePort nothing reaches: its peer gets the
// close event. The script calls gc() until the event comes, for at most ten
// seconds: how many collections that takes is not the point (the port goes
// in one, the Go values webidl holds for it in a later one, and the cleanup
// that queues the event may run after gc()'s promise is resolved).
func TestTestUtilsGC(t *testing.T) {
	src := `
console.log(typeof TestUtils);
if (typeof TestUtils === "object") {
	const {port1} = new MessageChannel();
	globalThis.port1 = port1;
	port1.start();
	let closed = false;
	port1.onclose = () => { closed = true; console.log("close"); };
	(async () => {
		const deadline = Date.now() + 10000;
		let v;
		do {
			v = await TestUtils.gc();
		} while (!closed && Date.now() < deadline);
		console.log("gc", v, Object.prototype.toString.call(TestUtils));
	})();
}
`
	for _, on := range []bool{false, true} {
		r := runSrc(t, "gc.js", src, Options{TestUtils: on})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		want := "undefined\n"
		if on {
			want = "object\n"
		}
		if !strings.HasPrefix(r.stdout, want) {
			t.Fatalf("TestUtils %v: got %q", on, r.stdout)
		}
		if on && (!strings.Contains(r.stdout, "close\n") || !strings.Contains(r.stdout, "gc undefined [object TestUtils]\n")) {
			t.Errorf("TestUtils.gc(): got %q, want the close event and the promise resolved", r.stdout)
		}
	}
}
