package heapwatch

import (
	"testing"
)

// stopped returns a channel closed when the running watchdog's goroutine
// has ended, or nil if none runs.
func stopped() chan struct{} {
	watch.mu.Lock()
	defer watch.mu.Unlock()
	return watch.done
}

func TestStartStop(t *testing.T) {
	g := &Guard{Bound: 1 << 62, Trip: func() { t.Error("tripped") }}
	for round := range 3 {
		g.Enter()
		g.Enter() // nested
		done := stopped()
		if done == nil {
			t.Fatalf("round %d: no watchdog while a guard is entered", round)
		}
		g.Leave()
		if !Running() {
			t.Fatalf("round %d: the watchdog stopped while a guard is still entered", round)
		}
		g.Leave()
		<-done // it ends on its own, within a period
		if Running() {
			t.Fatalf("round %d: a watchdog runs with no guard entered", round)
		}
	}
}

func TestUnboundedNotWatched(t *testing.T) {
	for _, g := range []*Guard{nil, {}, {Bound: -1}} {
		g.Enter()
		if Running() {
			t.Errorf("%+v: watched", g)
		}
		g.Leave()
	}
}

func TestTrip(t *testing.T) {
	tripped := make(chan *Guard, 3)
	newGuard := func(bound int64) *Guard {
		g := &Guard{Bound: bound}
		g.Trip = func() { tripped <- g }
		return g
	}
	// Any heap is over a byte, none over an exabyte.
	low, high, left := newGuard(1), newGuard(1<<60), newGuard(1)
	left.Enter()
	left.Leave()
	high.Enter()
	low.Enter()
	if g := <-tripped; g != low {
		t.Fatalf("tripped %+v, want the guard whose bound the heap is over", g)
	}
	done := stopped()
	low.Leave()
	high.Leave()
	<-done
	// Once stopped, the watchdog has tripped what it would: only low.
	close(tripped)
	for g := range tripped {
		t.Errorf("also tripped %+v", g)
	}
}

// BenchmarkEnterLeave is what a bounded runtime's event loop adds to each
// batch of tasks it runs.
func BenchmarkEnterLeave(b *testing.B) {
	g := &Guard{Bound: 1 << 62, Trip: func() {}}
	for b.Loop() {
		g.Enter()
		g.Leave()
	}
}

func TestReserve(t *testing.T) {
	var nilGuard *Guard
	if !nilGuard.Reserve(1<<62) || !(&Guard{}).Reserve(1<<62) {
		t.Error("an unbounded guard refused")
	}
	trips := 0
	g := &Guard{Bound: 1 << 40, Trip: func() { trips++ }}
	g.Enter()
	defer g.Leave()
	if !g.Reserve(1 << 20) {
		t.Error("a megabyte refused under a bound of a terabyte")
	}
	// Past the bound: refused, and tripped once while entered.
	for range 2 {
		if g.Reserve(1 << 40) {
			t.Error("a terabyte more reserved under a bound of a terabyte")
		}
	}
	if trips != 1 {
		t.Errorf("tripped %d times, want 1", trips)
	}
}
