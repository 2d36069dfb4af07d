package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/wpt-runner/manifest"
	"github.com/wsjs/wsjs/wpt-runner/results"
)

//go:embed reporter.js
var reporterSource string

var reporterProgram = goja.MustCompile("wpt-runner/reporter.js", reporterSource, true)

// hostName is the global property through which the reporter talks to the
// runner; it is not enumerable.
const hostName = "__wsjsWPT"

// runner runs tests.
type runner struct {
	env               *env
	loader            *loader
	timeoutMultiplier float64
	// grace is how long the harness gets to report after the runner told
	// it that time is up, and how long a test that cannot be stopped
	// politely gets before its runtime is closed.
	grace time.Duration
}

// timeout returns the time test t gets: 10 s, or 60 s for a long test, as in
// testharness.js (settings.harness_timeout), times the multiplier.
func (r *runner) timeout(t manifest.Test) time.Duration {
	d := 10 * time.Second
	if t.Long {
		d = 60 * time.Second
	}
	return time.Duration(float64(d) * r.timeoutMultiplier)
}

// harnessReport is what the reporter hands over at completion.
type harnessReport struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Tests   []struct {
		Name    string `json:"name"`
		Status  int    `json:"status"`
		Message string `json:"message"`
	} `json:"tests"`
}

// harness is the runner's side of one test's reporter.
type harness struct {
	mu       sync.Mutex
	partial  []results.Subtest // from result callbacks, for a harness that never completes
	report   *harnessReport
	done     chan struct{}
	doneOnce sync.Once
	bad      error // a completion report that could not be read
}

func (h *harness) result(name string, status int, message string) {
	h.mu.Lock()
	h.partial = append(h.partial, results.Subtest{Name: name, Status: results.SubtestStatus(status), Message: message})
	h.mu.Unlock()
}

// partialResults returns the results reported so far.
func (h *harness) partialResults() []results.Subtest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]results.Subtest(nil), h.partial...)
}

func (h *harness) complete(data string) {
	var rep harnessReport
	err := json.Unmarshal([]byte(data), &rep)
	h.mu.Lock()
	if h.report == nil && h.bad == nil {
		if err != nil {
			h.bad = fmt.Errorf("reading the harness report: %w", err)
		} else {
			h.report = &rep
		}
	}
	h.mu.Unlock()
	h.doneOnce.Do(func() { close(h.done) })
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
			b.buf.WriteString("\n[output cut]\n")
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// run runs test t in a fresh runtime and returns its result and the log of
// the run (console output, uncaught errors, scripts that failed to load).
func (r *runner) run(ctx context.Context, t manifest.Test) (res results.Result, log string) {
	start := time.Now()
	res = results.Result{Test: t.URL, Group: results.Group(string(t.Global), t.Variant)}
	out := &limitedBuffer{max: 64 << 10}
	defer func() {
		if p := recover(); p != nil {
			res.Status, res.Message, res.Subtests = results.Crash, fmt.Sprintf("panic: %v", p), nil
			fmt.Fprintf(out, "panic: %v\n%s", p, debug.Stack())
		}
		res.Duration = time.Since(start)
		log = out.String()
	}()

	u, err := r.env.testURL(t)
	if err != nil {
		res.Status, res.Message = results.Error, err.Error()
		return res, ""
	}
	pg, err := r.loader.load(ctx, t, u)
	if err != nil {
		res.Status, res.Message = results.Error, "loading the test page: "+err.Error()
		return res, ""
	}
	rt, err := runtime.New(runtimeOptions(r.env, u, out, pg.isolated))
	if err != nil {
		res.Status, res.Message = results.Error, "creating the runtime: "+err.Error()
		return res, ""
	}
	defer rt.Close()
	if t.Global == manifest.ServiceWorker || t.Global == manifest.ServiceWorkerModule {
		// The page would fail at navigator.serviceWorker.getRegistration;
		// say why instead.
		if has, err := hasServiceWorkers(ctx, rt); err == nil && !has {
			res.Status, res.Message = results.Error, "service workers are not supported: the runtime has no navigator.serviceWorker"
			return res, ""
		}
	}

	h := &harness{done: make(chan struct{})}
	timer := time.NewTimer(r.timeout(t))
	defer timer.Stop()

	// Load the page. A script that never returns is stopped by closing the
	// runtime when time is up.
	var loaded pageRun
	loadDone := make(chan error, 1)
	go func() {
		loadDone <- rt.Do(ctx, func(vm *goja.Runtime) error {
			var err error
			loaded, err = r.loadPage(vm, pg, h, out)
			return err
		})
	}()
	select {
	case err = <-loadDone:
	case <-timer.C:
		rt.Close()
		<-loadDone
		res.Status, res.Message, res.Subtests = results.Timeout, "a script of the page did not return", h.partialResults()
		return res, ""
	case <-ctx.Done():
		rt.Close()
		<-loadDone
		res.Status, res.Message = results.Error, "interrupted"
		return res, ""
	}
	if err != nil {
		res.Status, res.Message = results.Error, "running the page: "+err.Error()
		return res, ""
	}
	hasReporter := loaded.reporter

	// Run the event loop until the harness completes, time is up, or
	// nothing is left that could ever make it complete.
	loopCtx, stopLoop := context.WithCancel(ctx)
	defer stopLoop()
	loopDone := make(chan error, 1)
	go func() { loopDone <- rt.RunScript(loopCtx, "wpt-runner-event-loop.js", "") }()
	timedOut, idle := false, false
	select {
	case <-h.done:
	case <-timer.C:
		timedOut = true
	case err := <-loopDone:
		loopDone <- err
		idle = true
	case <-ctx.Done():
		rt.Close()
		<-loopDone
		res.Status, res.Message = results.Error, "interrupted"
		return res, ""
	}
	if (timedOut || idle) && hasReporter {
		// Tell the harness time is up, as wptrunner does; it then
		// reports every test and completes with status TIMEOUT.
		tctx, cancel := context.WithTimeout(ctx, r.grace)
		err := rt.Do(tctx, func(vm *goja.Runtime) error { return callControl(vm, "timeout") })
		cancel()
		if err == nil {
			select {
			case <-h.done:
			case <-time.After(r.grace):
			}
		}
	}
	rt.Close()
	stopLoop()
	<-loopDone

	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.report != nil:
		res.Status = results.HarnessStatus(h.report.Status)
		res.Message = h.report.Message
		for _, st := range h.report.Tests {
			res.Subtests = append(res.Subtests, results.Subtest{Name: st.Name, Status: results.SubtestStatus(st.Status), Message: st.Message})
		}
	case h.bad != nil:
		res.Status, res.Message, res.Subtests = results.Error, h.bad.Error(), h.partial
	case !hasReporter && loaded.harnessErr != "":
		res.Status, res.Message = results.Error, "testharness.js failed: "+loaded.harnessErr
	case !hasReporter && loaded.sawHarness:
		res.Status, res.Message = results.Error, "testharness.js did not set up its API"
	case !hasReporter:
		res.Status, res.Message = results.Error, "the page did not load /resources/testharness.js"
	default:
		// The harness never completed, not even when told time was up:
		// script that does not return, or a runtime that never runs tasks.
		res.Status, res.Subtests = results.Timeout, h.partial
		res.Message = "the harness did not complete"
		if idle && !timedOut {
			res.Message += " (the event loop ran out of work)"
		}
	}
	return res, ""
}

// loadPage runs the page's scripts in document order, each as HTML's "run a
// classic script"
// (https://html.spec.whatwg.org/multipage/webappapis.html#run-a-classic-script):
// its exceptions are reported ("report an exception",
// https://html.spec.whatwg.org/multipage/webappapis.html#report-an-exception,
// through the global reportError) and a microtask checkpoint follows it, since
// each runs as its own top-level call. The reporter runs in place of
// testharnessreport.js, or right after testharness.js if the page does not load
// testharnessreport.js.
func (r *runner) loadPage(vm *goja.Runtime, pg *page, h *harness, out *limitedBuffer) (pageRun, error) {
	var pr pageRun
	host := vm.NewObject()
	for k, v := range map[string]any{
		"title":             pg.title,
		"remote":            pg.remote,
		"timeoutMultiplier": r.timeoutMultiplier,
		"result":            h.result,
		"complete":          h.complete,
	} {
		if err := host.Set(k, v); err != nil {
			return pr, err
		}
	}
	if err := vm.GlobalObject().DefineDataProperty(hostName, host, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return pr, err
	}
	reportError, _ := goja.AssertFunction(vm.Get("reportError"))
	report := func(v goja.Value) {
		if reportError != nil {
			if _, err := reportError(goja.Undefined(), v); err == nil {
				return
			}
		}
		fmt.Fprintf(out, "uncaught: %v\n", v)
	}
	tried := false
	runReporter := func() {
		if tried {
			return
		}
		tried = true
		if _, err := vm.RunProgram(reporterProgram); err != nil {
			// testharness.js did not define what the reporter needs.
			fmt.Fprintf(out, "wpt-runner reporter: %v\n", err)
			return
		}
		pr.reporter = true
	}
	hasReportScript := false
	for _, s := range pg.scripts {
		if s.report {
			hasReportScript = true
		}
	}
	for _, s := range pg.scripts {
		switch {
		case s.skipped:
			fmt.Fprintf(out, "script not run: %s\n", s.problem)
			continue
		case s.report:
			runReporter()
			continue
		case s.prg == nil:
			fmt.Fprintf(out, "%s: %s\n", s.name, s.problem)
			ctor := "Error"
			if s.syntax {
				ctor = "SyntaxError"
			}
			c, _ := goja.AssertConstructor(vm.Get(ctor))
			if c == nil {
				continue
			}
			e, err := c(nil, vm.ToValue(s.problem))
			if err == nil {
				report(e)
			}
			continue
		}
		_, err := vm.RunProgram(s.prg)
		var exc *goja.Exception
		switch {
		case errors.As(err, &exc):
			if s.harness && pr.harnessErr == "" {
				pr.harnessErr = exc.Value().String()
			}
			report(exc.Value())
		case err != nil:
			return pr, err // interrupted
		}
		if s.harness {
			pr.sawHarness = true
			if !hasReportScript {
				runReporter()
			}
		}
	}
	if !pr.reporter {
		return pr, nil
	}
	return pr, callControl(vm, "loaded")
}

// pageRun tells how loading a page went.
type pageRun struct {
	reporter   bool   // the reporter ran: results will come
	sawHarness bool   // testharness.js ran
	harnessErr string // what testharness.js threw
}

// hasServiceWorkers reports whether rt's main global has
// navigator.serviceWorker, which the page of a service worker test uses.
func hasServiceWorkers(ctx context.Context, rt *runtime.Runtime) (bool, error) {
	has := false
	err := rt.Do(ctx, func(vm *goja.Runtime) error {
		v, err := vm.RunString(`typeof navigator === "object" && navigator !== null && "serviceWorker" in navigator`)
		if err == nil {
			has = v.ToBoolean()
		}
		return err
	})
	return has, err
}

// callControl calls a function the reporter left in the host object.
func callControl(vm *goja.Runtime, name string) error {
	host := vm.GlobalObject().Get(hostName)
	if host == nil || goja.IsUndefined(host) {
		return errors.New("the reporter is gone")
	}
	control := host.ToObject(vm).Get("control")
	if control == nil || goja.IsUndefined(control) {
		return errors.New("the reporter did not install its controls")
	}
	fn, ok := goja.AssertFunction(control.ToObject(vm).Get(name))
	if !ok {
		return fmt.Errorf("the reporter has no %s control", name)
	}
	_, err := fn(control)
	return err
}
