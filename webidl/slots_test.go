package webidl

import (
	"runtime"
	"testing"
)

func (t *slotTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// Internal slots do not keep their objects alive: once the objects are
// unreachable and collected, their entries leave the table.
func TestSlotsAreWeak(t *testing.T) {
	vm, r := newRealm(t)
	defineTestInterfaces(t, r)
	before := r.slotTable().len()
	const n = 200
	func() {
		for i := 0; i < n; i++ {
			r.New("Base", &counter{n: int32(i)})
		}
		run(t, vm, `for (let i = 0; i < 200; i++) new Base(i)`)
	}()
	if got := r.slotTable().len(); got < before+n {
		t.Fatalf("table has %d entries after creating %d objects", got, 2*n)
	}
	// Cleanups run on their own goroutine after a collection; collect until
	// they have run, without a timer.
	// A few may stay reachable from the runtime's registers; most must go.
	limit := before + n/4
	for i := 0; i < 1000 && r.slotTable().len() > limit; i++ {
		runtime.GC()
		runtime.Gosched()
	}
	if got := r.slotTable().len(); got > limit {
		t.Fatalf("%d entries left after collections, want at most %d", got, limit)
	}
	// Objects still referenced keep their slots.
	kept := r.New("Base", &counter{n: 7})
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	if impl, ok := r.Impl(kept, "Base"); !ok || impl.(*counter).n != 7 {
		t.Fatal("slot of a live object was lost")
	}
	runtime.KeepAlive(kept)
}
