package runtime

import (
	"strings"
	"testing"
)

// TestWorkerSharedMemory shares a SharedArrayBuffer with a worker: the worker
// blocks in Atomics.wait until the main runtime, which may not block, wakes
// it with Atomics.notify; the worker then writes through its own view and
// wakes the main runtime's Atomics.waitAsync.
func TestWorkerSharedMemory(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const i32 = new Int32Array(new SharedArrayBuffer(12));
let thrown;
try { Atomics.wait(i32, 0, 0, 0) } catch (e) { thrown = e.constructor.name }
console.log("main: wait", thrown);
// Registered before the worker starts, so the worker's notify finds it.
const done = Atomics.waitAsync(i32, 2, 0);
console.log("main: waitAsync", done.async);
const w = new Worker("./worker.js");
w.onmessage = async (e) => {
  console.log("main:", e.data);
  // Wakes the worker once it waits; until then there is nothing to wake.
  while (Atomics.notify(i32, 0, 1) === 0) {}
  console.log("main: waitAsync", await done.value, Atomics.load(i32, 1));
  w.terminate();
};
w.postMessage(i32);
`,
		"worker.js": `
self.onmessage = (e) => {
  const i32 = e.data;
  postMessage("waiting " + (i32.buffer instanceof SharedArrayBuffer));
  console.log("worker: wait", Atomics.wait(i32, 0, 0));
  Atomics.store(i32, 1, 42);
  Atomics.store(i32, 2, 1);
  Atomics.notify(i32, 2);
};
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	got := r.stdout
	for _, want := range []string{
		"main: wait TypeError\n",
		"main: waitAsync true\n",
		"main: waiting true\n",
		"worker: wait ok\n",
		"main: waitAsync ok 42\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestWorkerWaitTerminated terminates a worker that waits with no timeout:
// the wait ends with the worker, and the run ends.
func TestWorkerWaitTerminated(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const w = new Worker("./worker.js");
w.onmessage = () => { w.terminate(); console.log("main: terminated") };
w.postMessage(new Int32Array(new SharedArrayBuffer(4)));
`,
		"worker.js": `
self.onmessage = (e) => {
  postMessage("waiting");
  Atomics.wait(e.data, 0, 0);
  console.log("worker: woken");
};
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "main: terminated")
}
