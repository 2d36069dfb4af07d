package eventloop

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestMaxTimers(t *testing.T) {
	// try(f) logs what f threw, or "ok".
	const try = `function try_(f) { try { f(); log("ok") } catch (e) { log(e.name + ": " + e.message) } }
`
	const full = "RangeError: Failed to execute 'setTimeout': too many timers are pending (the limit is 2)."
	cases := []struct {
		name string
		max  int
		src  string
		want []string
	}{
		{"setTimeout beyond the bound", 2, `
			const a = setTimeout(() => {}, 1e9), b = setTimeout(() => {}, 1e9);
			try_(() => setTimeout(() => {}, 0));
			clearTimeout(a); clearTimeout(b);`,
			[]string{full}},
		{"setInterval beyond the bound", 2, `
			const a = setInterval(() => {}, 1e9), b = setTimeout(() => {}, 1e9);
			try_(() => setInterval(() => {}, 0));
			clearInterval(a); clearTimeout(b);`,
			[]string{"RangeError: Failed to execute 'setInterval': too many timers are pending (the limit is 2)."}},
		{"clearTimeout frees a slot", 2, `
			const a = setTimeout(() => {}, 1e9), b = setTimeout(() => {}, 1e9);
			clearTimeout(a);
			try_(() => setTimeout(() => log("fired"), 0));
			clearTimeout(b);`,
			[]string{"ok", "fired"}},
		{"a fired setTimeout frees its slot once its callback has run", 2, `
			setTimeout(() => log("a"), 0);
			setTimeout(() => {
				try_(() => setTimeout(() => log("c"), 0));
				try_(() => setTimeout(() => log("d"), 0));
			}, 1);`,
			[]string{"a", "ok", full, "c"}},
		{"an interval holds its slot until cleared", 1, `
			let n = 0;
			const id = setInterval(() => {
				if (++n < 3) return;
				try_(() => setTimeout(() => {}, 0));
				clearInterval(id);
				try_(() => setTimeout(() => log("after"), 0));
			}, 0);`,
			[]string{"RangeError: Failed to execute 'setTimeout': too many timers are pending (the limit is 1).", "ok", "after"}},
		{"the RangeError is the realm's own", 1, `
			const RE = RangeError;
			globalThis.RangeError = function Fake() {};
			setTimeout(() => {}, 0);
			try { setTimeout(() => {}, 0) } catch (e) { log(String(e instanceof RE && Object.getPrototypeOf(e) === RE.prototype)) }`,
			[]string{"true"}},
		{"zero is no bound", 0, `
			const ids = [];
			for (let i = 0; i < 10000; i++) ids.push(setTimeout(() => {}, 1e9));
			ids.forEach(clearTimeout);
			log(String(ids.length));`,
			[]string{"10000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, lines := newLoop(t, Options{MaxTimers: c.max})
			if err := runScript(t, l, try+c.src); err != nil {
				t.Fatal(err)
			}
			if got := lines(); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestTimerFlood checks that a script that starts timers without end meets
// the bound instead of running until its deadline.
func TestTimerFlood(t *testing.T) {
	var thrown string
	var l *Loop
	l, _ = newLoop(t, Options{MaxTimers: 1000, OnException: func(exc *goja.Exception) {
		thrown = exc.Value().String()
		l.Stop() // the timers would keep the loop running
	}})
	if err := runScript(t, l, `for (;;) setTimeout(() => {}, 1e9)`); err != nil {
		t.Fatal(err)
	}
	if want := "RangeError: Failed to execute 'setTimeout': too many timers are pending (the limit is 1000)."; thrown != want {
		t.Errorf("threw %q, want %q", thrown, want)
	}
	if n := l.timers.len(); n != 1000 {
		t.Errorf("%d timers pending, want 1000", n)
	}
}
