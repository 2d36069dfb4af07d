package runtime

import (
	"io"
	"reflect"
	"sync"
)

// lockedWriter serializes the writes of a runtime and of its workers, which
// share the runtime's Stdout and Stderr from their own goroutines.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lockWriters wraps stdout and stderr, with one lock if they are the same
// writer; writers already wrapped (a worker's) are kept.
func lockWriters(stdout, stderr io.Writer) (io.Writer, io.Writer) {
	wrap := func(w io.Writer, mu *sync.Mutex) io.Writer {
		if _, ok := w.(*lockedWriter); ok {
			return w
		}
		return &lockedWriter{mu: mu, w: w}
	}
	mu := new(sync.Mutex)
	out := wrap(stdout, mu)
	if t := reflect.TypeOf(stdout); t == reflect.TypeOf(stderr) && t.Comparable() && stdout == stderr {
		return out, out
	}
	return out, wrap(stderr, new(sync.Mutex))
}
