package idlepoll

import (
	"os"
	"sync"
	"syscall"
)

// Supported reports whether Park can take sockets on this system.
const Supported = true

// poller is the process's epoll instance and the sockets parked in it, by the
// identifier each registration carries in its event data. Identifiers are not
// reused while registered, so an event still on its way for a socket that was
// woken otherwise finds nothing.
var poller struct {
	once   sync.Once
	epfd   int
	err    error
	mu     sync.Mutex
	next   uint32
	parked map[uint32]*Waiter
}

// start creates the epoll instance and its goroutine on first use.
func start() error {
	p := &poller
	p.once.Do(func() {
		p.epfd, p.err = syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if p.err != nil {
			p.err = os.NewSyscallError("epoll_create1", p.err)
			return
		}
		p.parked = make(map[uint32]*Waiter)
		go loop(p.epfd)
	})
	return p.err
}

// loop waits for parked sockets to become readable (or hung up, or in error,
// which a read then reports) and resumes them.
func loop(epfd int) {
	var evs [128]syscall.EpollEvent
	for {
		n, err := syscall.EpollWait(epfd, evs[:], -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			// Only a broken instance fails here; parked sockets would never
			// wake, so fail loudly.
			panic(os.NewSyscallError("epoll_wait", err))
		}
		for _, ev := range evs[:n] {
			id := uint32(ev.Fd)
			if w := forget(id); w != nil {
				w.resume(id)
			}
		}
	}
}

// remember gives w a fresh registration identifier.
func remember(w *Waiter) uint32 {
	p := &poller
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		p.next++
		if _, used := p.parked[p.next]; p.next != 0 && !used {
			p.parked[p.next] = w
			return p.next
		}
	}
}

// forget removes the registration id, returning its Waiter if it was there.
func forget(id uint32) *Waiter {
	p := &poller
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.parked[id]
	delete(p.parked, id)
	return w
}

// Park hands the socket rc reads to the poller, once the caller has found
// nothing to read. It returns true if the poller took it: the caller's
// goroutine must then return without touching what the Resumer will use, and
// its Resume runs on a new goroutine when the socket is readable or Wake is
// called. It returns false, and the caller keeps reading, if the socket is
// closed, epoll is unavailable, or Wake was called since the last Park.
func (w *Waiter) Park(rc syscall.RawConn) bool {
	if start() != nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.woken {
		w.woken = false
		return false
	}
	id := remember(w)
	var cerr error
	// Inside Control the descriptor cannot be closed (and its number reused).
	err := rc.Control(func(fd uintptr) { cerr = w.register(int(fd), id) })
	if err != nil || cerr != nil {
		forget(id)
		return false
	}
	w.id = id
	return true
}

// register arms the one-shot interest in fd, carrying id.
func (w *Waiter) register(fd int, id uint32) error {
	ev := syscall.EpollEvent{
		Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT,
		Fd:     int32(id),
	}
	op := syscall.EPOLL_CTL_ADD
	if w.added {
		op = syscall.EPOLL_CTL_MOD
	}
	err := syscall.EpollCtl(poller.epfd, op, fd, &ev)
	switch {
	case err == syscall.EEXIST && op == syscall.EPOLL_CTL_ADD:
		err = syscall.EpollCtl(poller.epfd, syscall.EPOLL_CTL_MOD, fd, &ev)
	case err == syscall.ENOENT && op == syscall.EPOLL_CTL_MOD:
		err = syscall.EpollCtl(poller.epfd, syscall.EPOLL_CTL_ADD, fd, &ev)
	}
	if err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	w.added = true
	return nil
}
