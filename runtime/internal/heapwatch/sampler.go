package heapwatch

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// liveFigure is the live heap the last collection measured.
const liveFigure = "/gc/heap/live:bytes"

// The figures the sampler reads (see runtime/metrics).
var figures = []string{
	"/memory/classes/heap/objects:bytes", // live objects and garbage not yet swept
	liveFigure,                           // live objects as the last collection marked them
	"/gc/cycles/total:gc-cycles",         // collections completed
	"/gc/gogc:percent",                   // GOGC
	"/gc/scan/stack:bytes",               // what the collector counts of stacks in its goal
	"/gc/scan/globals:bytes",             // and of globals
}

// A sampler tells whether the live heap is over a bound, from the heap's
// objects (garbage included), confirmed once they are over the bound: by
// growth the collector could not follow, or by the live heap a collection
// measured. It is the watchdog goroutine's.
type sampler struct {
	samples []metrics.Sample
	// wasOver says that the objects were over the bound at the last
	// sample, and since is the count of collections then: one that
	// completes later measures what made them so.
	wasOver bool
	since   uint64
	// forced receives how long a collection the sampler forced took, and
	// is nil when none is under way; nextGC is when it may force one
	// again.
	forced chan time.Duration
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
//
// The collector keeps the heap's objects, garbage included, near its goal,
// which is twice the live heap it last measured at the default GOGC (with
// stacks and globals). Objects well over that goal were allocated faster
// than it could follow, and live when allocated, as a string doubling makes
// them: they are over the bound at once. A collection would not confirm it
// in time: it waits for the copy under way to end, by which time the script
// has begun the next one. Otherwise the objects may be garbage: the live
// heap of a collection that completed since they passed the bound tells,
// or that of one the sampler forces, on a goroutine of its own so that
// sampling goes on meanwhile.
func (s *sampler) over(bound int64) (live int64, over bool) {
	if s.samples == nil {
		s.samples = make([]metrics.Sample, len(figures))
		for i, f := range figures {
			s.samples[i].Name = f
		}
	}
	s.collected()
	metrics.Read(s.samples[:1])
	objects := int64(s.samples[0].Value.Uint64())
	if objects <= bound {
		s.wasOver = false
		return 0, false
	}
	metrics.Read(s.samples[1:])
	live, cycles := s.int(1), s.samples[2].Value.Uint64()
	if gogc := s.int(3); gogc > 0 {
		goal := live + (live+s.int(4)+s.int(5))*gogc/100
		if objects > goal+goal/8 {
			return objects, true
		}
	}
	if !s.wasOver {
		s.wasOver, s.since = true, cycles
	}
	if cycles == s.since {
		// No collection since the objects passed the bound.
		s.collect()
		return 0, false
	}
	// What is over the bound from now on needs another collection.
	s.since = cycles
	return live, live > bound
}

// int returns the sample i as an int64.
func (s *sampler) int(i int) int64 { return int64(s.samples[i].Value.Uint64()) }

// collect forces a collection on a goroutine of its own, unless one is
// under way or one was too lately.
func (s *sampler) collect() {
	now := time.Now()
	if s.forced != nil || now.Before(s.nextGC) {
		return
	}
	forced := make(chan time.Duration, 1)
	s.forced = forced
	go func() {
		runtime.GC()
		forced <- time.Since(now)
	}()
}

// collected notes the end of a collection collect forced, if it ended.
func (s *sampler) collected() {
	select {
	case took := <-s.forced:
		s.forced = nil
		s.nextGC = time.Now().Add(min(max(minGCInterval, 10*took), maxGCInterval))
	default:
	}
}

// wait waits for the end of a collection collect forced, if one is under
// way.
func (s *sampler) wait() {
	if s.forced != nil {
		<-s.forced
		s.forced = nil
	}
}
