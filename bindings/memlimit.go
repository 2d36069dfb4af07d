package bindings

import "sync"

// processBudget is the Budget every Budget of the process also draws on:
// whatever the limits of each runtime, the web APIs of all of them together
// hold at most half the memory the process may use (processMemory), so that
// many runtimes, or one with a limit set too high, meet a RangeError rather
// than the Go runtime's fatal "out of memory", which no one can recover
// from. Where the process's memory is not known, it bounds nothing.
var processBudget = sync.OnceValue(func() *Budget {
	return &Budget{limit: processMemory() / 2}
})

// ProcessMemory returns the memory this process may use, as far as the
// system says: the smallest of its address-space and data-segment limits,
// its cgroup's memory limit and the machine's memory, where the platform
// tells them; 0 if none is known. The web APIs of all runtimes together
// hold at most half of it (see Budget).
func ProcessMemory() int64 {
	return processMemory()
}

// smallestPositive returns the smallest of vs above zero, or 0.
func smallestPositive(vs ...int64) int64 {
	var m int64
	for _, v := range vs {
		if v > 0 && (m == 0 || v < m) {
			m = v
		}
	}
	return m
}
