package eventloop

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// newLoop returns a loop whose script can log lines with log(...), read back with lines().
func newLoop(t *testing.T, opts Options) (*Loop, func() []string) {
	t.Helper()
	vm := goja.New()
	var mu sync.Mutex
	var out []string
	_ = vm.Set("log", func(s string) {
		mu.Lock()
		out = append(out, s)
		mu.Unlock()
	})
	if opts.Stderr == nil {
		opts.Stderr = &bytes.Buffer{}
	}
	l := New(vm, opts)
	t.Cleanup(l.Close)
	return l, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), out...)
	}
}

func runScript(t *testing.T, l *Loop, src string) error {
	t.Helper()
	l.Queue(func() {
		_, _ = l.RunProgram(goja.MustCompile("test.js", src, false))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return l.Run(ctx)
}

func TestOrdering(t *testing.T) {
	cases := []struct {
		name, src string
		want      string
	}{
		{"microtasks before timers", `
			setTimeout(() => log("timeout"), 0);
			Promise.resolve().then(() => log("promise"));
			queueMicrotask(() => log("microtask"));
			log("sync");`,
			"sync promise microtask timeout"},
		{"microtasks drain between timer tasks", `
			setTimeout(() => { log("t1"); Promise.resolve().then(() => log("p1")); }, 0);
			setTimeout(() => { log("t2"); queueMicrotask(() => log("m2")); }, 0);`,
			"t1 p1 t2 m2"},
		{"timers by due time then insertion", `
			setTimeout(() => log("c"), 20);
			setTimeout(() => log("a"), 0);
			setTimeout(() => log("b"), 0);
			setTimeout(() => log("d"), 20);`,
			"a b c d"},
		{"extra arguments and this", `
			setTimeout(function (x, y) { log(String(this === globalThis) + x + y); }, 0, "-1", "-2");`,
			"true-1-2"},
		{"string handler", `setTimeout("log('from string')", 0);`, "from string"},
		{"string handler with a syntax error is reported, later tasks run", `
			setTimeout("log(", 0); setTimeout(() => log("after"), 0);`, "after"},
		{"negative and NaN timeouts are zero", `
			setTimeout(() => log("b"), 1);
			setTimeout(() => log("a"), -100);
			setTimeout(() => log("n"), NaN);`,
			"a n b"},
		{"interval repeats until cleared", `
			let n = 0;
			const id = setInterval(() => { log("i" + (++n)); if (n === 3) clearInterval(id); }, 0);`,
			"i1 i2 i3"},
		{"clearTimeout cancels a due timer", `
			const a = setTimeout(() => log("never"), 0);
			setTimeout(() => log("ran"), 0);
			clearTimeout(a);`,
			"ran"},
		{"clearTimeout from an earlier task of the same batch", `
			let b;
			setTimeout(() => { log("a"); clearTimeout(b); }, 0);
			b = setTimeout(() => log("b"), 0);`,
			"a"},
		{"async await interleaving", `
			(async () => {
				log("a1");
				await null;
				log("a2");
				await new Promise(r => setTimeout(r, 0));
				log("a3");
			})();
			Promise.resolve().then(() => log("p"));
			log("sync");`,
			"a1 sync a2 p a3"},
		{"ids are positive and unique", `
			const ids = [setTimeout(() => {}, 0), setInterval(() => {}, 0), setTimeout(() => {}, 0)];
			clearInterval(ids[1]);
			log(String(ids.every(i => i > 0) && new Set(ids).size === 3));`,
			"true"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, lines := newLoop(t, Options{})
			if err := runScript(t, l, c.src); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(lines(), " "); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestNestedTimersClamp(t *testing.T) {
	l, _ := newLoop(t, Options{})
	var delays []time.Duration
	_ = l.VM().Set("record", func(id int64) {
		delays = append(delays, l.timers.active[id].delay)
	})
	err := runScript(t, l, `
		let depth = 0;
		function step() {
			if (++depth > 8) return;
			record(setTimeout(step, 0));
		}
		record(setTimeout(step, 0));`)
	if err != nil {
		t.Fatal(err)
	}
	// Step 5 of the timer initialization steps
	// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timer-initialisation-steps):
	// once the nesting level exceeds 5, timeouts below 4 ms become 4 ms. Timers are created
	// at nesting levels 0..8.
	want := []time.Duration{0, 0, 0, 0, 0, 0, 4, 4, 4}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if len(delays) != len(want) {
		t.Fatalf("recorded %d timers, want %d", len(delays), len(want))
	}
	for i := range want {
		if delays[i] != want[i] {
			t.Fatalf("timer %d: delay %v, want %v (all: %v)", i, delays[i], want[i], delays)
		}
	}
}

func TestIntervalNestingGrows(t *testing.T) {
	l, _ := newLoop(t, Options{})
	var delays []time.Duration
	_ = l.VM().Set("record", func(id int64) {
		delays = append(delays, l.timers.active[id].delay)
	})
	err := runScript(t, l, `
		let n = 0, id;
		id = setInterval(() => { if (++n === 8) clearInterval(id); else Promise.resolve().then(() => record(id)); }, 0);`)
	if err != nil {
		t.Fatal(err)
	}
	// The interval's own runs count as nesting: from its 6th run on it is clamped to 4 ms.
	if len(delays) != 7 || delays[3] != 0 || delays[6] != 4*time.Millisecond {
		t.Fatalf("interval delays %v", delays)
	}
}

func TestQueueFromManyGoroutines(t *testing.T) {
	l, _ := newLoop(t, Options{})
	release := l.Hold()
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	counts := make([]int, goroutines)
	last := make([]int, goroutines)
	ordered := true
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				l.Queue(func() {
					// Tasks from one goroutine keep their order (FIFO).
					if i != last[g] {
						ordered = false
					}
					last[g] = i + 1
					counts[g]++
				})
			}
		}()
	}
	go func() { wg.Wait(); l.Queue(release) }()
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for g, n := range counts {
		if n != each {
			t.Fatalf("goroutine %d: %d tasks ran, want %d", g, n, each)
		}
	}
	if !ordered {
		t.Fatal("tasks from one goroutine ran out of order")
	}
}

func TestCancelInterruptsScript(t *testing.T) {
	l, _ := newLoop(t, Options{})
	started := make(chan struct{})
	_ = l.VM().Set("started", func() { close(started) })
	l.Queue(func() {
		_, err := l.VM().RunString(`started(); while (true) {}`)
		l.ReportException(err)
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	err := l.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	// The loop is usable again afterwards.
	if err := runScript(t, l, `log("again")`); err != nil {
		t.Fatalf("second Run: %v", err)
	}
}

func TestDeadlineInterruptsTimerLoop(t *testing.T) {
	l, _ := newLoop(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	l.Queue(func() { _, _ = l.VM().RunString(`setInterval(() => {}, 1)`) })
	if err := l.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run returned %v", err)
	}
}

func TestUncaughtExceptionsReported(t *testing.T) {
	var got []string
	l, lines := newLoop(t, Options{OnException: func(exc *goja.Exception) {
		got = append(got, exc.Value().String())
	}})
	err := runScript(t, l, `
		setTimeout(() => { throw new Error("from timer"); }, 0);
		setTimeout(() => log("next task still runs"), 0);
		queueMicrotask(() => { throw new TypeError("from microtask"); });
		reportError(new RangeError("reported"));
		throw "from script";`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"RangeError: reported", "from script", "TypeError: from microtask", "Error: from timer"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("reported %q, want %q", got, want)
	}
	if strings.Join(lines(), "") != "next task still runs" {
		t.Fatalf("lines %q", lines())
	}
}

func TestDefaultReportGoesToStderr(t *testing.T) {
	var stderr bytes.Buffer
	l, _ := newLoop(t, Options{Stderr: &stderr})
	if err := runScript(t, l, `setTimeout(() => { throw new Error("boom"); }, 0); Promise.reject(new Error("nobody"));`); err != nil {
		t.Fatal(err)
	}
	out := stderr.String()
	if !strings.Contains(out, "Uncaught Error: boom") || !strings.Contains(out, "Uncaught (in promise) Error: nobody") {
		t.Fatalf("stderr: %q", out)
	}
}

func TestUnhandledRejections(t *testing.T) {
	var reasons []string
	l, _ := newLoop(t, Options{OnUnhandledRejection: func(p *goja.Promise) {
		reasons = append(reasons, p.Result().String())
	}})
	err := runScript(t, l, `
		Promise.reject("unhandled");
		const handledLater = Promise.reject("handled in the same task");
		handledLater.catch(() => {});
		(async () => { throw "async"; })();
		setTimeout(() => Promise.reject("in timer"), 0);`)
	if err != nil {
		t.Fatal(err)
	}
	want := "unhandled|async|in timer"
	if strings.Join(reasons, "|") != want {
		t.Fatalf("got %q, want %q", reasons, want)
	}
}

func TestQueueMicrotaskNeedsFunction(t *testing.T) {
	l, lines := newLoop(t, Options{})
	err := runScript(t, l, `
		for (const bad of [undefined, 1, "x", {}]) {
			try { queueMicrotask(bad); log("no throw"); } catch (e) { log(e.constructor.name); }
		}
		try { setTimeout(); } catch (e) { log(e.constructor.name); }
		log(String([setTimeout.length, setInterval.length, clearTimeout.length, queueMicrotask.length, setTimeout.name]));`)
	if err != nil {
		t.Fatal(err)
	}
	want := "TypeError TypeError TypeError TypeError TypeError 1,1,0,1,setTimeout"
	if got := strings.Join(lines(), " "); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestHoldKeepsLoopAlive(t *testing.T) {
	l, lines := newLoop(t, Options{})
	release := l.Hold()
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background()) }()
	// Work arriving from another goroutine while held, as socket events do.
	if err := l.Do(context.Background(), func() error {
		_, err := l.VM().RunString(`log("from Do")`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while a hold was outstanding", err)
	default:
	}
	release()
	release() // idempotent
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines(), ""); got != "from Do" {
		t.Fatalf("got %q", got)
	}
	l.mu.Lock()
	holds := l.holds
	l.mu.Unlock()
	if holds != 0 {
		t.Fatalf("holds = %d after double release", holds)
	}
}

func TestStopLeavesWorkForNextRun(t *testing.T) {
	l, lines := newLoop(t, Options{})
	_ = l.VM().Set("stop", l.Stop)
	if err := runScript(t, l, `setTimeout(() => log("later"), 0); log("first"); stop();`); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines(), " "); got != "first" {
		t.Fatalf("after Stop: %q", got)
	}
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines(), " "); got != "first later" {
		t.Fatalf("after second Run: %q", got)
	}
}

func TestCloseEndsRunAndRefusesTasks(t *testing.T) {
	l, _ := newLoop(t, Options{})
	closed := make(chan struct{})
	l.OnClose(func() { close(closed) })
	release := l.Hold()
	defer release()
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background()) }()
	if err := l.Do(context.Background(), func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	l.Close()
	<-closed
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Fatalf("Run returned %v, want ErrClosed", err)
	}
	if l.Queue(func() {}) {
		t.Fatal("Queue accepted a task after Close")
	}
	if err := l.Run(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close: %v", err)
	}
}

func TestRunTwiceAtOnce(t *testing.T) {
	l, _ := newLoop(t, Options{})
	release := l.Hold()
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background()) }()
	_ = l.Do(context.Background(), func() error { return nil })
	if err := l.Run(context.Background()); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Run: %v", err)
	}
	release()
	<-done
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		vm := goja.New()
		l := New(vm, Options{Stderr: &bytes.Buffer{}})
		l.Queue(func() { _, _ = vm.RunString(`setTimeout(() => {}, 1); setInterval(() => {}, 1000)`) })
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_ = l.Run(ctx)
		cancel()
		l.Close()
	}
	// Goroutines of finished timers and contexts exit asynchronously; wait for them.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}

func TestContextFollowsRunAndClose(t *testing.T) {
	l, _ := newLoop(t, Options{})
	outside := l.Context()
	if outside.Err() != nil {
		t.Fatal("context done before anything happened")
	}
	// Inside a Run, the context ends with Run's context.
	ctx, cancel := context.WithCancel(context.Background())
	blocked := make(chan error, 1)
	l.Queue(func() {
		inner := l.Context()
		cancel()
		<-inner.Done() // a blocking task is released by the cancellation
		blocked <- inner.Err()
	})
	if err := l.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	if err := <-blocked; !errors.Is(err, context.Canceled) {
		t.Fatalf("task context: %v", err)
	}
	// Close ends the context given outside runs, and that of a run in progress.
	release := l.Hold()
	defer release()
	started := make(chan context.Context, 1)
	l.Queue(func() { started <- l.Context() })
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background()) }()
	inRun := <-started
	l.Close()
	<-inRun.Done()
	<-outside.Done()
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close: %v", err)
	}
}
