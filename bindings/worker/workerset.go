package worker

import (
	"sync"
	"time"
)

// workerSet is the set of a runtime's live workers, which Close terminates.
type workerSet struct {
	mu sync.Mutex
	m  map[*worker]struct{}
	// shared are the shared workers that SharedWorker's constructor finds
	// (those whose closing flag is not set).
	shared map[sharedKey]*worker
	closed bool
}

// add adds w, reporting false once the set is closed.
func (s *workerSet) add(w *worker) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if s.m == nil {
		s.m = make(map[*worker]struct{})
	}
	s.m[w] = struct{}{}
	if w.shared != nil {
		if s.shared == nil {
			s.shared = make(map[sharedKey]*worker)
		}
		s.shared[w.shared.key] = w
	}
	return true
}

func (s *workerSet) remove(w *worker) {
	s.mu.Lock()
	delete(s.m, w)
	s.forgetSharedLocked(w)
	s.mu.Unlock()
}

// findShared returns the shared worker of key, if there is one.
func (s *workerSet) findShared(key sharedKey) *worker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shared[key]
}

// forgetShared takes w out of the shared workers found by key; it stays in
// the set until its goroutine returns.
func (s *workerSet) forgetShared(w *worker) {
	s.mu.Lock()
	s.forgetSharedLocked(w)
	s.mu.Unlock()
}

func (s *workerSet) forgetSharedLocked(w *worker) {
	if w.shared != nil && s.shared[w.shared.key] == w {
		delete(s.shared, w.shared.key)
	}
}

// list returns the workers in the set.
func (s *workerSet) list() []*worker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listLocked()
}

func (s *workerSet) listLocked() []*worker {
	list := make([]*worker, 0, len(s.m))
	for w := range s.m {
		list = append(list, w)
	}
	return list
}

// closeAll terminates every worker and waits for their goroutines to
// return, for wait at most (0: as long as it takes).
func (s *workerSet) closeAll(wait time.Duration) {
	s.mu.Lock()
	s.closed = true
	list := s.listLocked()
	s.mu.Unlock()
	for _, w := range list {
		w.terminate()
	}
	var late <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		late = t.C
	}
	for _, w := range list {
		select {
		case <-w.done:
		case <-late:
			return
		}
	}
}
