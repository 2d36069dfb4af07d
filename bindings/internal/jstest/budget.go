package jstest

import (
	"runtime"
	"testing"
	"time"

	"github.com/wsjs/wsjs/bindings"
)

// WaitUsed waits, collecting garbage, until b's use is want, and fails the
// test if that takes more than five seconds.
func WaitUsed(t testing.TB, b *bindings.Budget, want int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.Used() != want {
		if time.Now().After(deadline) {
			t.Fatalf("budget used %d bytes, want %d", b.Used(), want)
		}
		runtime.GC()
		runtime.Gosched()
	}
}
