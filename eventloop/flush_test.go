package eventloop

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// startRun runs l on its own goroutine with a hold, so that it waits for work, and
// returns the hold's release, Run's result, and a channel that receives each time Run
// starts waiting for work.
func startRun(t *testing.T, l *Loop, ctx context.Context) (release func(), result <-chan error, waiting <-chan struct{}) {
	t.Helper()
	w := make(chan struct{}, 100)
	l.mu.Lock()
	l.onWait = func() {
		select {
		case w <- struct{}{}:
		default:
		}
	}
	l.mu.Unlock()
	release = l.Hold()
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	return release, done, w
}

// Tasks posted and flushed while Run waits run on the flushing goroutine, in order,
// each followed by a microtask checkpoint, before Flush returns.
func TestFlushRunsTasksOnTheCaller(t *testing.T) {
	l, lines := newLoop(t, Options{})
	release, done, waiting := startRun(t, l, context.Background())
	<-waiting
	vm := l.VM()
	for _, name := range []string{"a", "b"} {
		l.Post(func() {
			_, err := vm.RunString(`log("task ` + name + `"); Promise.resolve().then(() => log("microtask ` + name + `"))`)
			if err != nil {
				t.Error(err)
			}
		})
	}
	l.Flush()
	if got := strings.Join(lines(), ", "); got != "task a, microtask a, task b, microtask b" {
		t.Fatalf("after Flush: %s", got)
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Tasks posted at once with PostN run in order with the tasks posted around them,
// each followed by a microtask checkpoint.
func TestPostN(t *testing.T) {
	l, lines := newLoop(t, Options{})
	release, done, waiting := startRun(t, l, context.Background())
	<-waiting
	vm := l.VM()
	task := func(name string) func() {
		return func() {
			if _, err := vm.RunString(`log("task ` + name + `"); Promise.resolve().then(() => log("microtask ` + name + `"))`); err != nil {
				t.Error(err)
			}
		}
	}
	l.Post(task("a"))
	next := 0
	l.PostN(func() { next++; task(string(rune('0' + next)))() }, 3)
	l.PostN(task("none"), 0)
	l.Post(task("b"))
	l.Flush()
	want := "task a, microtask a, task 1, microtask 1, task 2, microtask 2, task 3, microtask 3, task b, microtask b"
	if got := strings.Join(lines(), ", "); got != want {
		t.Fatalf("after Flush: %s", got)
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A posted task that is never flushed runs when the loop wakes for something else,
// in queue order.
func TestPostedTaskRunsAtTheNextWake(t *testing.T) {
	l, lines := newLoop(t, Options{})
	release, done, waiting := startRun(t, l, context.Background())
	<-waiting
	l.Post(func() { _, _ = l.VM().RunString(`log("posted")`) })
	finished := make(chan struct{})
	l.Queue(func() { _, _ = l.VM().RunString(`log("queued")`); close(finished) })
	<-finished
	if got := strings.Join(lines(), ", "); got != "posted, queued" {
		t.Fatalf("got %s", got)
	}
	release()
	<-done
}

// While the loop goroutine runs a task, Flush does not run tasks beside it: it wakes
// the loop, which runs them after.
func TestFlushWhileTheLoopIsBusy(t *testing.T) {
	l, lines := newLoop(t, Options{})
	release, done, _ := startRun(t, l, context.Background())
	inTask, leave := make(chan struct{}), make(chan struct{})
	l.Queue(func() { close(inTask); <-leave })
	<-inTask
	finished := make(chan struct{})
	l.Post(func() { _, _ = l.VM().RunString(`log("posted")`); close(finished) })
	l.Flush()
	if got := lines(); len(got) != 0 {
		t.Fatalf("ran beside the busy loop: %v", got)
	}
	close(leave)
	<-finished
	release()
	<-done
}

// Run does not return while a flushed task runs, and then sees what the task did:
// Stop, or an interruption by its context.
func TestRunWaitsForAFlushedTask(t *testing.T) {
	t.Run("stop", func(t *testing.T) {
		l, _ := newLoop(t, Options{})
		release, done, waiting := startRun(t, l, context.Background())
		defer release()
		<-waiting
		l.Post(l.Stop)
		l.Flush()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after Stop in a flushed task")
		}
	})
	t.Run("interrupt", func(t *testing.T) {
		l, _ := newLoop(t, Options{})
		ctx, cancel := context.WithCancel(context.Background())
		release, done, waiting := startRun(t, l, ctx)
		defer release()
		<-waiting
		started := make(chan struct{})
		flushed := make(chan struct{})
		l.Post(func() {
			close(started)
			_, err := l.VM().RunString(`for (;;) {}`)
			var ie *goja.InterruptedError
			if !errors.As(err, &ie) {
				t.Errorf("endless script ended with %v", err)
			}
			l.ReportException(err)
		})
		go func() { l.Flush(); close(flushed) }()
		<-started
		// The task is running on the Flush caller: Run is held off, not returned.
		l.mu.Lock()
		held := l.flushed
		l.mu.Unlock()
		select {
		case <-done:
			t.Fatal("Run returned while a flushed task was running")
		default:
		}
		if !held {
			t.Fatal("a flushed task runs without Run being held off")
		}
		cancel()
		<-flushed
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
	})
}

// A timer started by a flushed task fires: Run, waiting on a clock set before the
// timer existed, is woken to set it again.
func TestTimerStartedByAFlushedTask(t *testing.T) {
	l, lines := newLoop(t, Options{})
	release, done, waiting := startRun(t, l, context.Background())
	<-waiting
	fired := make(chan struct{})
	_ = l.VM().Set("fired", func() { close(fired) })
	l.Post(func() { _, _ = l.VM().RunString(`setTimeout(() => { log("timer"); fired() }, 1)`) })
	l.Flush()
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatal("the timer never fired")
	}
	if got := strings.Join(lines(), ","); got != "timer" {
		t.Fatalf("got %s", got)
	}
	release()
	<-done
}
