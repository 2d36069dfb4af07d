package worker

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/wsjs/wsjs/webidl"
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

// workerTree is what the workers under one top-level runtime share.
type workerTree struct {
	mu sync.Mutex
	n  int // the workers running
	// creating holds a token for each worker's runtime being created
	// (Host.NewChild), which takes CPU and cannot be interrupted: no more
	// are created at once than the CPUs can work on, so that when the
	// workers are terminated (a worker bomb's, say), no pile of them is
	// still being created, keeping Close waiting.
	creating chan struct{}
}

// quota is what the workers a realm starts are checked against.
type quota struct {
	tree *workerTree // shared by the whole tree
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
		tree := &workerTree{creating: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
		return quota{tree: tree, maxWorkers: opts.MaxWorkers, maxDepth: opts.MaxDepth}
	}
	p := w.parent.quota
	return quota{
		tree:       p.tree,
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
	c := q.tree
	c.mu.Lock()
	defer c.mu.Unlock()
	if q.maxWorkers > 0 && c.n >= q.maxWorkers {
		return &quotaError{fmt.Sprintf("too many workers are running (the limit is %d)", q.maxWorkers)}
	}
	c.n++
	return nil
}

func (q *quota) release() {
	q.tree.mu.Lock()
	q.tree.n--
	q.tree.mu.Unlock()
}

// create calls newChild once the tree creates no more runtimes at once than
// it may, unless ctx is done first (then it returns ctx's error).
func (q *quota) create(ctx context.Context, newChild func() (Child, error)) (Child, error) {
	select {
	case q.tree.creating <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-q.tree.creating }()
	return newChild()
}

// Counter returns a function that reports, from any goroutine, how many
// workers run in the tree of realm: those it started, those they started,
// and so on, from the top-level realm down (the count Options.MaxWorkers
// bounds). It returns nil if the binding is not installed in realm. Call it
// where the realm may be used (its loop goroutine, or before the loop runs).
func Counter(realm *webidl.Realm) func() int {
	a, _ := realm.Data(agentKey{}).(*agent)
	if a == nil {
		return nil
	}
	tree := a.quota.tree
	return func() int {
		tree.mu.Lock()
		defer tree.mu.Unlock()
		return tree.n
	}
}
