package jsregexp

import "sync"

// Cache keeps values made from a pattern and its flags (translations,
// compiled matchers) for the whole process, within a budget of code units:
// a function holding a regular expression literal makes a new RegExp object
// each time it runs, and the harness of test262, like many libraries, holds
// literals of ten thousand units spelling out Unicode properties, which take
// a second to translate and compile. The budget keeps a script making
// distinct patterns of a megabyte from having the process hold gigabytes
// (it did, with a cache bounded by entries alone). The zero Cache is ready.
type Cache[V any] struct {
	mu    sync.Mutex
	m     map[string]V
	units int // the units of the patterns in m, and entryUnits per entry
}

const (
	// cacheUnits is the budget of one cache: when a new entry would pass
	// it, the cache is emptied. A compiled matcher takes some 30 bytes per
	// unit of its pattern at worst, so a full cache holds tens of megabytes
	// at most.
	cacheUnits = 1 << 19
	// MaxCachedUnits is the length of the longest pattern a Cache keeps.
	MaxCachedUnits = cacheUnits / 16
	// entryUnits is what an entry costs beside its pattern, so that
	// short patterns are bounded in number too.
	entryUnits = 128
)

// Get returns the value kept for pattern and f, or the one make makes,
// which it keeps if make says so, unless the pattern is longer than
// MaxCachedUnits. make runs without the cache locked.
func (c *Cache[V]) Get(pattern []uint16, f Flags, make func() (v V, keep bool)) V {
	if len(pattern) > MaxCachedUnits {
		v, _ := make()
		return v
	}
	key := cacheKey(pattern, f)
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v, keep := make()
	if !keep {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.units+len(pattern)+entryUnits > cacheUnits {
		c.m = map[string]V{}
		c.units = 0
	}
	if _, ok := c.m[key]; !ok {
		c.m[key] = v
		c.units += len(pattern) + entryUnits
	}
	return v
}

// cacheKey is the flags and the pattern's units as one string.
func cacheKey(u []uint16, f Flags) string {
	fs := f.String()
	b := make([]byte, len(fs)+1+2*len(u))
	n := copy(b, fs)
	b[n] = '/'
	for i, c := range u {
		b[n+1+2*i], b[n+2+2*i] = byte(c>>8), byte(c)
	}
	return string(b)
}
