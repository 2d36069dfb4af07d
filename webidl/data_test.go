package webidl

import (
	"sync"
	"testing"
)

// TestDataAcrossGoroutines reads a realm's data on one goroutine while a
// binding stores more on another, as a runtime closed from another
// goroutine does while its bindings install on first use (run with -race).
func TestDataAcrossGoroutines(t *testing.T) {
	_, r := newRealm(t)
	type key int
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 1000 {
			r.SetData(key(i), i)
		}
	}()
	go func() {
		defer wg.Done()
		for i := range 1000 {
			if v := r.Data(key(i)); v != nil && v != i {
				t.Errorf("Data(%d) = %v", i, v)
			}
		}
	}()
	wg.Wait()
	if v := r.Data(key(999)); v != 999 {
		t.Errorf("Data(999) = %v after the writes", v)
	}
}
