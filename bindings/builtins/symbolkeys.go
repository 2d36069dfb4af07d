package builtins

import (
	"runtime"
	"sync"
	"weak"

	"github.com/dop251/goja"
)

// symbolKeys are the entries of one WeakMap or WeakSet whose keys are
// symbols, which goja's own storage, keyed by objects, cannot hold. They hold
// their keys weakly and their values strongly: a cleanup registered on a key
// removes its entry once the Go garbage collector has collected the symbol.
// The cleanup refers to the entries only weakly, so that it keeps neither
// them nor their collection alive.
//
// As with goja's object keys, a value that refers to its own key (directly
// or through other values) keeps the key alive for as long as the collection
// lives: Go's collector has no ephemerons. The entries are held by the
// collection alone (see weakCollection.entries), never by a root, so such a
// cycle is collected with the collection.
type symbolKeys struct {
	of *weakCollection // the collection kind they belong to

	mu sync.Mutex // guards m, from which cleanups remove entries
	m  map[weak.Pointer[goja.Symbol]]goja.Value

	cleanups *keyCleanups
}

// keyCleanups are the cleanups registered on the keys of a symbolKeys. They
// are apart from it, and refer to no value, so that a cleanup registered on
// the symbolKeys can stop them once it is collected: a key that outlives its
// collection (a well-known symbol, one a script keeps) is then left with no
// cleanup from it, rather than one more for each collection it was a key of.
type keyCleanups struct {
	mu sync.Mutex
	m  map[weak.Pointer[goja.Symbol]]runtime.Cleanup
}

// droppedKey is what the cleanup of a key is given.
type droppedKey struct {
	keys weak.Pointer[symbolKeys]
	key  weak.Pointer[goja.Symbol]
}

func newSymbolKeys(of *weakCollection) *symbolKeys {
	k := &symbolKeys{
		of:       of,
		m:        make(map[weak.Pointer[goja.Symbol]]goja.Value),
		cleanups: &keyCleanups{m: make(map[weak.Pointer[goja.Symbol]]runtime.Cleanup)},
	}
	runtime.AddCleanup(k, (*keyCleanups).stopAll, k.cleanups)
	return k
}

// get returns the value of key's entry, and whether there is one. The nil
// *symbolKeys, that of a collection which never held a symbol, has none.
func (k *symbolKeys) get(key *goja.Symbol) (goja.Value, bool) {
	if k == nil {
		return nil, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[weak.Make(key)]
	return v, ok
}

// set sets the value of key's entry, which it adds if there is none.
func (k *symbolKeys) set(key *goja.Symbol, v goja.Value) {
	p := weak.Make(key)
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.m[p]
	k.m[p] = v
	if !ok {
		k.cleanups.add(p, runtime.AddCleanup(key, dropKey, droppedKey{keys: weak.Make(k), key: p}))
	}
}

// remove removes key's entry, and reports whether there was one.
func (k *symbolKeys) remove(key *goja.Symbol) bool {
	if k == nil {
		return false
	}
	p := weak.Make(key)
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.m[p]
	if ok {
		delete(k.m, p)
		k.cleanups.remove(p).Stop()
	}
	return ok
}

// len returns the number of entries, including those whose keys are
// collected and whose cleanup has not run yet.
func (k *symbolKeys) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}

// dropKey runs on the Go runtime's cleanup goroutine once a key is
// collected, and removes its entry.
func dropKey(d droppedKey) {
	k := d.keys.Value()
	if k == nil {
		return
	}
	k.mu.Lock()
	delete(k.m, d.key)
	k.cleanups.remove(d.key)
	k.mu.Unlock()
}

func (c *keyCleanups) add(key weak.Pointer[goja.Symbol], cleanup runtime.Cleanup) {
	c.mu.Lock()
	c.m[key] = cleanup
	c.mu.Unlock()
}

// remove forgets the cleanup of key, and returns it.
func (c *keyCleanups) remove(key weak.Pointer[goja.Symbol]) runtime.Cleanup {
	c.mu.Lock()
	defer c.mu.Unlock()
	cleanup := c.m[key]
	delete(c.m, key)
	return cleanup
}

// len returns the number of cleanups not stopped or run.
func (c *keyCleanups) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// stopAll runs on the Go runtime's cleanup goroutine once the symbolKeys
// the cleanups belong to is collected, and stops them.
func (c *keyCleanups) stopAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, cleanup := range c.m {
		cleanup.Stop()
		delete(c.m, key)
	}
}
