package eventloop

import (
	"container/heap"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// timer is one entry of the global's map of active timers
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#map-of-active-timers).
type timer struct {
	id       int64
	due      time.Time
	seq      uint64 // insertion order, to order timers that are due at the same time
	delay    time.Duration
	repeat   bool
	handler  goja.Value // a function, or a string to evaluate
	args     []goja.Value
	nesting  int // the timer nesting level of the task this timer queues
	index    int // position in the heap; -1 once removed
	cleared  bool
	inFlight bool // its task is queued or running
}

type timerQueue struct {
	heap    timerHeap
	active  map[int64]*timer
	nextID  int64
	seq     uint64
	nesting int // timer nesting level of the task running now; 0 outside timer tasks
	clock   *time.Timer
	n       atomic.Int64 // len(active), for Loop.Stats
}

func (q *timerQueue) init() { q.active = map[int64]*timer{} }

// len counts the timers that can still queue a task.
func (q *timerQueue) len() int { return len(q.active) }

// counted publishes len for Loop.Stats, after active changed.
func (q *timerQueue) counted() { q.n.Store(int64(len(q.active))) }

// appendDue removes the timers due at now from the heap, in due order, and appends a
// task for each to tasks. It then arms the clock for the next one.
func (q *timerQueue) appendDue(tasks []func(), now time.Time, l *Loop) []func() {
	for len(q.heap) > 0 && !q.heap[0].due.After(now) {
		t := heap.Pop(&q.heap).(*timer)
		t.inFlight = true
		tasks = append(tasks, func() { l.runTimer(t) })
	}
	if len(q.heap) > 0 {
		d := q.heap[0].due.Sub(now)
		if q.clock == nil {
			q.clock = time.NewTimer(d)
		} else {
			q.clock.Reset(d)
		}
	} else {
		q.stopClock()
	}
	return tasks
}

// next returns when the earliest timer is due, or the zero time if none is pending.
func (q *timerQueue) next() time.Time {
	if len(q.heap) == 0 {
		return time.Time{}
	}
	return q.heap[0].due
}

func (q *timerQueue) stopClock() {
	if q.clock != nil {
		q.clock.Stop()
	}
}

func (q *timerQueue) clockC() <-chan time.Time {
	if q.clock == nil || len(q.heap) == 0 {
		return nil
	}
	return q.clock.C
}

// start implements HTML's "timer initialization steps"
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timer-initialisation-steps)
// for a new timer or, with prev, for the next run of a repeating one.
func (q *timerQueue) start(handler goja.Value, timeout int32, args []goja.Value, repeat bool, prev *timer) *timer {
	t := prev
	// Step 2: reuse previousId, else a new id greater than zero.
	if t == nil {
		q.nextID++
		t = &timer{id: q.nextID, handler: handler, args: args, repeat: repeat}
		q.active[t.id] = t
		q.counted()
	}
	// Step 4: the nesting level of the task running now, if a timer queued it.
	nesting := q.nesting
	// Steps 5-6: negative timeouts become 0; deep nesting clamps to 4 ms.
	if timeout < 0 {
		timeout = 0
	}
	if nesting > 5 && timeout < 4 {
		timeout = 4
	}
	t.delay = time.Duration(timeout) * time.Millisecond
	t.nesting = nesting + 1
	q.seq++
	t.seq = q.seq
	t.due = time.Now().Add(t.delay)
	t.inFlight = false
	heap.Push(&q.heap, t)
	return t
}

// clear implements clearTimeout and clearInterval: the id leaves the map of active
// timers, so a task already queued for it does nothing.
func (q *timerQueue) clear(id int64) {
	t, ok := q.active[id]
	if !ok {
		return
	}
	delete(q.active, id)
	q.counted()
	t.cleared = true
	if t.index >= 0 && !t.inFlight {
		heap.Remove(&q.heap, t.index)
	}
}

// runTimer is the task a due timer queues (step 8 of the timer initialization steps,
// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timer-initialisation-steps).
func (l *Loop) runTimer(t *timer) {
	q := &l.timers
	// 8.1: abort if the id is no longer in the map of active timers.
	if t.cleared {
		return
	}
	q.nesting = t.nesting
	defer func() { q.nesting = 0 }()
	if fn, ok := goja.AssertFunction(t.handler); ok {
		// 8.3: invoke the function with the arguments, thisArg being the global.
		l.Call(fn, l.vm.GlobalObject(), t.args...)
	} else {
		// 8.4: the handler is a string: run it as a classic script.
		src := t.handler.String()
		_, _ = l.runClassic(func() (goja.Value, error) { return l.runString(src) })
	}
	if t.cleared {
		return
	}
	// 8.6-8.7: a repeating timer starts again with the same id; otherwise its id leaves
	// the map of active timers.
	if t.repeat {
		q.start(t.handler, int32(t.delay/time.Millisecond), t.args, true, t)
		return
	}
	delete(q.active, t.id)
	q.counted()
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].due.Equal(h[j].due) {
		return h[i].seq < h[j].seq
	}
	return h[i].due.Before(h[j].due)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}

// runString runs src, the handler of a timer, as a classic script, compiled
// with Options.CompileString if there is one.
func (l *Loop) runString(src string) (goja.Value, error) {
	if l.opts.CompileString == nil {
		return l.vm.RunString(src)
	}
	p, err := l.opts.CompileString(src)
	if err != nil {
		if l.syntaxError == nil {
			return nil, err
		}
		e, cerr := l.syntaxError(nil, l.vm.ToValue(err.Error()))
		if cerr != nil {
			return nil, cerr
		}
		return nil, l.vm.Try(func() { panic(e) })
	}
	return l.vm.RunProgram(p)
}
