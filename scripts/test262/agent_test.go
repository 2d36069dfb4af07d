package main

import (
	"context"
	"path/filepath"
	goruntime "runtime"
	"testing"
	"time"
)

// TestAgent runs scripts that use $262.agent in wsjs, with the harness's
// atomicsHelper.js, and checks what they report through print.
func TestAgent(t *testing.T) {
	c := testCorpus(t)
	cases := []struct {
		name, src string
		want      string // printed, or "timeout"
		uncaught  bool   // the run ends with an uncaught exception
	}{
		{"broadcast and reports", `
			$262.agent.start('$262.agent.receiveBroadcast((sab, id) => { $262.agent.report(id + " " + new Int32Array(sab)[0]); $262.agent.report("\\u00e9\\ud800"); $262.agent.leaving(); });');
			const i32a = new Int32Array(new SharedArrayBuffer(8));
			i32a[0] = 7;
			$262.agent.broadcast(i32a.buffer, 3);
			print($262.agent.getReport() + "|" + ($262.agent.getReport() === "\u00e9\ud800"));`,
			"3 7|true", false},
		{"reports before the control block and more than it holds", `
			$262.agent.start('$262.agent.report("early"); for (let i = 0; i < 20; i++) $262.agent.report("x".repeat(1000) + i);');
			let r = $262.agent.getReport(), n = 0;
			for (let i = 0; i < 20; i++) if ($262.agent.getReport() === "x".repeat(1000) + i) n++;
			print(r + " " + n);`,
			"early 20", false},
		{"agents block, the main agent waits for them", `
			const i32a = new Int32Array(new SharedArrayBuffer(8));
			for (let i = 0; i < 2; i++) $262.agent.start('$262.agent.receiveBroadcast((sab) => { const a = new Int32Array(sab); Atomics.add(a, 1, 1); $262.agent.report(Atomics.wait(a, 0, 0)); });');
			$262.agent.safeBroadcast(i32a);
			$262.agent.waitUntil(i32a, 1, 2);
			let woken = 0;
			while (woken < 2) woken += Atomics.notify(i32a, 0);
			print($262.agent.getReport() + " " + $262.agent.getReport());`,
			"ok ok", false},
		// The worker's error reaches the main agent as an uncaught exception
		// once its script returns.
		{"an agent that throws does not hold up a broadcast", `
			$262.agent.start('throw new Error("boom")');
			$262.agent.broadcast(new SharedArrayBuffer(4), 0);
			print($262.agent.getReport());`,
			"agent error: Uncaught Error: boom", true},
		{"a main agent that waits for ever ends at the deadline", `
			$262.agent.start('$262.agent.receiveBroadcast(() => {})');
			$262.agent.getReport();`,
			"timeout", false},
	}
	before := goruntime.NumGoroutine()
	defer func() {
		// Close waited for the workers: none of their goroutines is left
		// but some about to return, whose end no event marks (as goleak
		// does, look again for a while).
		n := goruntime.NumGoroutine()
		for deadline := time.Now().Add(2 * time.Second); n > before && time.Now().Before(deadline); n = goruntime.NumGoroutine() {
			time.Sleep(10 * time.Millisecond)
		}
		if n > before {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:goruntime.Stack(buf, true)])
		}
	}()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tt := &test{path: "test/agent.js", abs: filepath.Join(t.TempDir(), "agent.js"), src: tc.src,
				meta: &Meta{Includes: []string{"atomicsHelper.js"}, Flags: []string{"noStrict"}}}
			limit := 5 * time.Second
			if tc.want == "timeout" {
				limit = time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			obs := runWsjs(ctx, c, tt, sloppy)
			got := ""
			switch {
			case obs.Timeout:
				got = "timeout"
			case (obs.Phase != "") != tc.uncaught || obs.Panic != "" || obs.Unsupported != "":
				t.Fatalf("%+v", obs)
			case len(obs.Printed) > 0:
				got = obs.Printed[0]
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
