package webidl

import (
	"runtime"
	"sync"
	"weak"

	"github.com/dop251/goja"
)

// A WeakTable maps objects to values without keeping the objects alive, as a
// binding's side tables need (an iterator's state, an error's extra fields); an entry
// goes when its object is collected. A value must not reference its own key, or the
// pair is never collected. It is safe for concurrent use.
type WeakTable[T any] struct {
	mu sync.Mutex
	m  map[weak.Pointer[goja.Object]]T
}

// NewWeakTable returns an empty table.
func NewWeakTable[T any]() *WeakTable[T] {
	return &WeakTable[T]{m: make(map[weak.Pointer[goja.Object]]T)}
}

// Set maps o to v.
func (t *WeakTable[T]) Set(o *goja.Object, v T) {
	p := weak.Make(o)
	t.mu.Lock()
	t.m[p] = v
	t.mu.Unlock()
	tp := weak.Make(t)
	runtime.AddCleanup(o, func(p weak.Pointer[goja.Object]) {
		if t := tp.Value(); t != nil {
			t.mu.Lock()
			delete(t.m, p)
			t.mu.Unlock()
		}
	}, p)
}

// Get returns the value o maps to.
func (t *WeakTable[T]) Get(o *goja.Object) (T, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[weak.Make(o)]
	return v, ok
}

// Len returns the number of entries whose objects have not been collected yet (or
// whose removal has not run yet).
func (t *WeakTable[T]) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}
