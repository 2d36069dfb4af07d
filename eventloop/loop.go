package eventloop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// ErrClosed is returned by Run and Do once the loop has been closed.
var ErrClosed = errors.New("eventloop: loop is closed")

// ErrRunning is returned by Run when another Run of the same loop is in progress.
var ErrRunning = errors.New("eventloop: loop is already running")

// ErrStaleFrames breaks a loop whose goja runtime no longer runs promise
// jobs: an interrupt or a stack overflow struck inside a promise job and left
// goja believing script still runs (see verifyJobs). Run returns it from then
// on; discard the runtime.
var ErrStaleFrames = errors.New("eventloop: an interrupt or stack overflow inside a promise job left goja unable to run promise jobs; the runtime is unusable")

// A PanicError is a Go panic that a task (script, a timer callback, a binding's
// code, or goja itself) raised on the loop goroutine. The loop recovers it, so
// that it never reaches the embedder's goroutine, but cannot tell what state it
// left the goja runtime in: from then on the loop is broken, and every Run
// returns the PanicError. Discard the runtime.
type PanicError struct {
	Value any    // what was passed to panic
	Stack []byte // the Go stack of the panicking goroutine
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("eventloop: Go panic in a task, the runtime is unusable: %v", e.Value)
}

// Options configure a Loop. The zero value is ready to use.
type Options struct {
	// OnException is called on the loop goroutine for every exception that script did not
	// catch: thrown by a task, a timer callback, a microtask or a callback a binding reported
	// (HTML "report an exception"). Nil prints the exception and its stack to Stderr.
	OnException func(exc *goja.Exception)

	// OnUnhandledRejection is called on the loop goroutine after a task's microtask
	// checkpoint, once for each promise that was rejected during the task and still has no
	// handler (HTML "notify about rejected promises"). Nil prints the reason to Stderr.
	OnUnhandledRejection func(p *goja.Promise)

	// Stderr receives the default reports. Nil means os.Stderr.
	Stderr io.Writer

	// DeferGlobals leaves the globals out of New: InstallGlobals defines
	// them (a runtime that defines its globals on first use calls it then).
	DeferGlobals bool

	// Prepare, if not nil, is called once, on the loop goroutine, before the
	// first task runs (see Loop.Prepare): the host readies the runtime for
	// script there. An error it returns breaks the loop.
	Prepare func() error

	// MaxTimers bounds the timers (setTimeout, setInterval) pending at once: beyond
	// it, setTimeout and setInterval throw a RangeError. A timer is pending from its
	// creation until it is cleared or, for setTimeout, until its callback has run.
	// Zero means no bound.
	MaxTimers int

	// CompileString compiles the source of a timer whose handler is a string
	// (setTimeout("...")). Its error is thrown as a SyntaxError with the
	// error's text. Nil compiles with goja's RunString.
	CompileString func(src string) (*goja.Program, error)

	// Busy, if not nil, is called with true before the loop runs a batch of
	// tasks and with false once the batch is done, on the goroutine that
	// runs them (Run's, or a Flush caller's): a host that watches script
	// while it runs (its memory, say) watches only then, and not while the
	// loop waits for work. It must not block.
	Busy func(busy bool)
}

// Loop is an event loop bound to one goja runtime. Only the loop goroutine, the one
// inside Run, may touch the runtime; every other goroutine talks to it through Queue, Do,
// Hold, Stop and Close.
type Loop struct {
	vm   *goja.Runtime
	opts Options

	mu      sync.Mutex
	tasks   []func()
	spare   []func()
	holds   int
	stop    bool
	closed  bool
	running bool
	waiting bool   // Run is waiting for work: Flush may run tasks in its place
	flushed bool   // a Flush caller is running tasks; Run waits for it
	runWait bool   // Run woke while tasks were run by a Flush caller
	onWait  func() // tests: called by Run, unlocked, each time it starts waiting for work
	closers map[*closer]struct{}
	wake    chan struct{}
	broken  error // a *PanicError or ErrStaleFrames: Run returns it from then on

	// closedCtx is canceled by Close; runCtx, during a Run, also when Run's context
	// is done.
	closedCtx    context.Context
	cancelClosed context.CancelFunc
	runCtx       context.Context

	// Loop-goroutine state.
	timers    timerQueue
	rejected  []*goja.Promise
	resolved  goja.Value // a promise resolved with undefined, for queueMicrotask
	interrupt error
	// unwound reports that an uncatchable exception unwound script since
	// verifyJobs last ran.
	unwound  bool
	onUnwind []func() // see OnUnwind
	// then is %Promise.prototype.then%, for verifyJobs and queueMicrotask;
	// rangeError is %RangeError%, for reporting goja's stack overflow and the
	// timers beyond Options.MaxTimers; syntaxError is %SyntaxError%, for
	// Options.CompileString's errors. Prepare captures the three.
	captured    bool
	then        goja.Callable
	rangeError  goja.Constructor
	syntaxError goja.Constructor
	// frameFn is what Framed calls from inside a script frame.
	frameFn  func()
	framed   bool
	frameSet bool // __wsjs$frame is set

	stats stats // what Stats reads from other goroutines

	// interrupts is what Interrupt cancels besides goja's run.
	interrupts interrupts
}

type closer struct{ fn func() }

// New returns a loop for vm and, unless opts.DeferGlobals, installs the timer functions
// (setTimeout, setInterval, clearTimeout, clearInterval), queueMicrotask and
// reportError on vm's global object (InstallGlobals). vm must not be used by anything
// but the loop from then on.
func New(vm *goja.Runtime, opts Options) *Loop {
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	l := &Loop{
		vm:      vm,
		opts:    opts,
		wake:    make(chan struct{}, 1),
		closers: map[*closer]struct{}{},
	}
	l.closedCtx, l.cancelClosed = context.WithCancel(context.Background())
	l.timers.init()
	vm.SetPromiseRejectionTracker(l.trackRejection)
	if !opts.DeferGlobals {
		l.InstallGlobals()
	}
	return l
}

// Prepare captures the built-ins the loop uses (%Promise.prototype.then%,
// %RangeError%, %SyntaxError%) before script can replace them, and calls Options.Prepare.
// The loop calls it when Run starts (and InstallGlobals captures the
// built-ins); call it first if script runs on vm otherwise. It runs on the
// loop goroutine (or with the loop idle). If Options.Prepare fails (or
// panics), the loop is broken: Prepare and Run return the error from then
// on; later calls do nothing else.
func (l *Loop) Prepare() (err error) {
	l.capture()
	f := l.opts.Prepare
	if f == nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.broken
	}
	l.opts.Prepare = nil
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
		if err != nil {
			l.mu.Lock()
			if l.broken == nil {
				l.broken = err
			}
			l.mu.Unlock()
		}
	}()
	return f()
}

func (l *Loop) capture() {
	if l.captured {
		return
	}
	l.captured = true
	vm := l.vm
	l.rangeError, _ = goja.AssertConstructor(vm.Get("RangeError"))
	l.syntaxError, _ = goja.AssertConstructor(vm.Get("SyntaxError"))
	if proto, ok := vm.Get("Promise").ToObject(vm).Get("prototype").(*goja.Object); ok {
		l.then, _ = goja.AssertFunction(proto.Get("then"))
	}
}

// VM returns the runtime the loop drives.
func (l *Loop) VM() *goja.Runtime { return l.vm }

// Context returns a context that is done when the current Run's context is done or
// the loop is closed; outside a Run, only when the loop is closed. A task that must
// block the loop goroutine (a synchronous XMLHttpRequest) waits on it too, so that
// cancelling the run or closing the runtime unblocks it. Call it on the loop
// goroutine only.
func (l *Loop) Context() context.Context {
	if l.runCtx != nil {
		return l.runCtx
	}
	return l.closedCtx
}

// Queue appends task to the loop's task queue. It may be called from any goroutine; the
// task runs on the loop goroutine after every task queued before it, followed by a
// microtask checkpoint. Queue reports false, and drops the task, once the loop is closed.
func (l *Loop) Queue(task func()) bool {
	if !l.Post(task) {
		return false
	}
	l.signal()
	return true
}

// Post is Queue without waking the loop goroutine: the task runs when the loop next
// wakes for any reason, or at the next Flush. A goroutine that posts tasks must call
// Flush before it blocks, so that they do not wait on something it is waiting for.
// Posting the tasks for a burst of input and flushing once lets the loop take them in
// one wake-up, or lets the caller run them itself.
func (l *Loop) Post(task func()) bool { return l.PostN(task, 1) }

// PostN posts task n times in one operation: n tasks that run one after another,
// each followed by a microtask checkpoint, as n calls of Post would queue them. A
// goroutine that has taken in a burst of input, a socket's messages, posts the
// task of each at once.
func (l *Loop) PostN(task func(), n int) bool {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.tasks = slices.Grow(l.tasks, n)
	for range n {
		l.tasks = append(l.tasks, task)
	}
	l.mu.Unlock()
	return true
}

// Flush makes the queued tasks run. When a Run is in progress and waiting for work, the
// calling goroutine runs the tasks queued so far itself, in order, each followed by a
// microtask checkpoint, exactly as the loop goroutine would, and the loop goroutine is
// not woken: a socket's reading goroutine that posts a message's task and flushes
// delivers it without a hand-off to another thread. Otherwise Flush wakes the loop
// goroutine. Flush must not be called from a task, nor with locks held that a task may
// need.
func (l *Loop) Flush() {
	l.mu.Lock()
	if len(l.tasks) == 0 {
		l.mu.Unlock()
		return
	}
	if !l.running || !l.waiting || l.flushed || l.runCtx == nil || l.halted(l.runCtx) {
		l.mu.Unlock()
		l.signal()
		return
	}
	// Run is parked in its select: it cannot pick tasks until flushed is cleared.
	l.flushed = true
	ctx := l.runCtx
	armed := l.timers.next() // the clock Run waits on is set for this
	// Tasks queued by the tasks run here (a send's progress report, say) are run too,
	// for a few rounds, rather than waking the loop goroutine for them.
	for round := 0; round < flushRounds && len(l.tasks) > 0; round++ {
		batch := l.tasks
		l.tasks, l.spare = l.spare[:0], nil
		l.mu.Unlock()
		_ = l.runBatch(ctx, batch)
		clear(batch)
		l.mu.Lock()
		if l.spare == nil {
			l.spare = batch[:0]
		}
		if l.halted(ctx) {
			break
		}
	}
	l.flushed = false
	// Run also wakes to set its clock again when the tasks started an earlier timer.
	next := l.timers.next()
	rearm := !next.IsZero() && (armed.IsZero() || next.Before(armed))
	wake := rearm || l.runWait || len(l.tasks) > 0 || l.halted(ctx)
	l.runWait = false
	l.mu.Unlock()
	if wake {
		l.signal()
	}
}

// flushRounds bounds how many times Flush takes the queue, so that a caller whose
// tasks keep queuing more goes back to its own work.
const flushRounds = 4

// Do runs fn as a task on the loop and waits for it to finish, returning its error. It
// must not be called from the loop goroutine. If no Run is in progress, the task waits
// for the next one; ctx bounds that wait. Close drops the task: Do then returns
// ErrClosed, and if fn panics, Do returns the loop's *PanicError.
func (l *Loop) Do(ctx context.Context, fn func() error) error {
	done := make(chan error, 1)
	if !l.Queue(func() {
		defer func() {
			if p := recover(); p != nil {
				done <- l.breakOn(p)
			}
		}()
		done <- fn()
	}) {
		return ErrClosed
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-l.closedCtx.Done():
		select {
		case err := <-done: // it ran before Close
			return err
		default:
			return ErrClosed
		}
	}
}

// breakOn breaks the loop for the panic p, recovered from a task, and returns the
// loop's *PanicError (the first panic's, if there were several).
func (l *Loop) breakOn(p any) error {
	return l.breakWith(&PanicError{Value: p, Stack: debug.Stack()})
}

// breakWith breaks the loop with err and returns the error the loop is broken
// with (the first one, if it already was).
func (l *Loop) breakWith(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken == nil {
		l.broken = err
	}
	return l.broken
}

// Hold keeps the loop alive until release is called, as pending I/O does in a browser:
// Run does not return for lack of work while a hold is outstanding. release may be called
// from any goroutine, more than once; only the first call counts.
func (l *Loop) Hold() (release func()) {
	l.mu.Lock()
	l.holds++
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.holds--
			l.mu.Unlock()
			l.signal()
		})
	}
}

// OnClose registers fn to be called by Close, for a binding to release what it holds
// (close sockets, stop goroutines). The returned function unregisters it.
func (l *Loop) OnClose(fn func()) (unregister func()) {
	c := &closer{fn: fn}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		fn()
		return func() {}
	}
	l.closers[c] = struct{}{}
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		delete(l.closers, c)
		l.mu.Unlock()
	}
}

// Stop makes the current Run return after the task it is running, leaving queued tasks
// and timers in place for a later Run. Stop may be called from any goroutine, including
// from inside a task. To interrupt a script that never returns, cancel Run's context.
func (l *Loop) Stop() {
	l.mu.Lock()
	l.stop = true
	l.mu.Unlock()
	l.signal()
}

// Close stops the loop for good: timers are cancelled, queued tasks dropped, functions
// registered with OnClose called, and Queue refuses new tasks. A Run in progress returns
// ErrClosed after its current task. Close is idempotent and may be called from any
// goroutine.
func (l *Loop) Close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	l.tasks = nil
	closers := l.closers
	l.closers = nil
	l.mu.Unlock()
	l.cancelClosed()
	for c := range closers {
		c.fn()
	}
	l.signal()
}

// Run runs tasks and timers until none are left and no hold is outstanding (it returns
// nil), until Stop (nil), Close (ErrClosed), or until ctx is done: then script still
// running is interrupted, with ctx's cause as the interrupt's value, and Run returns
// ctx's error. Run may be called again after it
// returns; state carries over.
func (l *Loop) Run(ctx context.Context) error {
	l.mu.Lock()
	if l.running {
		l.mu.Unlock()
		return ErrRunning
	}
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	if l.broken != nil {
		l.mu.Unlock()
		return l.broken
	}
	l.running = true
	l.stop = false
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.running = false
		l.mu.Unlock()
		l.timers.stopClock()
	}()

	l.ClearInterrupt()
	l.interrupt = nil
	if err := l.Prepare(); err != nil {
		l.mu.Lock()
		closed := l.closed
		l.mu.Unlock()
		if closed {
			return ErrClosed
		}
		return err
	}
	l.verifyJobs() // after an interrupt that ended the last Run
	stopWatch := context.AfterFunc(ctx, func() {
		l.Interrupt(context.Cause(ctx))
		l.signal()
	})
	defer stopWatch()
	runCtx, cancelRun := context.WithCancel(ctx)
	stopClosed := context.AfterFunc(l.closedCtx, cancelRun)
	// Flush reads runCtx from other goroutines, under mu.
	l.mu.Lock()
	l.runCtx = runCtx
	l.mu.Unlock()
	defer func() {
		stopClosed()
		cancelRun()
		l.mu.Lock()
		l.runCtx = nil
		l.mu.Unlock()
	}()

	var batch []func()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.interrupt != nil {
			return l.interrupt
		}
		l.mu.Lock()
		if l.broken != nil {
			l.mu.Unlock()
			return l.broken
		}
		l.waiting = false
		if l.flushed {
			// A Flush caller is running tasks on its goroutine: wait until it is done,
			// whatever else happens meanwhile (it signals then).
			l.runWait = true
			l.mu.Unlock()
			<-l.wake
			continue
		}
		if l.closed {
			l.mu.Unlock()
			return ErrClosed
		}
		if l.stop {
			l.stop = false
			l.mu.Unlock()
			return nil
		}
		// Timers that are due queue their tasks now (HTML's timer initialization steps,
		// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timer-initialisation-steps,
		// and "run steps after a timeout",
		// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#run-steps-after-a-timeout),
		// behind the tasks already queued.
		l.tasks = l.timers.appendDue(l.tasks, time.Now(), l)
		if len(l.tasks) > 0 {
			batch, l.tasks, l.spare = l.tasks, l.spare[:0], nil
			l.mu.Unlock()
			if err := l.runBatch(ctx, batch); err != nil {
				return err
			}
			clear(batch)
			l.mu.Lock()
			if l.spare == nil {
				l.spare = batch[:0]
			}
			l.mu.Unlock()
			continue
		}
		idle := l.holds == 0 && l.timers.len() == 0
		l.waiting = !idle
		onWait := l.onWait
		// Taken under the lock: once waiting is set, a Flush caller may run tasks
		// that start timers.
		clock := l.timers.clockC()
		l.mu.Unlock()
		if idle {
			return nil
		}
		if onWait != nil {
			onWait()
		}
		select {
		case <-l.wake:
		case <-clock:
		case <-ctx.Done():
		}
	}
}

// runBatch runs tasks in order, stopping early when the loop is stopped, closed or
// interrupted; tasks not run go back to the front of the queue.
func (l *Loop) runBatch(ctx context.Context, batch []func()) error {
	if busy := l.opts.Busy; busy != nil {
		busy(true)
		defer busy(false)
	}
	l.stats.begin()
	defer l.stats.end()
	for i, task := range batch {
		l.runTask(task)
		l.mu.Lock()
		halt := l.halted(ctx)
		if halt && !l.closed && i+1 < len(batch) {
			rest := append([]func(){}, batch[i+1:]...)
			l.tasks = append(rest, l.tasks...)
		}
		l.mu.Unlock()
		if halt {
			return nil
		}
	}
	return nil
}

// halted reports whether tasks must stop running: the loop is stopped, closed,
// interrupted or broken, or ctx is done. l.mu must be held.
func (l *Loop) halted(ctx context.Context) bool {
	return l.stop || l.closed || l.interrupt != nil || l.broken != nil || ctx.Err() != nil
}

// runTask runs one task, then the rejected-promise notification that follows every
// microtask checkpoint (step 5 of HTML's "perform a microtask checkpoint",
// https://html.spec.whatwg.org/multipage/webappapis.html#perform-a-microtask-checkpoint).
// goja drains its job queue itself whenever the script stack empties, which is the
// checkpoint of HTML's "clean up after running script".
//
// A Go panic out of the task is recovered here, the one place every task, timer
// callback and microtask checkpoint passes through, and breaks the loop (see
// PanicError).
func (l *Loop) runTask(task func()) {
	defer func() {
		if p := recover(); p != nil {
			l.breakOn(p)
		}
	}()
	task()
	l.notifyRejections()
	l.verifyJobs()
}

func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// ReportException reports err, an exception thrown by script that nothing caught (HTML
// "report an exception"). Bindings call it for exceptions thrown by callbacks such as
// event listeners, which must not propagate to the code that dispatched them. An
// interruption (*goja.InterruptedError) is not reported: it ends the current Run. Call it
// on the loop goroutine only.
func (l *Loop) ReportException(err error) {
	if err == nil {
		return
	}
	exc, interrupted, overflow := unwrapScriptError(err)
	if interrupted != nil || overflow != nil {
		l.unwound = true // see verifyJobs
	}
	if interrupted != nil {
		l.interrupt = err
		return
	}
	switch {
	case overflow != nil:
		// goja's call stack limit unwinds the whole stack, uncatchably; it is
		// reported as the RangeError V8 throws, with the stack where it struck.
		exc = l.vm.Try(func() { panic(l.stackOverflow(overflow)) })
	case exc == nil:
		exc = l.vm.Try(func() { panic(l.vm.NewGoError(err)) })
	}
	if l.opts.OnException != nil {
		l.opts.OnException(exc)
		return
	}
	// The thrown value's toString may throw, or loop until interrupted.
	var s string
	if !TryScript(l.vm, func() { s = exc.String() }) {
		s = PlainString(exc.Value()) + "\n"
	}
	fmt.Fprintf(l.opts.Stderr, "Uncaught %s\n", s)
}

// stackTraceLimit is how many frames a stack overflow's report shows.
const stackTraceLimit = 10

// stackOverflow returns a RangeError for goja's *StackOverflowError, made with
// the %RangeError% captured before script ran.
func (l *Loop) stackOverflow(e *goja.StackOverflowError) goja.Value {
	const msg = "Maximum call stack size exceeded"
	obj := l.newRangeError(msg)
	// The innermost frames, as many as V8's default Error.stackTraceLimit.
	frames := strings.SplitN(strings.TrimPrefix(e.String(), " "), "\n", stackTraceLimit+1)
	if len(frames) > stackTraceLimit {
		frames = frames[:stackTraceLimit]
	}
	_ = obj.Set("stack", "RangeError: "+msg+"\n"+strings.Join(frames, "\n"))
	return obj
}

// newRangeError returns a RangeError with msg, made with the %RangeError% captured
// before script ran, so that script cannot replace it.
func (l *Loop) newRangeError(msg string) *goja.Object {
	if l.rangeError != nil {
		if obj, err := l.rangeError(nil, l.vm.ToValue(msg)); err == nil {
			return obj
		}
	}
	return l.vm.NewGoError(errors.New(msg))
}

// Call calls fn with this and args on the loop goroutine and reports an exception it
// throws instead of returning it; ok is false when it threw.
func (l *Loop) Call(fn goja.Callable, this goja.Value, args ...goja.Value) (v goja.Value, ok bool) {
	v, err := fn(this, args...)
	if err != nil {
		l.ReportException(err)
		return nil, false
	}
	return v, true
}

func (l *Loop) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		l.rejected = append(l.rejected, p)
	case goja.PromiseRejectionHandle:
		for i, q := range l.rejected {
			if q == p {
				l.rejected = append(l.rejected[:i], l.rejected[i+1:]...)
				break
			}
		}
	}
}

// notifyRejections implements HTML's "notify about rejected promises"
// (https://html.spec.whatwg.org/multipage/webappapis.html#notify-about-rejected-promises)
// for the promises rejected without a handler since the last call.
func (l *Loop) notifyRejections() {
	for len(l.rejected) > 0 {
		list := l.rejected
		l.rejected = nil
		for _, p := range list {
			if l.opts.OnUnhandledRejection != nil {
				l.opts.OnUnhandledRejection(p)
				continue
			}
			fmt.Fprintf(l.opts.Stderr, "Uncaught (in promise) %s\n", l.describe(p.Result()))
		}
	}
}

// describe renders a rejection reason for the default report: its stack, else
// String(v); script code that throws or is interrupted meanwhile (a stack
// getter, a Proxy trap, toString) leaves String(v), then a description that runs
// no script.
func (l *Loop) describe(v goja.Value) (s string) {
	if !TryScript(l.vm, func() { s = describe(v) }) {
		return SafeString(l.vm, v)
	}
	return s
}

func describe(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		if s := o.Get("stack"); s != nil && !goja.IsUndefined(s) {
			return s.String()
		}
	}
	if v == nil {
		return "undefined"
	}
	return v.String()
}

// RunProgram runs p as HTML's "run a classic script"
// (https://html.spec.whatwg.org/multipage/webappapis.html#run-a-classic-script) on the loop
// goroutine: an exception it throws is reported before the microtask checkpoint that
// follows the script, as in a browser, and is also returned.
func (l *Loop) RunProgram(p *goja.Program) (goja.Value, error) {
	return l.runClassic(func() (goja.Value, error) { return l.vm.RunProgram(p) })
}

func (l *Loop) runClassic(run func() (goja.Value, error)) (result goja.Value, err error) {
	if l.framed {
		// A script started from inside another one: its exception goes to its caller.
		return run()
	}
	callErr := l.Framed(func() {
		// Reported inside the frame: before the microtask checkpoint.
		if result, err = run(); err != nil {
			l.ReportException(err)
		}
	})
	if err == nil && callErr != nil {
		err = callErr
		l.ReportException(err)
	}
	return result, err
}

// Framed calls fn, which calls into script, as a task's script runs: from
// inside a script, with goja's job queue (the microtask checkpoint) drained
// once fn has returned. A function called from Go outside such a frame drains
// the queue itself when it returns, and so does every call back into script
// from a native function (queueMicrotask's callback, say) while the queue is
// drained: microtasks then run out of order. An exception thrown past the
// frame (an interrupt) is returned. Call it on the loop goroutine only;
// inside fn, Framed calls fn at once.
//
// The frame is a call from a program to a native function, held in a global
// lexical binding named __wsjs$frame (invisible as a property of the global
// object); its stack frames are in the file FrameFile.
func (l *Loop) Framed(fn func()) error {
	if l.framed {
		fn()
		return nil
	}
	if !l.frameSet {
		v, err := l.vm.RunProgram(frameSetup)
		if err != nil {
			return err
		}
		set, _ := goja.AssertFunction(v)
		native := l.vm.ToValue(func(goja.FunctionCall) goja.Value {
			if l.framed && l.frameFn != nil {
				f := l.frameFn
				l.frameFn = nil
				f()
			}
			return goja.Undefined()
		})
		if _, err := set(goja.Undefined(), native); err != nil {
			return err
		}
		l.frameSet = true
	}
	l.framed, l.frameFn = true, fn
	defer func() { l.framed, l.frameFn = false, nil }()
	_, err := l.vm.RunProgram(frameCall)
	return err
}

// FrameFile names the script frames of Framed in stacks.
const FrameFile = "wsjs:frame"

var (
	frameSetup = goja.MustCompile(FrameFile, "let __wsjs$frame; (f) => { __wsjs$frame = f; }", true)
	frameCall  = goja.MustCompile(FrameFile, "__wsjs$frame()", true)
)
