package runtime_test

import (
	"context"
	"os"

	"github.com/wsjs/wsjs/runtime"
)

// Runtimes of one origin talk over BroadcastChannel: a message posted in
// one is delivered in the others when they next run.
func ExampleOptions_broadcastPartition() {
	opts := runtime.Options{BaseURL: "https://app.example/", Stdout: os.Stdout, BroadcastPartition: "example"}
	a, _ := runtime.New(opts)
	defer a.Close()
	b, _ := runtime.New(opts)
	defer b.Close()

	ctx := context.Background()
	_ = a.RunScript(ctx, "a.js", `
		const ch = new BroadcastChannel("jobs");
		ch.onmessage = (e) => console.log("a got", e.data.job, "from", e.origin);
	`)
	_ = b.RunScript(ctx, "b.js", `new BroadcastChannel("jobs").postMessage({job: 42})`)
	_ = a.RunScript(ctx, "again.js", ``)
	// Output:
	// a got 42 from https://app.example
}
