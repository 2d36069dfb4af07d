package jstest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
)

// Reported records what a loop reports: its uncaught exceptions and unhandled
// rejections, a line each. The zero value is ready to use, from any goroutine.
type Reported struct {
	mu    sync.Mutex
	lines []string
}

// LoopOptions returns loop options whose callbacks record in r.
func (r *Reported) LoopOptions() eventloop.Options {
	return eventloop.Options{
		OnException: func(exc *goja.Exception) { r.add("exception: " + exc.Error()) },
		OnUnhandledRejection: func(p *goja.Promise) {
			r.add(fmt.Sprintf("unhandled rejection: %v", p.Result()))
		},
	}
}

func (r *Reported) add(s string) {
	r.mu.Lock()
	r.lines = append(r.lines, s)
	r.mu.Unlock()
}

// Check fails the test if anything has been reported.
func (r *Reported) Check(t testing.TB) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.lines) > 0 {
		t.Errorf("reported: %s", strings.Join(r.lines, "; "))
	}
}
