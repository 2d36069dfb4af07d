package structuredclone

import "sync"

// registry maps interface identifiers to what structured cloning does with
// their platform objects. It is safe for concurrent use.
type registry[T any] struct {
	mu sync.RWMutex
	m  map[string]*T
}

// add registers v for iface, or reports false if iface already has a value.
func (g *registry[T]) add(iface string, v *T) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, dup := g.m[iface]; dup {
		return false
	}
	g.m[iface] = v
	return true
}

// get returns the value registered for iface, or nil.
func (g *registry[T]) get(iface string) *T {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.m[iface]
}
