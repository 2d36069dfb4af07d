package abort

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func TestInterfaces(t *testing.T) {
	vm := goja.New()
	newRealm(t, vm, func(func()) bool { return false })
	checks := []string{
		`describe(globalThis, "AbortController") === "value,writable,configurable" && describe(globalThis, "AbortSignal") === "value,writable,configurable"`,
		`AbortController.length === 0 && AbortSignal.length === 0`,
		`Object.getPrototypeOf(AbortSignal) === EventTarget && Object.getPrototypeOf(AbortSignal.prototype) === EventTarget.prototype`,
		`Object.getPrototypeOf(AbortController.prototype) === Object.prototype`,
		`describe(AbortController.prototype, "signal") === "get,enumerable,configurable"`,
		`describe(AbortController.prototype, "abort") === "value,writable,enumerable,configurable" && AbortController.prototype.abort.length === 0`,
		`describe(AbortSignal.prototype, "aborted") === "get,enumerable,configurable" && describe(AbortSignal.prototype, "reason") === "get,enumerable,configurable"`,
		`describe(AbortSignal.prototype, "onabort") === "get,set,enumerable,configurable"`,
		`describe(AbortSignal.prototype, "throwIfAborted") === "value,writable,enumerable,configurable" && AbortSignal.prototype.throwIfAborted.length === 0`,
		`["abort", "timeout", "any"].every(k => describe(AbortSignal, k) === "value,writable,enumerable,configurable")`,
		`AbortSignal.abort.length === 0 && AbortSignal.timeout.length === 1 && AbortSignal.any.length === 1`,
		`String(new AbortController()) === "[object AbortController]" && String(new AbortController().signal) === "[object AbortSignal]"`,
		`(() => { try { new AbortSignal(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortController(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortSignal.prototype.throwIfAborted.call(new EventTarget()); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(AbortController.prototype, "signal").get.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`new AbortController().signal instanceof EventTarget`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

func TestControllerAndSignal(t *testing.T) {
	vm := goja.New()
	_, reported := newRealm(t, vm, nil)
	checks := []string{
		`(() => { const c = new AbortController(); return c.signal === c.signal && c.signal.aborted === false && c.signal.reason === undefined && c.signal.onabort === null })()`,
		`(() => { const c = new AbortController(); c.signal.throwIfAborted(); return true })()`,
		`(() => { const c = new AbortController(); c.abort(); const r = c.signal.reason;
			return c.signal.aborted && r instanceof DOMException && r.name === "AbortError" && r.code === 20 && c.signal.reason === r })()`,
		`(() => { const c = new AbortController(); c.abort(undefined); return c.signal.reason.name === "AbortError" })()`,
		`(() => { const c = new AbortController(); const why = {}; c.abort(why); c.abort("again"); return c.signal.reason === why })()`,
		`(() => { const c = new AbortController(); c.abort(null); return c.signal.aborted && c.signal.reason === null })()`,
		`(() => { const c = new AbortController(); const why = new Error("x"); c.abort(why); try { c.signal.throwIfAborted(); return false } catch (e) { return e === why } })()`,
		`(() => { const c = new AbortController(); c.abort(0); try { c.signal.throwIfAborted(); return false } catch (e) { return e === 0 } })()`,
		// The abort event: once, trusted, with handler and listeners in
		// the order they were added.
		`(() => { const c = new AbortController(); const log = [];
			c.signal.onabort = e => log.push("handler:" + e.type + ":" + e.isTrusted + ":" + (e.target === c.signal) + ":" + e.bubbles + ":" + e.cancelable);
			c.signal.addEventListener("abort", function () { log.push("listener:" + this.aborted) });
			c.abort(); c.abort();
			return log.join() === "handler:abort:true:true:false:false,listener:true" })()`,
		`(() => { const s = AbortSignal.abort(); let n = 0; s.onabort = () => n++; return s.aborted && s.reason.name === "AbortError" && n === 0 })()`,
		`(() => { const why = {}; return AbortSignal.abort(why).reason === why && AbortSignal.abort() !== AbortSignal.abort() })()`,
		// addEventListener's signal option.
		`(() => { const c = new AbortController(); const t = new EventTarget(); let n = 0;
			t.addEventListener("x", () => n++, {signal: c.signal});
			t.dispatchEvent(new Event("x")); c.abort(); t.dispatchEvent(new Event("x"));
			return n === 1 })()`,
		`(() => { const t = new EventTarget(); let n = 0; t.addEventListener("x", () => n++, {signal: AbortSignal.abort()}); t.dispatchEvent(new Event("x")); return n === 0 })()`,
		`(() => { try { new EventTarget().addEventListener("x", () => {}, {signal: {}}); return false } catch (e) { return e instanceof TypeError } })()`,
		// Listeners that abort or remove during the abort event.
		`(() => { const c = new AbortController(); const t = new EventTarget(); const log = [];
			c.signal.addEventListener("abort", () => log.push("first"));
			t.addEventListener("x", () => log.push("x"), {signal: c.signal});
			c.signal.addEventListener("abort", () => t.dispatchEvent(new Event("x")));
			c.abort(); return log.join() === "first" })()`,
		`(() => { const c = new AbortController(); c.signal.addEventListener("abort", () => { throw new Error("boom") }); let after = false; c.signal.addEventListener("abort", () => after = true); c.abort(); return after })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
	if len(*reported) != 1 || !strings.Contains((*reported)[0].Error(), "boom") {
		t.Errorf("reported %v, want the one listener exception", *reported)
	}
}

func TestAny(t *testing.T) {
	vm := goja.New()
	newRealm(t, vm, nil)
	checks := []string{
		`(() => { const s = AbortSignal.any([]); return s instanceof AbortSignal && !s.aborted })()`,
		`(() => { const why = {}; const s = AbortSignal.any([new AbortController().signal, AbortSignal.abort(why)]); return s.aborted && s.reason === why })()`,
		`(() => { const c1 = new AbortController(), c2 = new AbortController(); const s = AbortSignal.any([c1.signal, c2.signal]);
			const log = [];
			c1.signal.onabort = () => log.push("c1:" + s.aborted);
			s.onabort = () => log.push("any:" + (s.reason === "r1"));
			c1.abort("r1"); c2.abort("r2");
			return log.join() === "c1:true,any:true" && s.reason === "r1" })()`,
		// A dependent signal of a dependent signal follows the sources.
		`(() => { const c = new AbortController(); const d1 = AbortSignal.any([c.signal]); const d2 = AbortSignal.any([d1]);
			const log = []; d1.onabort = () => log.push("d1"); d2.onabort = () => log.push("d2");
			c.abort(); return log.join() === "d1,d2" && d2.reason === c.signal.reason })()`,
		`(() => { const c = new AbortController(); const s = AbortSignal.any([c.signal, c.signal]); let n = 0; s.onabort = () => n++; c.abort(); return n === 1 })()`,
		`(() => { const c = new AbortController(); const s = AbortSignal.any(new Set([c.signal])); c.abort(); return s.aborted })()`,
		`(() => { try { AbortSignal.any([{}]); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortSignal.any(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortSignal.any(new AbortController().signal); return false } catch (e) { return e instanceof TypeError } })()`,
		// Event order across dependents: the source's event first, then
		// each dependent's, in the order they were created.
		`(() => { const c = new AbortController(); const a = AbortSignal.any([c.signal]), b = AbortSignal.any([c.signal]); const log = [];
			b.onabort = () => log.push("b:" + a.aborted); a.onabort = () => log.push("a"); c.signal.onabort = () => log.push("c:" + a.aborted + b.aborted);
			c.abort(); return log.join() === "c:truetrue,a,b:true" })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

// TestAnyMemory checks that aborted dependent signals are released by
// their sources, and that a dependent signal with a listener survives
// garbage collection while its source lives.
func TestAnyMemory(t *testing.T) {
	vm := goja.New()
	r, _ := newRealm(t, vm, nil)
	if _, err := vm.RunString(`
		globalThis.c = new AbortController();
		globalThis.fired = 0;
		(() => { AbortSignal.any([c.signal]).onabort = () => fired++ })();
		for (let i = 0; i < 100; i++) { const d = new AbortController(); const s = AbortSignal.any([c.signal, d.signal]); d.abort() }
	`); err != nil {
		t.Fatal(err)
	}
	impl, _ := r.Impl(vm.Get("c").(*goja.Object).Get("signal"), "AbortSignal")
	source := impl.(*signalImpl)
	if n := len(source.dependents); n != 1 {
		t.Errorf("source holds %d dependent signals, want 1", n)
	}
	for i := 0; i < 5; i++ {
		runtime.GC()
	}
	assertJS(t, vm, `c.abort(), fired === 1`)
	if len(source.dependents) != 0 {
		t.Errorf("aborted source still holds %d dependents", len(source.dependents))
	}
}

// runUntilDone runs src on a new event loop with the abort binding, holding
// the loop (timeouts are no hold on it) until the script calls done(s), and
// returns the runtime and s.
func runUntilDone(t *testing.T, src string) (*goja.Runtime, string) {
	t.Helper()
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	t.Cleanup(loop.Close)
	newRealm(t, vm, loop.Queue)
	done := make(chan string, 1)
	vm.Set("done", func(s string) { done <- s })
	loop.Queue(func() {
		if _, err := vm.RunString(src); err != nil {
			t.Error(err)
		}
	})
	release := loop.Hold()
	go func() {
		got := <-done
		done <- got
		release()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
	return vm, <-done
}

func TestTimeout(t *testing.T) {
	vm, got := runUntilDone(t, `
		const started = Date.now();
		const s = AbortSignal.timeout(5);
		const zero = AbortSignal.timeout(0);
		const log = [s.aborted];
		s.onabort = () => {
			log.push(s.aborted, s.reason instanceof DOMException, s.reason.name, s.reason.code, zero.aborted, Date.now() - started >= 4);
			done(log.join());
		};
	`)
	if got != "false,true,true,TimeoutError,23,true,true" {
		t.Errorf("timeout signal: %s", got)
	}
	for _, c := range []string{
		`(() => { try { AbortSignal.timeout(-1); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortSignal.timeout(2 ** 53); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortSignal.timeout(NaN); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { AbortSignal.timeout(); return false } catch (e) { return e instanceof TypeError } })()`,
		`!AbortSignal.timeout(2 ** 53 - 1).aborted`,
	} {
		assertJS(t, vm, c)
	}
}

// TestTimeoutOrder checks that timeouts fire in the order HTML's "run steps
// after a timeout" gives
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#run-steps-after-a-timeout):
// by when they are due, then by when they started, however the Go timers behind
// them are scheduled; and that each fires in a task of its own, with a
// microtask checkpoint between. The timeouts are far enough apart (20 ms and
// more) that the time it takes to start them, even on a loaded machine, does
// not change which is due first.
func TestTimeoutOrder(t *testing.T) {
	_, got := runUntilDone(t, `
		const log = [];
		const ms = [100, 0, 50, 50, 20, 0];
		ms.forEach((n, i) => {
			AbortSignal.timeout(n).onabort = () => {
				log.push(i);
				queueMicrotask(() => log.push("m" + i));
				if (log.length === 2 * ms.length - 1) setTimeout(() => done(log.join()), 0);
			};
		});
	`)
	if want := "1,m1,5,m5,4,m4,2,m2,3,m3,0,m0"; got != want {
		t.Errorf("abort order %s, want %s", got, want)
	}
}

// TestTimeoutOrderWhenTimersRace checks the order of timeouts whose Go
// timers all fire while the loop is busy, so that their tasks are queued in
// whatever order the timers' goroutines ran: the task of a timer that came
// between two timeouts firing fired the later one first ("132" in WPT's
// dom/abort/timeout.any.js, one run in ten on a loaded machine).
func TestTimeoutOrderWhenTimersRace(t *testing.T) {
	_, got := runUntilDone(t, `
		const wrong = [];
		function round(n) {
			if (n === 0) return done(wrong.join() || "ok");
			let log = "";
			for (const i of [1, 2, 3, 4]) {
				AbortSignal.timeout(1).onabort = () => {
					log += i;
					if (i === 4) {
						if (log !== "1234") wrong.push(log);
						round(n - 1);
					}
				};
			}
			// Keep the loop busy until every timer has queued its task.
			const end = Date.now() + 4;
			while (Date.now() < end) {}
		}
		round(100);
	`)
	if got != "ok" {
		t.Errorf("abort order in the rounds that went wrong: %s", got)
	}
}

// TestTimeoutDoesNotKeepLoopAlive checks that Run returns while a long
// timeout is pending.
func TestTimeoutDoesNotKeepLoopAlive(t *testing.T) {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	newRealm(t, vm, loop.Queue)
	loop.Queue(func() {
		if _, err := vm.RunString(`AbortSignal.timeout(3600e3).onabort = () => {}`); err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := loop.Run(ctx); err != nil {
		t.Fatalf("Run: %v (a pending timeout kept the loop alive)", err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatal("Run returned at the deadline")
	}
}

// TestTimeoutReleasesRuntime checks that a pending timeout's timer does not
// keep the runtime alive once nothing else does.
func TestTimeoutReleasesRuntime(t *testing.T) {
	ref := func() weak.Pointer[goja.Runtime] {
		vm := goja.New()
		newRealm(t, vm, func(func()) bool { return true })
		if _, err := vm.RunString(`AbortSignal.timeout(3600e3)`); err != nil {
			t.Fatal(err)
		}
		return weak.Make(vm)
	}()
	for i := 0; i < 20 && ref.Value() != nil; i++ {
		runtime.GC()
	}
	if ref.Value() != nil {
		t.Fatal("a pending timeout keeps its runtime alive")
	}
}

func TestNoQueue(t *testing.T) {
	vm := goja.New()
	newRealm(t, vm, nil)
	assertJS(t, vm, `!("timeout" in AbortSignal) && typeof AbortSignal.any === "function"`)
}

// TestTimeoutKeepsLoopAlive checks that with Options.TimeoutsKeepAlive a
// pending timeout keeps Run going until its signal aborts, and no longer.
func TestTimeoutKeepsLoopAlive(t *testing.T) {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	r := webidl.NewRealm(vm)
	env := bindings.NewEnv(r, loop)
	bindings.Configure(env, Options{TimeoutsKeepAlive: true})
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	loop.Queue(func() {
		if _, err := vm.RunString(`
			var log = [];
			for (const ms of [20, 5, 5]) AbortSignal.timeout(ms).onabort = () => log.push(ms);`); err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := vm.Get("log").String(); got != "5,5,20" {
		t.Errorf("Run returned with %q fired, want 5,5,20", got)
	}
}
