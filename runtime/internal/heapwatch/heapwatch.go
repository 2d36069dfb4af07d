package heapwatch

import (
	"runtime/metrics"
	"sync"
	"time"
)

// A Guard is what one runtime enters while it runs script: its bound and
// what to do when the heap is over it. Its zero value bounds nothing.
type Guard struct {
	// Bound is in bytes of live heap; zero or less bounds nothing.
	Bound int64
	// Trip is called, on the watchdog's goroutine (or on Reserve's), when
	// the live heap is over Bound while the guard is entered; once per
	// entry at most. It must not block nor enter or leave a guard.
	Trip func()

	depth   int  // Enter calls not yet left; under watch.mu
	tripped bool // Trip was called since the guard was entered; under watch.mu
}

// period is how often the watchdog samples the heap.
const period = 5 * time.Millisecond

// watch is the process's watchdog.
var watch struct {
	mu      sync.Mutex
	entered map[*Guard]struct{}
	// done is closed when the running watchdog's goroutine ends; nil when
	// none runs.
	done chan struct{}
}

// Enter marks g as running script, starting the watchdog if it does not
// run. Calls may nest; each is matched by a Leave. A nil or unbounded g is
// not watched.
func (g *Guard) Enter() {
	if g == nil || g.Bound <= 0 {
		return
	}
	watch.mu.Lock()
	defer watch.mu.Unlock()
	if g.depth++; g.depth > 1 {
		return
	}
	g.tripped = false
	if watch.entered == nil {
		watch.entered = map[*Guard]struct{}{}
	}
	watch.entered[g] = struct{}{}
	if watch.done == nil {
		watch.done = make(chan struct{})
		go run(watch.done)
	}
}

// Leave ends what the matching Enter began: once the last is left, Trip is
// not called any more.
func (g *Guard) Leave() {
	if g == nil || g.Bound <= 0 {
		return
	}
	watch.mu.Lock()
	defer watch.mu.Unlock()
	if g.depth--; g.depth == 0 {
		delete(watch.entered, g)
	}
}

// run is the watchdog's goroutine: it samples the heap every period while
// a guard is entered, and closes done when it ends.
func run(done chan struct{}) {
	defer close(done)
	t := time.NewTicker(period)
	defer t.Stop()
	var s sampler
	defer s.wait()
	for range t.C {
		bound, ok := smallestBound()
		if !ok {
			return
		}
		if live, over := s.over(bound); over {
			trip(live)
		}
	}
}

// smallestBound returns the smallest bound of the entered guards; if none
// is entered, it reports false, and the watchdog's goroutine is done.
func smallestBound() (int64, bool) {
	watch.mu.Lock()
	defer watch.mu.Unlock()
	if len(watch.entered) == 0 {
		watch.done = nil
		return 0, false
	}
	var m int64
	for g := range watch.entered {
		if m == 0 || g.Bound < m {
			m = g.Bound
		}
	}
	return m, true
}

// trip trips the entered guards whose bound live exceeds.
func trip(live int64) {
	watch.mu.Lock()
	defer watch.mu.Unlock()
	for g := range watch.entered {
		if !g.tripped && live > g.Bound {
			g.tripped = true
			g.Trip()
		}
	}
}

// Running reports whether the watchdog's goroutine runs.
func Running() bool {
	watch.mu.Lock()
	defer watch.mu.Unlock()
	return watch.done != nil
}

// Reserve reports whether the heap has room under g's bound for bytes more
// that script is about to allocate in one Go call, which the watchdog could
// not stop: room by the live heap the last collection measured. Where there
// is none, it trips g at once, on the calling goroutine, as the watchdog
// would once the bytes were allocated (unless it already has, while g is
// entered). A nil or unbounded g always has room.
func (g *Guard) Reserve(bytes int64) bool {
	if g == nil || g.Bound <= 0 || liveHeap()+bytes <= g.Bound {
		return true
	}
	watch.mu.Lock()
	first := !g.tripped
	g.tripped = true
	watch.mu.Unlock()
	if first {
		g.Trip()
	}
	return false
}

// liveHeap is the live heap the last collection measured.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: liveFigure}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}
