package abort

import (
	"cmp"
	"math"
	"slices"
	"time"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
)

// signalImpl holds the internal slots of an AbortSignal
// (https://dom.spec.whatwg.org/#interface-AbortSignal).
type signalImpl struct {
	events.Target
	// reason is the abort reason; nil while the signal is not aborted
	// (an abort reason is never undefined once aborted).
	reason     goja.Value
	algorithms []func()
	dependent  bool
	// sources are the source signals, held weakly.
	sources []weak.Pointer[signalImpl]
	// dependents are the dependent signals. The standard holds them
	// weakly, but a dependent signal with abort listeners must stay
	// alive while it has sources, and listeners can be added at any
	// time; so they are held strongly until this signal or they abort.
	dependents []*goja.Object
}

// Aborted reports whether the signal is aborted (DOM "aborted",
// https://dom.spec.whatwg.org/#abortsignal-aborted).
func (s *signalImpl) Aborted() bool { return s.reason != nil }

// AddAlgorithm adds f to the signal's abort algorithms (DOM "add",
// https://dom.spec.whatwg.org/#abortsignal-add): nothing happens if the
// signal is already aborted.
func (s *signalImpl) AddAlgorithm(f func()) {
	if s.Aborted() {
		return
	}
	s.algorithms = append(s.algorithms, f)
}

// controllerImpl holds the internal slots of an AbortController
// (https://dom.spec.whatwg.org/#interface-abortcontroller).
type controllerImpl struct {
	signal *goja.Object
}

// binding holds what the interfaces of one realm share.
type binding struct {
	r     *webidl.Realm
	vm    *goja.Runtime
	queue func(task func()) bool
	// timeouts holds the signals of pending AbortSignal.timeout() calls,
	// so that the timers themselves need only weak references, which
	// lets a runtime that is dropped be collected before its timers fire.
	timeouts map[*timeout]struct{}
	seq      uint64 // counts timeout() calls, to order timeouts due at once
	// ready holds the timeouts that are due and have not fired, in the
	// order they fire; pumping is set while a task to fire the next is queued.
	ready   []*timeout
	pumping bool
	// hold, if not nil, keeps the event loop alive while a timeout is
	// pending (Options.TimeoutsKeepAlive).
	hold func() (release func())
}

// timeout is a pending AbortSignal.timeout().
type timeout struct {
	signal *goja.Object
	impl   *signalImpl
	due    time.Time // when it is to fire (monotonic)
	seq    uint64
	// release ends the hold the timeout has on the event loop, if any.
	release func()
}

// Options configure Register; hand them over with bindings.Configure. The
// zero value is what Register describes.
type Options struct {
	// TimeoutsKeepAlive makes a pending AbortSignal.timeout() keep the
	// realm's event loop alive until it fires, as a page that stays open
	// lets it fire: a host that runs pages (a test runner) turns it on.
	TimeoutsKeepAlive bool
}

// Binding installs the AbortController and AbortSignal interfaces.
// AbortSignal inherits from EventTarget.
var Binding = &bindings.Binding{Name: "abort", Needs: []*bindings.Binding{events.Binding}, Register: Register}

// Register installs the AbortController and AbortSignal interfaces on the
// global object of env.Realm. The events binding must be installed first:
// AbortSignal inherits from EventTarget.
//
// AbortSignal.timeout() delivers its timeout in a task queued with
// env.Queue(); in a realm without an event loop the static method is not
// defined, as in an environment without timers. A pending timeout does not
// keep the event loop alive (like Node.js and Deno, whose timeout signals do
// not keep a program running): the DOM Standard ties the timeout to its
// global object, not to the program's lifetime. With Options.TimeoutsKeepAlive
// and an env.Loop, it does.
func Register(env *bindings.Env) error {
	r := env.Realm
	b := &binding{r: r, vm: r.VM(), queue: env.Queue(), timeouts: make(map[*timeout]struct{})}
	if bindings.Config[Options](env).TimeoutsKeepAlive && env.Loop != nil {
		b.hold = env.Loop.Hold
	}
	if err := r.DefineInterface(b.signalInterface()); err != nil {
		return err
	}
	return r.DefineInterface(b.controllerInterface())
}

// newSignal creates a new AbortSignal object.
func (b *binding) newSignal() (*goja.Object, *signalImpl) {
	impl := &signalImpl{}
	return b.r.New("AbortSignal", impl), impl
}

// newAbortError is the default abort reason: a new "AbortError"
// DOMException.
func (b *binding) newAbortError() goja.Value {
	return b.r.NewDOMException("AbortError", "signal is aborted without reason")
}

func (b *binding) impl(signal *goja.Object) *signalImpl {
	impl, _ := b.r.Impl(signal, "AbortSignal")
	return impl.(*signalImpl)
}

// signalAbort implements "signal abort"
// (https://dom.spec.whatwg.org/#abortsignal-signal-abort). A nil reason
// means none was given.
func (b *binding) signalAbort(obj *goja.Object, s *signalImpl, reason goja.Value) {
	// Step 1.
	if s.Aborted() {
		return
	}
	// Step 2: the reason, or a new "AbortError" DOMException.
	if reason == nil {
		reason = b.newAbortError()
	}
	s.reason = reason
	// Steps 3-4: dependent signals not yet aborted take the same reason.
	var toAbort []*goja.Object
	for _, d := range s.dependents {
		di := b.impl(d)
		if !di.Aborted() {
			di.reason = s.reason
			toAbort = append(toAbort, d)
		}
	}
	// An aborted signal never aborts again: it need not reach its
	// dependents any more.
	s.dependents = nil
	// Step 5.
	b.runAbortSteps(obj, s)
	// Step 6.
	for _, d := range toAbort {
		b.runAbortSteps(d, b.impl(d))
	}
}

// runAbortSteps implements "run the abort steps"
// (https://dom.spec.whatwg.org/#run-the-abort-steps): the abort algorithms
// run and are emptied, then an abort event is fired.
func (b *binding) runAbortSteps(obj *goja.Object, s *signalImpl) {
	// Step 1-2.
	algorithms := s.algorithms
	s.algorithms = nil
	for _, f := range algorithms {
		f()
	}
	// Being aborted, a dependent signal is no longer needed by its
	// sources.
	b.detachFromSources(obj, s)
	// Step 3: fire an event named abort (exceptions thrown by listeners
	// are reported by the events package).
	_, _ = events.Fire(b.r, obj, "abort")
}

// detachFromSources removes the dependent signal obj from the dependent
// signals of its sources.
func (b *binding) detachFromSources(obj *goja.Object, s *signalImpl) {
	for _, w := range s.sources {
		src := w.Value()
		if src == nil {
			continue
		}
		for i, d := range src.dependents {
			if d == obj {
				src.dependents = append(src.dependents[:i], src.dependents[i+1:]...)
				break
			}
		}
	}
}

// createDependent implements "create a dependent abort signal"
// (https://dom.spec.whatwg.org/#create-a-dependent-abort-signal) for
// AbortSignal in this realm.
func (b *binding) createDependent(signals []*signalImpl) *goja.Object {
	// Step 1.
	obj, result := b.newSignal()
	// Step 2: an aborted signal among them makes the result aborted
	// with its reason.
	for _, s := range signals {
		if s.Aborted() {
			result.reason = s.reason
			return obj
		}
	}
	// Step 3.
	result.dependent = true
	// Step 4: link to each signal, or to the sources of each dependent
	// one.
	link := func(src *signalImpl) {
		for _, w := range result.sources {
			if w.Value() == src {
				return // a set: already a source
			}
		}
		result.sources = append(result.sources, weak.Make(src))
		src.dependents = append(src.dependents, obj)
	}
	for _, s := range signals {
		if !s.dependent {
			link(s)
			continue
		}
		for _, w := range s.sources {
			if src := w.Value(); src != nil {
				link(src)
			}
		}
	}
	// Step 5.
	return obj
}

// maxTimeout is the longest timeout a time.Duration holds, in ms; longer
// ones never fire in the lifetime of a program.
const maxTimeout = math.MaxInt64 / int64(time.Millisecond)

// startTimeout runs step 3 of the timeout(milliseconds) steps
// (https://dom.spec.whatwg.org/#dom-abortsignal-timeout): after ms
// milliseconds, a task on the event loop signals abort with a new
// "TimeoutError" DOMException.
//
// HTML's "run steps after a timeout"
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#run-steps-after-a-timeout)
// orders the timeouts of a global: one waits for those started before it whose
// milliseconds are not more than its own. Go's timers give no such order (each
// fires on a goroutine of its own, and queues its task when it gets to run),
// so the task of a timer makes every pending timeout due no later than its
// own ready, in the order they are due, and the timeouts ready fire one per
// task, first in line first, whichever task comes (see fireNext).
func (b *binding) startTimeout(obj *goja.Object, s *signalImpl, ms uint64) {
	if ms > uint64(maxTimeout) {
		return
	}
	d := time.Duration(ms) * time.Millisecond
	b.seq++
	t := &timeout{signal: obj, impl: s, due: time.Now().Add(d), seq: b.seq}
	if b.hold != nil {
		t.release = b.hold()
	}
	b.timeouts[t] = struct{}{}
	wb, wt := weak.Make(b), weak.Make(t)
	time.AfterFunc(d, func() {
		b := wb.Value()
		if b == nil || wt.Value() == nil {
			return // the runtime is gone
		}
		b.queue(func() {
			if t := wt.Value(); t != nil {
				b.fireTimeouts(t)
			}
		})
	})
}

// fireTimeouts makes t ready, if it is still pending, with every pending
// timeout due before it (or at the same time and started earlier), and
// fires the first ready.
func (b *binding) fireTimeouts(t *timeout) {
	if _, pending := b.timeouts[t]; pending {
		var due []*timeout
		for o := range b.timeouts {
			if !o.due.After(t.due) {
				due = append(due, o)
			}
		}
		for _, o := range due {
			delete(b.timeouts, o)
			// The loop cannot run out of work before o fires: a task
			// fires it (fireNext).
			if o.release != nil {
				o.release()
			}
		}
		// Those ready already were due before any of these (they were made
		// ready by a timeout due no later than now, and these were not).
		slices.SortFunc(due, func(x, y *timeout) int {
			if c := x.due.Compare(y.due); c != 0 {
				return c
			}
			return cmp.Compare(x.seq, y.seq)
		})
		b.ready = append(b.ready, due...)
	}
	b.fireNext()
}

// fireNext fires the first ready timeout, and queues a task for the next
// if there is one and none is queued: each fires in a task of its own, as
// HTML queues them, and a timer's task that comes between them fires the
// next in line, never one that is due later.
func (b *binding) fireNext() {
	if len(b.ready) == 0 {
		return
	}
	t := b.ready[0]
	b.ready[0] = nil
	b.ready = b.ready[1:]
	if len(b.ready) > 0 && !b.pumping {
		b.pumping = true
		b.queue(func() {
			b.pumping = false
			b.fireNext()
		})
	}
	b.timedOut(t)
}

func (b *binding) timedOut(t *timeout) {
	b.signalAbort(t.signal, t.impl, b.r.NewDOMException("TimeoutError", "signal timed out"))
}

// signalInterface describes AbortSignal
// (https://dom.spec.whatwg.org/#interface-AbortSignal).
func (b *binding) signalInterface() *webidl.Interface {
	r, vm := b.r, b.vm
	get := func(c webidl.Call) *signalImpl { return c.Impl.(*signalImpl) }
	ops := []webidl.Operation{
		{Name: "abort", Static: true, Length: 0, Func: func(c webidl.Call) goja.Value {
			// Steps 1-3: a new signal aborted with reason, or a
			// new "AbortError" DOMException.
			obj, s := b.newSignal()
			s.reason = c.Arg(0)
			if goja.IsUndefined(s.reason) {
				s.reason = b.newAbortError()
			}
			return obj
		}},
	}
	if b.queue != nil {
		ops = append(ops, webidl.Operation{Name: "timeout", Static: true, Length: 1, Func: func(c webidl.Call) goja.Value {
			c.RequireArgs("timeout", 1)
			ms := r.ToUnsignedLongLong(c.Arg(0), webidl.EnforceRange)
			obj, s := b.newSignal()
			b.startTimeout(obj, s, ms)
			return obj
		}})
	}
	ops = append(ops,
		webidl.Operation{Name: "any", Static: true, Length: 1, Func: func(c webidl.Call) goja.Value {
			c.RequireArgs("any", 1)
			signals := webidl.ToSequence(r, c.Arg(0), func(v goja.Value) *signalImpl {
				return r.ToInterface(v, "AbortSignal").(*signalImpl)
			})
			return b.createDependent(signals)
		}},
		webidl.Operation{Name: "throwIfAborted", Func: func(c webidl.Call) goja.Value {
			if s := get(c); s.Aborted() {
				panic(s.reason)
			}
			return nil
		}},
	)
	return &webidl.Interface{
		Name:   "AbortSignal",
		Parent: "EventTarget",
		Attributes: []webidl.Attribute{
			{Name: "aborted", Get: func(c webidl.Call) goja.Value { return vm.ToValue(get(c).Aborted()) }},
			{Name: "reason", Get: func(c webidl.Call) goja.Value {
				if s := get(c); s.Aborted() {
					return s.reason
				}
				return goja.Undefined()
			}},
			events.HandlerAttribute("onabort"),
		},
		Operations: ops,
	}
}

// controllerInterface describes AbortController
// (https://dom.spec.whatwg.org/#interface-abortcontroller).
func (b *binding) controllerInterface() *webidl.Interface {
	get := func(c webidl.Call) *controllerImpl { return c.Impl.(*controllerImpl) }
	return &webidl.Interface{
		Name:   "AbortController",
		Length: 0,
		Constructor: func(c webidl.Call) any {
			// Steps 1-2: a new AbortSignal object is this's signal.
			obj, _ := b.newSignal()
			return &controllerImpl{signal: obj}
		},
		Attributes: []webidl.Attribute{
			{Name: "signal", Get: func(c webidl.Call) goja.Value { return get(c).signal }},
		},
		Operations: []webidl.Operation{
			{Name: "abort", Length: 0, Func: func(c webidl.Call) goja.Value {
				// Signal abort on this's signal with reason, if given.
				var reason goja.Value
				if v := c.Arg(0); !goja.IsUndefined(v) {
					reason = v
				}
				s := get(c).signal
				b.signalAbort(s, b.impl(s), reason)
				return nil
			}},
		},
	}
}
