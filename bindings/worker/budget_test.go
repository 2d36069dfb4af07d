package worker

import (
	"strings"
	"sync"
	"testing"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// outOfMemory is what postMessage throws once the budget is full.
const outOfMemory = "DataCloneError: Failed to execute 'postMessage': Data cannot be cloned, out of memory."

// Messages waiting for a worker, or for its parent, are charged to the
// memory budget (1 MiB) of the runtimes until they are delivered or dropped.
// The worker's runtime is created once main.js calls start(), so that what
// is posted to it before waits.
func TestMessageBudget(t *testing.T) {
	const flood = `let sent = 0;
try { for (;;) { TARGET.postMessage("x".repeat(2**16)); sent++ } }
catch (e) { log(e.name + ": " + e.message + (sent > 8 ? "" : " too soon")) }
`
	toWorker := strings.ReplaceAll(flood, "TARGET", "w")
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "worker terminated before it reads",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js");` + toWorker + `w.terminate(); start();`,
				"/w.js":    `onmessage = () => log("read");`,
			},
			want: []string{outOfMemory},
		},
		{
			name: "worker that closes before it reads",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js");` + toWorker + `start();`,
				"/w.js":    `close(); onmessage = () => log("read");`,
			},
			want: []string{outOfMemory},
		},
		{
			name: "worker that reads them all",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js");` + toWorker +
					`w.postMessage("end"); w.onmessage = (e) => { log("worker read " + (e.data === sent)); w.terminate() }; start();`,
				"/w.js": `let n = 0; onmessage = (e) => { if (e.data === "end") postMessage(n); else n++ };`,
			},
			want: []string{outOfMemory, "worker read true"},
		},
		{
			name: "parent that reads them once the worker's script has run",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js"); let n = 0; start();
w.onmessage = (e) => { if (e.data === "end") { log("parent read " + (n > 8)); w.terminate() } else n++ };`,
				"/w.js": strings.ReplaceAll(flood, "TARGET", "globalThis") + `postMessage("end");`,
			},
			want: []string{outOfMemory, "parent read true"},
		},
		{
			name: "parent terminates before it reads",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js"); start(); w.onmessage = (e) => { if (e.data === "end") w.terminate() }`,
				"/w.js":    `postMessage("end");` + strings.ReplaceAll(flood, "TARGET", "globalThis"),
			},
			want: []string{outOfMemory},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := newTestHost(c.files, nil, ChildOptions{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			budget := bindings.NewBudget(1 << 20)
			h.cluster.Memory = budget
			h.gate = make(chan struct{})
			var once sync.Once
			start := func() { once.Do(func() { close(h.gate) }) }
			defer start()
			if err := h.realm.VM().Set("start", start); err != nil {
				t.Fatal(err)
			}
			got := h.run(t, "/main.js")
			if want := strings.Join(c.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			h.Close()
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
