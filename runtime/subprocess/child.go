package subprocess

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/webidl"
)

// envChild marks a process that Start started: Main serves in it.
const envChild = "WSJS_SUBPROCESS"

// Main is the hook of a host binary: call it first thing in main (and in
// TestMain, for tests that start subprocesses from the test binary). In a
// process that Start started, it serves the runtime over standard input and
// output until the host closes the pipe, then exits the process, never
// returning. Anywhere else it returns at once.
//
//	func main() {
//		subprocess.Main()
//		// the host's own work
//	}
func Main() {
	if os.Getenv(envChild) != "1" {
		return
	}
	os.Unsetenv(envChild)
	out := os.Stdout
	os.Stdout = os.Stderr // the pipe carries frames only
	os.Exit(serveChild(os.Stdin, out))
}

// A child serves one runtime to the host at the other end of the pipe.
type child struct {
	fw     *frameWriter
	rt     *runtime.Runtime
	ctx    context.Context // done once the host has closed the pipe
	cancel context.CancelFunc

	mu        sync.Mutex
	calls     map[uint64]context.CancelFunc // calls in progress
	hostcalls map[uint64]chan *message      // calls of host modules awaiting replies
	nextHost  uint64
	wg        sync.WaitGroup
}

// serveChild runs the child's side of the protocol and returns the exit code.
func serveChild(in io.Reader, out io.Writer) int {
	r := bufio.NewReader(in)
	c := &child{
		fw:        newFrameWriter(out),
		calls:     make(map[uint64]context.CancelFunc),
		hostcalls: make(map[uint64]chan *message),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	m, err := readFrame(r)
	if err != nil || m.Op != opStart || m.Start == nil {
		fmt.Fprintln(os.Stderr, "wsjs subprocess: no start message:", err)
		return 2
	}
	// The entry module may await host modules while it is evaluated: the
	// replies are read while the runtime starts, and the host sends calls
	// only once it is ready.
	var startErr error
	startDone := make(chan struct{})
	go func() {
		startErr = c.start(m.Start)
		c.fw.write(&message{Op: opReady, Err: toWire(startErr)})
		close(startDone)
	}()
	started := func() error { <-startDone; return startErr }
	for {
		m, err := readFrame(r)
		if err != nil { // the host closed the pipe, or went away
			break
		}
		if m.Op == opCall && started() != nil {
			return 1
		}
		c.handle(m)
	}
	select {
	case <-startDone:
	default: // the entry module may be awaiting a host function
		c.cancel()
	}
	if started() != nil {
		return 1
	}
	// The runtime closes before host functions in progress are given up:
	// a call awaiting one returns runtime.ErrClosed, as Process.Close
	// promises, rather than the rejection its cancellation would give it.
	c.rt.Close()
	c.cancel()
	c.wg.Wait()
	return 0
}

// start applies the limits, compiles the script and starts serving it.
func (c *child) start(cfg *startConfig) error {
	if err := setLimits(cfg.MemoryLimit, cfg.CPUTime); err != nil {
		return err
	}
	s, err := runtime.Compile(runtime.CompileOptions{
		Path: cfg.Path, Source: cfg.Source, Dir: cfg.Dir, ModulePaths: cfg.ModulePaths,
	})
	if err != nil {
		return err
	}
	opts := runtime.Options{
		BaseURL:     cfg.BaseURL,
		Stdout:      streamWriter{c.fw, opStdout},
		Stderr:      streamWriter{c.fw, opStderr},
		Dir:         cfg.Dir,
		ModulePaths: cfg.ModulePaths,
		Args:        cfg.Args,
		Limits:      cfg.Limits,
		Modules:     make(map[string]runtime.Module),
	}
	for mod, names := range cfg.Modules {
		m := make(runtime.Module)
		for _, name := range names {
			m[name] = c.hostFunc("host:"+mod+" "+name, mod, name)
		}
		opts.Modules[mod] = m
	}
	if c.rt, err = runtime.New(opts); err != nil {
		return err
	}
	return c.rt.Start(context.Background(), s)
}

// handle acts on a message from the host.
func (c *child) handle(m *message) {
	switch m.Op {
	case opCall:
		ctx, cancel := context.WithCancel(context.Background())
		c.mu.Lock()
		c.calls[m.ID] = cancel
		c.mu.Unlock()
		c.wg.Add(1)
		go c.call(ctx, cancel, m)
	case opCancel:
		c.mu.Lock()
		cancel := c.calls[m.ID]
		c.mu.Unlock()
		if cancel != nil {
			cancel()
		}
	case opHostReply:
		c.mu.Lock()
		ch := c.hostcalls[m.ID]
		delete(c.hostcalls, m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// call runs one Call and sends its result. If the call left the runtime
// unable to serve, the child says why and exits.
func (c *child) call(ctx context.Context, cancel context.CancelFunc, m *message) {
	defer c.wg.Done()
	defer cancel()
	const op = "Process.Call"
	args, err := structuredclone.DecodeBinary(m.Payload, maxDecoded)
	var v any
	if err == nil {
		v, err = c.rt.CallWith(ctx, m.Name, runtime.Conversion{
			Args: func(vm *goja.Runtime) []goja.Value { return deserializeArgs(vm, args, op) },
			Result: func(vm *goja.Runtime, v goja.Value) (any, error) {
				return serialize(vm, v, op)
			},
		})
	}
	raw, _ := v.([]byte)
	c.mu.Lock()
	delete(c.calls, m.ID)
	c.mu.Unlock()
	c.fw.reply(&message{Op: opResult, ID: m.ID, Payload: raw, Err: toWire(err)})
	if ctx.Err() != nil {
		// The call was interrupted, which may end serving, a little after
		// Call has returned: a task queued behind it tells.
		c.rt.Do(context.Background(), func(*goja.Runtime) error { return nil })
	}
	if err := c.rt.Err(); err != nil && !errors.Is(err, runtime.ErrClosed) {
		c.fw.write(&message{Op: opBroken, Err: toWire(err)})
		os.Exit(1)
	}
}

// hostFunc returns the function that stands in the child for a function of
// a host module: an async function, as runtime.AsyncFunc makes it in
// process, that asks the host to call it and settles with its reply.
// Arguments that cannot be cloned reject it with a "DataCloneError"
// DOMException.
func (c *child) hostFunc(op, module, name string) func(goja.FunctionCall, *goja.Runtime) goja.Value {
	return func(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
		p, resolve, reject := vm.NewPromise()
		args := make([]any, len(call.Arguments))
		for i, a := range call.Arguments {
			args[i] = a
		}
		var raw []byte
		exc := vm.Try(func() {
			realm := webidl.RealmOf(vm)
			s := structuredclone.Serialize(realm, vm.NewArray(args...), nil, op)
			var err error
			raw, err = s.AppendBinary(nil)
			s.Discard()
			var dce *structuredclone.DataCloneError
			if errors.As(err, &dce) {
				realm.ThrowDOMException("DataCloneError", dce.Message)
			}
		})
		if exc != nil {
			reject(exc.Value())
		} else {
			go c.hostCall(op, &message{Op: opHostCall, Module: module, Name: name, Payload: raw}, resolve, reject)
		}
		return vm.ToValue(p)
	}
}

// hostCall sends a call of a host module, awaits the reply and settles the
// call's promise with it.
func (c *child) hostCall(op string, m *message, resolve, reject func(any) error) {
	ch := make(chan *message, 1)
	c.mu.Lock()
	c.nextHost++
	m.ID = c.nextHost
	c.hostcalls[m.ID] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.hostcalls, m.ID)
		c.mu.Unlock()
	}()
	var reply *message
	err := c.fw.write(m)
	if err == nil {
		select {
		case reply = <-ch:
			err = reply.Err.goError()
		case <-c.ctx.Done():
			err = c.ctx.Err()
		}
	}
	var v *structuredclone.Serialized
	if err == nil {
		v, err = structuredclone.DecodeBinary(reply.Payload, maxDecoded)
	}
	c.rt.Do(context.Background(), func(vm *goja.Runtime) error {
		if err != nil {
			reject(vm.NewGoError(err))
			return nil
		}
		if exc := vm.Try(func() { resolve(v.Deserialize(webidl.RealmOf(vm), op)) }); exc != nil {
			reject(exc.Value())
		}
		return nil
	})
}

// A streamWriter sends console output to the host.
type streamWriter struct {
	fw *frameWriter
	op string
}

func (s streamWriter) Write(p []byte) (int, error) {
	if err := s.fw.write(&message{Op: s.op, Payload: p}); err != nil {
		return 0, err
	}
	return len(p), nil
}
