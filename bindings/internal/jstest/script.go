package jstest

import (
	"context"
	"testing"
	"time"

	"github.com/wsjs/wsjs/eventloop"
)

// Script says how a test's script runs on a loop. The zero value runs it as
// it is and lets the loop run for at most 20 seconds.
type Script struct {
	// Prelude is text that Await puts before the async function, in the
	// same script.
	Prelude string
	// Timeout guards against a hang: it is how long the loop may run.
	Timeout time.Duration
}

func (s Script) context() (context.Context, context.CancelFunc) {
	d := s.Timeout
	if d == 0 {
		d = 20 * time.Second
	}
	return context.WithTimeout(context.Background(), d)
}

// Run queues src as a task, then runs loop until it is out of work. A script
// error is passed to onError.
func (s Script) Run(t testing.TB, loop *eventloop.Loop, src string, onError func(error)) {
	t.Helper()
	loop.Queue(func() {
		if _, err := loop.VM().RunString(src); err != nil {
			onError(err)
		}
	})
	ctx, cancel := s.context()
	defer cancel()
	if err := loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// Await runs body, the body of an async function, on loop until its promise
// settles, then stops the loop. It returns the string the promise fulfills
// with, "rejected: <name>: <message>" (or "rejected: <reason>" for a reason
// with no name), or "script error: <error>" if the script does not run.
func (s Script) Await(t testing.TB, loop *eventloop.Loop, body string) string {
	t.Helper()
	vm := loop.VM()
	result := make(chan string, 1)
	vm.Set("__done", func(s string) { result <- s })
	loop.Queue(func() {
		_, err := vm.RunString(s.Prelude + "(async () => {\n" + body + "\n})().then(v => __done(String(v)), e => __done('rejected: ' + (e && e.name ? e.name + ': ' + e.message : String(e))));")
		if err != nil {
			result <- "script error: " + err.Error()
		}
	})
	ctx, cancel := s.context()
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- loop.Run(ctx) }()
	select {
	case got := <-result:
		loop.Stop()
		<-runErr
		return got
	case err := <-runErr:
		select {
		case got := <-result:
			return got
		default:
		}
		t.Fatalf("loop ended without a result: %v", err)
	}
	return ""
}

// Settle runs body, the body of an async function, on loop until the loop is
// out of work, and returns what the function returned, as a string, or
// "throws <name>: <message>" for what it threw. The test fails if the
// script does not run or its promise never settles.
func (s Script) Settle(t testing.TB, loop *eventloop.Loop, body string) string {
	t.Helper()
	vm := loop.VM()
	var result string
	settled := false
	loop.Queue(func() {
		_ = vm.Set("__done", func(s string) { result, settled = s, true })
		_, err := vm.RunString(`(async () => {` + body + `})().then(
			v => __done(String(v)),
			e => __done("throws " + (e && e.name) + ": " + (e && e.message)))`)
		if err != nil {
			t.Errorf("script: %v", err)
		}
	})
	ctx, cancel := s.context()
	defer cancel()
	if err := loop.Run(ctx); err != nil {
		t.Fatalf("loop: %v", err)
	}
	if !settled {
		t.Fatalf("the script's promise never settled")
	}
	return result
}
