package subprocess

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/runtime"
)

var (
	// ErrMemoryLimit is wrapped by the *ExitError of a child that ran out of
	// memory under Config.MemoryLimit.
	ErrMemoryLimit = errors.New("subprocess: memory limit exceeded")
	// ErrCPULimit is wrapped by the *ExitError of a child that used up
	// Config.CPUTime.
	ErrCPULimit = errors.New("subprocess: CPU time limit exceeded")
)

// An ExitError reports that the child process ended while the host still
// needed it: it crashed (a Go panic or fatal error), ran out of memory or
// CPU time, was killed, or exited. Every call pending then, and every later
// call, returns it; so does Process.Err.
type ExitError struct {
	// Err says why, when that is known: ErrMemoryLimit, ErrCPULimit, or the
	// reason the host killed the child. It is nil otherwise.
	Err error
	// State is the child's exit status.
	State *os.ProcessState
	// Stderr is the start and the end of what the child wrote to its standard error
	// outside the runtime's console: a Go crash report, for instance.
	Stderr string
}

func (e *ExitError) Error() string {
	var b strings.Builder
	b.WriteString("subprocess: child ")
	if e.State != nil {
		b.WriteString(e.State.String())
	} else {
		b.WriteString("ended")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if line := lastLine(e.Stderr); line != "" {
		fmt.Fprintf(&b, " (stderr: %s)", line)
	}
	return b.String()
}

func (e *ExitError) Unwrap() error { return e.Err }

// lastLine returns the line of a Go crash report in s that says what
// happened ("fatal error: ...", "panic: ...", "SIGQUIT: quit") if it has one,
// else its last non-empty line.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "fatal error: ") || strings.HasPrefix(l, "panic: ") ||
			strings.HasPrefix(l, "SIG") && strings.Contains(l, ": ") {
			return l
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// A wireError is an error as it crosses the pipe.
type wireError struct {
	Kind      string            `json:"kind,omitempty"`
	Message   string            `json:"message"`
	Stack     string            `json:"stack,omitempty"`
	InPromise bool              `json:"inPromise,omitempty"`
	Problems  []runtime.Problem `json:"problems,omitempty"`
}

// Kinds of wireError, for errors the host rebuilds as the same Go value.
const (
	kindScript      = "script"      // *runtime.Error
	kindLoad        = "load"        // *runtime.LoadError
	kindNotFunction = "notfunction" // wraps runtime.ErrNotFunction
	kindNotServing  = "notserving"
	kindClosed      = "closed"
	kindStale       = "stale"
	kindCanceled    = "canceled"
	kindDeadline    = "deadline"
	kindHeap        = "heap"
	kindClone       = "clone" // *structuredclone.DataCloneError
)

// sentinels are the errors a kind stands for as such.
var sentinels = map[string]error{
	kindNotServing: runtime.ErrNotServing,
	kindClosed:     runtime.ErrClosed,
	kindStale:      eventloop.ErrStaleFrames,
	kindCanceled:   context.Canceled,
	kindDeadline:   context.DeadlineExceeded,
	kindHeap:       runtime.ErrHeapExceeded,
}

// toWire describes err for the host.
func toWire(err error) *wireError {
	if err == nil {
		return nil
	}
	w := &wireError{Message: err.Error()}
	var se *runtime.Error
	var le *runtime.LoadError
	var ce *structuredclone.DataCloneError
	switch {
	case errors.As(err, &ce):
		w.Kind, w.Message = kindClone, ce.Message
	case errors.As(err, &se):
		w.Kind, w.Message, w.Stack, w.InPromise = kindScript, se.Message, se.Stack, se.InPromise
	case errors.As(err, &le):
		w.Kind, w.Problems = kindLoad, le.Problems
	case errors.Is(err, runtime.ErrNotFunction):
		w.Kind = kindNotFunction
	default:
		for k, s := range sentinels {
			if errors.Is(err, s) {
				w.Kind = k
			}
		}
	}
	return w
}

// goError rebuilds the error w describes, as a value of the same type when
// it is one of the runtime's.
func (w *wireError) goError() error {
	if w == nil {
		return nil
	}
	switch w.Kind {
	case kindScript:
		return &runtime.Error{Message: w.Message, Stack: w.Stack, InPromise: w.InPromise}
	case kindLoad:
		le := &runtime.LoadError{Problems: w.Problems}
		if len(w.Problems) == 0 {
			le.Err = errors.New(w.Message)
		}
		return le
	case kindNotFunction:
		return &wrapped{msg: w.Message, err: runtime.ErrNotFunction}
	case kindClone:
		return &structuredclone.DataCloneError{Message: w.Message}
	}
	if s := sentinels[w.Kind]; s != nil {
		if s.Error() == w.Message {
			return s
		}
		return &wrapped{msg: w.Message, err: s}
	}
	return errors.New(w.Message)
}

// A wrapped error has the child's message and wraps a sentinel.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
