package wsapi

import (
	"sync"

	"github.com/wsjs/wsjs/bindings/network"
)

// Refusals are the errors of a binding for the connections it does not start.
type Refusals struct {
	Shutdown error // the runtime has closed
	TooMany  error // the runtime has as many sockets as it may
	BadPort  error // Fetch blocks the port (https://fetch.spec.whatwg.org/#block-bad-port)
}

// A Registry holds a runtime's sockets of one kind (WebSocket or WebSocketStream
// objects) that are not CLOSED: the loop goroutine adds and removes them, and the
// goroutine closing the runtime takes them all. The zero value is ready to use.
type Registry[S comparable] struct {
	mu     sync.Mutex
	m      map[S]struct{}
	closed bool
}

// Admit records s, whose connection to t is about to start, and returns nil, or
// the error that connection fails with instead: refused.Shutdown once Close has
// been called, refused.TooMany when limit sockets are recorded already (a limit
// of zero or less is none), in both cases without recording s; refused.BadPort
// when Fetch turns t's port into a network error, s being recorded then, as
// every socket that is not CLOSED.
func (g *Registry[S]) Admit(s S, limit int, t *Target, refused Refusals) error {
	g.mu.Lock()
	switch {
	case g.closed:
		g.mu.Unlock()
		return refused.Shutdown
	case limit > 0 && len(g.m) >= limit:
		g.mu.Unlock()
		return refused.TooMany
	}
	if g.m == nil {
		g.m = map[S]struct{}{}
	}
	g.m[s] = struct{}{}
	g.mu.Unlock()
	if network.BadPort(t.Port()) {
		return refused.BadPort
	}
	return nil
}

// Remove drops s.
func (g *Registry[S]) Remove(s S) {
	g.mu.Lock()
	delete(g.m, s)
	g.mu.Unlock()
}

// Close refuses the sockets admitted from now on and returns the ones recorded,
// which it drops.
func (g *Registry[S]) Close() map[S]struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	m := g.m
	g.m = nil
	return m
}
