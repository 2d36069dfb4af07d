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

// Get returns the value kept for pattern and f.
func (c *Cache[V]) Get(pattern []uint16, f Flags) (v V, ok bool) {
	if len(pattern) > MaxCachedUnits {
		return v, false
	}
	key := cacheKey(pattern, f)
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok = c.m[key]
	return v, ok
}

// Put keeps v for pattern and f, unless the pattern is longer than
// MaxCachedUnits.
func (c *Cache[V]) Put(pattern []uint16, f Flags, v V) {
	if len(pattern) > MaxCachedUnits {
		return
	}
	key := cacheKey(pattern, f)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; ok {
		return
	}
	if c.m == nil || c.units+len(pattern)+entryUnits > cacheUnits {
		c.m = map[string]V{}
		c.units = 0
	}
	c.m[key] = v
	c.units += len(pattern) + entryUnits
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
