package worker

import (
	"fmt"
	"sync"
)

// Bounds on workers (Options.MaxWorkers and MaxDepth).
//
// The workers of a top-level runtime and of every worker under it share one
// count, the tree's: a worker counts from when it is created (its
// constructor succeeded, or Run Service Worker started it) until its
// goroutine has ended, which is after its own workers' have. A realm's
// bounds are the tightest of its own options and those of the realms above
// it, so that a host that configures workers' runtimes without bounds
// still has its top-level ones apply.

// workerCount is the number of workers running under one top-level runtime.
type workerCount struct {
	mu sync.Mutex
	n  int
}

// quota is what the workers a realm starts are checked against.
type quota struct {
	count *workerCount // shared by the tree
	// depth is how deep the realm's own worker is: 0 at the top, 1 for a
	// worker that a top-level runtime started.
	depth int
	// maxWorkers and maxDepth are the bounds in effect, 0 for none.
	maxWorkers, maxDepth int
}

// newQuota returns the quota of a realm configured with opts whose worker
// is w, nil at the top.
func newQuota(opts Options, w *worker) quota {
	if w == nil {
		return quota{count: &workerCount{}, maxWorkers: opts.MaxWorkers, maxDepth: opts.MaxDepth}
	}
	p := w.parent.quota
	return quota{
		count:      p.count,
		depth:      p.depth + 1,
		maxWorkers: tighter(p.maxWorkers, opts.MaxWorkers),
		maxDepth:   tighter(p.maxDepth, opts.MaxDepth),
	}
}

// tighter returns the tighter of two bounds, where 0 is none.
func tighter(a, b int) int {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// A quotaError says why a realm may not start one more worker.
type quotaError struct{ msg string }

func (e *quotaError) Error() string { return e.msg }

// reserve counts one more worker started by the realm, or returns a
// *quotaError if that would exceed a bound. release gives the count back.
func (q *quota) reserve() error {
	if q.maxDepth > 0 && q.depth+1 > q.maxDepth {
		return &quotaError{fmt.Sprintf("workers are nested too deeply (the limit is %d levels)", q.maxDepth)}
	}
	c := q.count
	c.mu.Lock()
	defer c.mu.Unlock()
	if q.maxWorkers > 0 && c.n >= q.maxWorkers {
		return &quotaError{fmt.Sprintf("too many workers are running (the limit is %d)", q.maxWorkers)}
	}
	c.n++
	return nil
}

func (q *quota) release() {
	q.count.mu.Lock()
	q.count.n--
	q.count.mu.Unlock()
}
