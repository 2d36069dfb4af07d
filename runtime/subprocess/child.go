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

	"github.com/wsjs/wsjs/runtime"
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
	fw *frameWriter
	rt *runtime.Runtime

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
	m, err := readFrame(r)
	if err != nil || m.Op != opStart || m.Start == nil {
		fmt.Fprintln(os.Stderr, "wsjs subprocess: no start message:", err)
		return 2
	}
	err = c.start(m.Start)
	c.fw.write(&message{Op: opReady, Err: toWire(err)})
	if err != nil {
		return 1
	}
	for {
		m, err := readFrame(r)
		if err != nil { // the host closed the pipe, or went away
			c.rt.Close()
			c.wg.Wait()
			return 0
		}
		c.handle(m)
	}
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
			m[name] = c.hostFunc(mod, name)
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
	args, err := decodeArgs(m.Args)
	var v any
	if err == nil {
		v, err = c.rt.Call(ctx, m.Name, args...)
	}
	var raw []byte
	if err == nil {
		raw, err = encodeValue(v)
	}
	c.mu.Lock()
	delete(c.calls, m.ID)
	c.mu.Unlock()
	c.fw.reply(&message{Op: opResult, ID: m.ID, Value: raw, Err: toWire(err)})
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
// a host module: it asks the host to call it and awaits the reply.
func (c *child) hostFunc(module, name string) runtime.AsyncFunc {
	return func(ctx context.Context, args []any) (any, error) {
		raw, err := encodeValue(args)
		if err != nil {
			return nil, err
		}
		ch := make(chan *message, 1)
		c.mu.Lock()
		c.nextHost++
		id := c.nextHost
		c.hostcalls[id] = ch
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			delete(c.hostcalls, id)
			c.mu.Unlock()
		}()
		err = c.fw.write(&message{Op: opHostCall, ID: id, Module: module, Name: name, Args: raw})
		if err != nil {
			return nil, err
		}
		select {
		case m := <-ch:
			if m.Err != nil {
				return nil, m.Err.goError()
			}
			return decodeValue(m.Value)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// A streamWriter sends console output to the host.
type streamWriter struct {
	fw *frameWriter
	op string
}

func (s streamWriter) Write(p []byte) (int, error) {
	if err := s.fw.write(&message{Op: s.op, Data: p}); err != nil {
		return 0, err
	}
	return len(p), nil
}
