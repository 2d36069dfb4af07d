package builtins

import (
	"strconv"
	"sync"
)

// indexKey returns the property key of array index i, the decimal string,
// from a table made once per process for the first indexKeys: loops over
// array elements in Go then make no string per element.
func indexKey(i int64) string {
	if i < indexKeys {
		return indexKeyTable()[i]
	}
	return strconv.FormatInt(i, 10)
}

const indexKeys = 1 << 12

var indexKeyTable = sync.OnceValue(func() []string {
	t := make([]string, indexKeys)
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
})
