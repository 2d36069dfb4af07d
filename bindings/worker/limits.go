package worker

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/wsjs/wsjs/bindings"
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
// is w, nil at the top, in cluster c (nil for one of its own).
func newQuota(opts Options, w *worker, c *bindings.Cluster) quota {
	if w == nil {
		return quota{tree: treeOf(c), maxWorkers: opts.MaxWorkers, maxDepth: opts.MaxDepth}
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

// treeKey keys the worker tree of an agent cluster: a runtime and its
// workers, all the way down, share both.
type treeKey struct{}

// treeOf returns the worker tree of cluster c, made on first use.
func treeOf(c *bindings.Cluster) *workerTree {
	newTree := func() any {
		return &workerTree{creating: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
	}
	if c == nil {
		return newTree().(*workerTree)
	}
	return c.Value(treeKey{}, newTree).(*workerTree)
}

// Counter returns a function that reports, from any goroutine, how many
// workers run in the tree of the runtimes sharing cluster c: those the
// top-level one started, those they started, and so on (the count
// Options.MaxWorkers bounds).
func Counter(c *bindings.Cluster) func() int {
	return func() int {
		tree := treeOf(c)
		tree.mu.Lock()
		defer tree.mu.Unlock()
		return tree.n
	}
}
