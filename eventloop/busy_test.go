package eventloop

import (
	"context"
	"testing"

	"github.com/dop251/goja"
)

// TestBusy checks that Options.Busy brackets the tasks the loop runs, on
// Run's goroutine and on a Flush caller's, and is false while it waits.
func TestBusy(t *testing.T) {
	var busy bool
	var calls int
	l := New(goja.New(), Options{Busy: func(b bool) {
		if b == busy {
			t.Errorf("Busy(%v) twice", b)
		}
		busy = b
		calls++
	}})
	for _, tc := range []struct {
		name string
		run  func()
	}{
		{"Run", func() {
			l.Queue(func() {
				if !busy {
					t.Error("a task ran while not busy")
				}
			})
			if err := l.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
		}},
		{"Do", func() {
			done := make(chan error, 1)
			release := l.Hold()
			go func() { done <- l.Run(context.Background()) }()
			if err := l.Do(context.Background(), func() error {
				if !busy {
					t.Error("a task ran while not busy")
				}
				release()
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}},
	} {
		calls = 0
		tc.run()
		if busy || calls == 0 || calls%2 != 0 {
			t.Errorf("%s: busy %v after %d calls", tc.name, busy, calls)
		}
	}
}
