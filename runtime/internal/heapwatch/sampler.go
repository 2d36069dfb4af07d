package heapwatch

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// The figures the sampler reads (see runtime/metrics).
const (
	heapObjects = "/memory/classes/heap/objects:bytes" // live objects and garbage not yet swept
	heapLive    = "/gc/heap/live:bytes"                // live objects as the last collection marked them
	gcCycles    = "/gc/cycles/total:gc-cycles"         // collections completed
)

// A sampler tells whether the live heap is over a bound: the cheap figure
// (the heap's objects, garbage included) first, confirmed by the live heap
// a collection measured once the cheap figure is over.
type sampler struct {
	cheap [1]metrics.Sample
	full  [2]metrics.Sample
	// seen is the collection whose live heap was last looked at.
	seen uint64
	// nextGC is when the sampler may force a collection again.
	nextGC time.Time
}

// The time between two collections the sampler forces: ten times as long
// as the last one took, so that they take at most a tenth of the time, but
// no less than minGCInterval and no more than maxGCInterval. A collection
// can take long without working: it waits for the goroutine copying a
// string to reach a safe point, after the copy.
const (
	minGCInterval = 50 * time.Millisecond
	maxGCInterval = time.Second
)

// over reports whether the live heap is over bound, and its size.
func (s *sampler) over(bound int64) (live int64, over bool) {
	if s.cheap[0].Name == "" {
		s.cheap[0].Name = heapObjects
		s.full[0].Name, s.full[1].Name = heapLive, gcCycles
	}
	metrics.Read(s.cheap[:])
	if int64(s.cheap[0].Value.Uint64()) <= bound {
		return 0, false
	}
	live, cycles := s.live()
	if cycles == s.seen {
		// No collection since the last look: the objects may be garbage.
		// Collect, unless collections forced lately took more than a tenth
		// of the time since.
		now := time.Now()
		if now.Before(s.nextGC) {
			return 0, false
		}
		runtime.GC()
		took := time.Since(now)
		s.nextGC = now.Add(min(max(minGCInterval, 10*took), maxGCInterval))
		live, cycles = s.live()
	}
	s.seen = cycles
	return live, live > bound
}

// live returns the live heap the last collection measured, and how many
// collections have completed.
func (s *sampler) live() (int64, uint64) {
	metrics.Read(s.full[:])
	return int64(s.full[0].Value.Uint64()), s.full[1].Value.Uint64()
}
