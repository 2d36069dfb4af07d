package runtime_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wsjs/wsjs/runtime"
)

// Scripts can start dedicated workers, each a runtime of its own on its own
// goroutine. The run lasts while a worker has work to do; messages are
// structured clones, and transferred buffers move without copying.
func ExampleRuntime_RunScript_worker() {
	dir, err := os.MkdirTemp("", "wsjs-worker")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	err = os.WriteFile(filepath.Join(dir, "sum.ts"), []byte(`
onmessage = (e: MessageEvent<Float64Array>) => {
  const sum = e.data.reduce((a, b) => a + b, 0);
  postMessage({sum, from: self.name});
};
`), 0o644)
	if err != nil {
		panic(err)
	}

	rt, err := runtime.New(runtime.Options{Dir: dir, Stdout: os.Stdout, Stderr: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer rt.Close()
	err = rt.RunScript(context.Background(), "main.js", `
const worker = new Worker("./sum.ts", {name: "adder"});
const numbers = new Float64Array([1, 2, 3.5]);
worker.onmessage = (e) => {
  console.log(e.data.from, "says", e.data.sum);
  worker.terminate();
};
worker.postMessage(numbers, [numbers.buffer]);
console.log("transferred:", numbers.length === 0);
`)
	fmt.Println("error:", err)
	// Output:
	// transferred: true
	// adder says 6.5
	// error: <nil>
}

// A shared worker is shared by every SharedWorker object with its URL and
// name; each talks to it through its own MessagePort, which the worker gets
// in a connect event.
func ExampleRuntime_RunScript_sharedWorker() {
	dir, err := os.MkdirTemp("", "wsjs-shared-worker")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	err = os.WriteFile(filepath.Join(dir, "tally.js"), []byte(`
let total = 0;
onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    total += m.data;
    port.postMessage(total);
  };
};
`), 0o644)
	if err != nil {
		panic(err)
	}

	rt, err := runtime.New(runtime.Options{Dir: dir, Stdout: os.Stdout, Stderr: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer rt.Close()
	err = rt.RunScript(context.Background(), "main.js", `
const a = new SharedWorker("./tally.js", "tally");
const b = new SharedWorker("./tally.js", "tally");
a.port.onmessage = (e) => {
  console.log("a: total", e.data);
  b.port.postMessage(5);
};
b.port.onmessage = (e) => console.log("b: total", e.data);
a.port.postMessage(2);
`)
	fmt.Println("error:", err)
	// Output:
	// a: total 2
	// b: total 7
	// error: <nil>
}
