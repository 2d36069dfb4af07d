package wasm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"

	"github.com/wsjs/wsjs/bindings"
)

// compilationCache holds the code wazero compiles, shared by every realm of
// the process: a module compiled twice, in one realm or two, is compiled
// once, and its code is freed once no realm holds it (each Module's code is
// closed when the garbage collector finds the Module unreachable).
var compilationCache = sync.OnceValue(wazero.NewCompilationCache)

// features are the WebAssembly 2.0 features with threads (shared memory and
// atomics) and extended constant expressions.
const features = api.CoreFeaturesV2 | experimental.CoreFeaturesThreads | experimental.CoreFeaturesExtendedConst

// engine returns the realm's wazero runtime, made on first use: a realm that
// never compiles a module pays nothing for WebAssembly.
func (s *state) engine() wazero.Runtime {
	if s.rt != nil {
		return s.rt
	}
	cfg := wazero.NewRuntimeConfig().
		WithCoreFeatures(features).
		WithCompilationCache(compilationCache()).
		// Compiled code checks the context in loops and calls: an
		// interrupt stops wasm that never returns.
		WithCloseOnContextDone(true)
	s.rt = wazero.NewRuntimeWithConfig(context.Background(), cfg)
	if s.env.Loop != nil {
		rt := s.rt
		s.env.Loop.OnClose(func() { _ = rt.Close(context.Background()) })
	}
	return s.rt
}

// context returns the context wasm runs under: done when the realm's loop
// is interrupted.
func (s *state) context() context.Context {
	ctx := context.Background()
	if s.env.Loop != nil {
		ctx = s.env.Loop.InterruptContext()
	}
	return experimental.WithMemoryAllocator(ctx, allocator{s.env.Memory()})
}

// errHostPanicked is what a host function panics with to unwind wasm after
// script threw; the value script threw waits in state.pending.
var errHostPanicked = errors.New("wasm: an imported function threw")

// guard runs f, a call into wazero, and returns its error, turning a panic
// inside wazero into one.
func guard(f func() error) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%v", x)
		}
	}()
	return f()
}

// rethrow throws in script what stopped a call into wasm that returned err:
// what an imported function threw (or the interrupt it met), the runtime's
// interrupt, a RangeError for exhausted stack, or a RuntimeError for a trap
// (https://webassembly.github.io/spec/js-api/#call-an-exported-function
// step 9, "If ret is error, throw an exception").
func (s *state) rethrow(err error, ctx context.Context) {
	if p := s.pending; p != nil {
		s.pending = nil
		panic(p)
	}
	var exit *sys.ExitError
	if ctx.Err() != nil || errors.As(err, &exit) && (exit.ExitCode() == sys.ExitCodeContextCanceled || exit.ExitCode() == sys.ExitCodeDeadlineExceeded) {
		s.interrupted()
	}
	msg := trapMessage(err)
	if strings.Contains(msg, "stack overflow") {
		panic(s.realm.NewRangeError("Maximum call stack size exceeded"))
	}
	panic(s.newError(runtimeError, msg))
}

// interrupted throws the runtime's interrupt, which ends the run as it
// would have ended a script, once wasm or a compile has stopped for it:
// calling into script raises it.
func (s *state) interrupted() {
	if _, ierr := s.noop()(goja.Undefined()); ierr != nil {
		panic(ierr)
	}
}

// trapMessage returns the first line of a wazero error, without its prefix.
func trapMessage(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimPrefix(msg, "wasm error: ")
}

// noop returns a script function that does nothing: calling it is where
// goja raises a pending interrupt.
func (s *state) noop() goja.Callable {
	if s.noopFn == nil {
		v, err := s.realm.VM().RunString("(function () {})")
		if err != nil {
			panic(err)
		}
		s.noopFn, _ = goja.AssertFunction(v)
	}
	return s.noopFn
}

// allocator gives wasm memories arrays charged to a memory budget: an array
// that would not fit fails the allocation (memory.grow returns -1). Each
// array's bytes are credited back once the garbage collector frees it.
type allocator struct{ budget *bindings.Budget }

func (a allocator) Allocate(capacity, max uint64) experimental.LinearMemory {
	return &linearMemory{budget: a.budget, max: max}
}

type linearMemory struct {
	budget *bindings.Budget
	max    uint64
	buf    []byte
	// fixed is set for shared memory, which must not move: allocated at
	// its maximum at once.
	fixed bool
}

// Reallocate returns the memory at size bytes, moving it to a larger array
// (twice the size, within the maximum) when it has no room.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size <= uint64(cap(m.buf)) {
		clear(m.buf[len(m.buf):size])
		m.buf = m.buf[:size]
		return m.buf
	}
	if m.fixed || size > m.max {
		return nil
	}
	n := min(max(2*uint64(cap(m.buf)), size), m.max)
	if !m.budget.Reserve(int64(n)) {
		n = size
		if !m.budget.Reserve(int64(n)) {
			return nil
		}
	}
	next := make([]byte, size, n)
	copy(next, m.buf)
	bindings.AttachBytes(m.budget, next[:cap(next)], int64(n))
	m.buf = next
	return next
}

func (m *linearMemory) Free() {}

// sharedAllocator allocates the memory of a module whose memory is shared:
// at its maximum, which is what it is charged, as a growable
// SharedArrayBuffer is.
type sharedAllocator struct{ budget *bindings.Budget }

func (a sharedAllocator) Allocate(capacity, max uint64) experimental.LinearMemory {
	m := &linearMemory{budget: a.budget, max: max, fixed: true}
	if a.budget.Reserve(int64(max)) {
		m.buf = make([]byte, 0, max)
		bindings.AttachBytes(a.budget, m.buf[:max], int64(max))
	}
	return m
}

// owned is what a wazero module the namespace made holds: closed, with its
// code, once the Go value that owns it is unreachable.
type owned struct {
	mod  api.Module
	code wazero.CompiledModule
	// charged is what the owner holds of budget, given back once closed.
	budget  *bindings.Budget
	charged int64
}

// closeWhenUnreachable closes o once the garbage collector finds owner
// unreachable. owner must be what script holds (through the object's
// slots), not anything wazero holds.
func closeWhenUnreachable[T any](owner *T, o owned) {
	runtime.AddCleanup(owner, func(o owned) {
		ctx := context.Background()
		if o.mod != nil {
			_ = o.mod.Close(ctx)
		}
		if o.code != nil {
			_ = o.code.Close(ctx)
		}
		o.budget.Release(o.charged)
	}, o)
}
