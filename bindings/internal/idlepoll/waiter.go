package idlepoll

import "sync"

// A Resumer continues the reading of a socket the poller gives back.
type Resumer interface {
	// Resume is started on a new goroutine when a parked socket becomes
	// readable or is woken by Wake; it takes over from the goroutine that
	// parked the socket.
	Resume()
}

// A Waiter is one socket's place in the poller. Its zero value with Resumer
// set is ready to use; it must not be copied after first use.
type Waiter struct {
	// Resumer is told when the socket is given back. An interface rather than
	// a func: the owner of a Waiter is usually a Resumer already, so setting it
	// allocates no closure.
	Resumer Resumer

	mu    sync.Mutex
	id    uint32 // of the current registration; 0 while not parked
	woken bool   // Wake came while not parked: the next Park declines
	added bool   // the descriptor is in the poller's set (disarmed after an event)
}

// Wake resumes the socket now if it is parked, from any goroutine; for
// example after closing it, since a closed descriptor leaves the poller's set
// without an event. If it is not parked, the next Park declines, so that a
// Wake racing with Park is not lost.
func (w *Waiter) Wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.id == 0 {
		w.woken = true
		return
	}
	forget(w.id)
	w.id = 0
	go w.Resumer.Resume()
}

// resume is the poller's wake-up of the registration id.
func (w *Waiter) resume(id uint32) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.id == id {
		w.id = 0
		go w.Resumer.Resume()
	}
}
