package subprocess

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// A Process is a child process serving one runtime for the host: the
// out-of-process counterpart of a runtime.Runtime that Start has left
// serving. Its methods may be called from any goroutine.
type Process struct {
	cfg            Config
	cmd            *exec.Cmd
	fw             *frameWriter
	stdin          io.Closer
	tail           tail
	stdout, stderr io.Writer
	ready          chan *message // the answer to the start message
	done           chan struct{} // closed once the child has exited
	hostCtx        context.Context
	hostCancel     context.CancelFunc
	hostWG         sync.WaitGroup // calls of Config.Modules in progress
	closeOnce      sync.Once

	mu      sync.Mutex
	calls   map[uint64]chan *message // calls awaiting results
	next    uint64
	err     error // why no more calls can be made
	killWhy error // why the host killed the child
}

// Start starts a child process, which compiles the script cfg names and
// serves it as runtime.Runtime.Start does, and returns once the entry
// module has been evaluated. An error compiling or evaluating it is returned
// as in process: a *runtime.LoadError or a *runtime.Error. If ctx ends first,
// the child is killed and Start returns ctx's error. To restart a child that
// has ended, call Start again.
func Start(ctx context.Context, cfg Config) (*Process, error) {
	cmd, err := cfg.command()
	if err != nil {
		return nil, err
	}
	p := &Process{
		cfg:    cfg,
		cmd:    cmd,
		stdout: orStd(cfg.Stdout, os.Stdout),
		stderr: orStd(cfg.Stderr, os.Stderr),
		ready:  make(chan *message, 1),
		done:   make(chan struct{}),
		calls:  make(map[uint64]chan *message),
	}
	p.hostCtx, p.hostCancel = context.WithCancel(context.Background())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.stdin, p.fw = stdin, newFrameWriter(stdin)
	cmd.Stderr = io.MultiWriter(p.stderr, &p.tail)
	if err := cmd.Start(); err != nil {
		p.hostCancel()
		return nil, fmt.Errorf("subprocess: %w", err)
	}
	go p.read(stdout)
	// On its own goroutine: a child that does not read its input (a binary
	// that does not call Main) must not block Start beyond ctx. A write
	// to a child that has exited fails.
	go p.fw.write(&message{Op: opStart, Start: cfg.startConfig()})
	return p.awaitReady(ctx)
}

// awaitReady waits for the child's answer to the start message.
func (p *Process) awaitReady(ctx context.Context) (*Process, error) {
	var m *message
	select {
	case m = <-p.ready:
	case <-p.done:
		select {
		case m = <-p.ready:
		default:
			return nil, p.Err()
		}
	case <-ctx.Done():
		p.kill(ctx.Err())
		<-p.done
		return nil, ctx.Err()
	}
	if m.Err != nil {
		p.Close()
		return nil, m.Err.goError()
	}
	return p, nil
}

// read reads the child's messages until it exits, then fails the calls
// still waiting.
func (p *Process) read(r io.Reader) {
	br := bufio.NewReader(r)
	for {
		m, err := readFrame(br)
		if err != nil {
			if err != io.EOF {
				p.kill(err)
			}
			break
		}
		p.dispatch(m)
	}
	p.cmd.Wait()
	p.mu.Lock()
	if p.err == nil {
		p.err = exitError(p.cmd.ProcessState, p.tail.String(), p.killWhy, &p.cfg)
	}
	calls := p.calls
	p.calls = nil
	p.mu.Unlock()
	for _, ch := range calls {
		ch <- nil
	}
	p.hostCancel()
	close(p.done)
}

// dispatch acts on a message from the child.
func (p *Process) dispatch(m *message) {
	switch m.Op {
	case opReady:
		select {
		case p.ready <- m:
		default: // only the first counts
		}
	case opResult:
		p.mu.Lock()
		ch := p.calls[m.ID]
		delete(p.calls, m.ID)
		p.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	case opStdout:
		p.stdout.Write(m.Payload)
	case opStderr:
		p.stderr.Write(m.Payload)
	case opHostCall:
		p.hostWG.Add(1)
		go p.hostCall(m)
	case opBroken:
		p.mu.Lock()
		if p.err == nil {
			p.err = m.Err.goError()
		}
		p.mu.Unlock()
	}
}

// Call calls a function of the script the child serves, as
// runtime.Runtime.Call does, and returns its result. Arguments and result
// cross the pipe as structured clones (see the package documentation for
// what Go values become and come back as); a value that cannot be cloned is
// a *structuredclone.DataCloneError naming it. A thrown error is a
// *runtime.Error with its mapped stack, as in process.
//
// If ctx ends first, the child is told to interrupt the call, and Call
// returns ctx's error once it has, or after Config.Grace, having killed the
// child. If the child ends (crash, limit, kill) before it answers, Call
// returns an *ExitError; once the child has ended or Close has been called,
// Call returns what Err does.
func (p *Process) Call(ctx context.Context, name string, args ...any) (any, error) {
	if args == nil {
		args = []any{}
	}
	raw, err := encodeGo(args)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ch := make(chan *message, 1)
	p.mu.Lock()
	if p.err != nil {
		p.mu.Unlock()
		return nil, p.err
	}
	p.next++
	id := p.next
	p.calls[id] = ch
	p.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { p.cancel(id, name) })
	// If the child is gone, read fails the call; a call too large to send
	// fails here.
	err = p.fw.write(&message{Op: opCall, ID: id, Name: name, Payload: raw})
	if errors.Is(err, errTooLarge) {
		stop()
		p.mu.Lock()
		delete(p.calls, id)
		p.mu.Unlock()
		return nil, err
	}
	m := <-ch
	if !stop() { // ctx ended first
		return nil, ctx.Err()
	}
	return p.result(m)
}

// cancel tells the child to interrupt a call whose context has ended, and
// kills the child if the call is still pending after the grace period. The
// timer is set first: a child that no longer reads its input cannot block it.
func (p *Process) cancel(id uint64, name string) {
	time.AfterFunc(p.grace(), func() {
		p.mu.Lock()
		_, pending := p.calls[id]
		p.mu.Unlock()
		if pending {
			p.kill(fmt.Errorf("call of %q went on %v after its context ended", name, p.grace()))
		}
	})
	p.fw.write(&message{Op: opCancel, ID: id})
}

// result returns what a call's result message says; nil means the child ended.
func (p *Process) result(m *message) (any, error) {
	if m == nil {
		return nil, p.Err()
	}
	if m.Err != nil {
		return nil, m.Err.goError()
	}
	return decodeGo(m.Payload)
}

// hostCall runs a function of Config.Modules for the child.
func (p *Process) hostCall(m *message) {
	defer p.hostWG.Done()
	args, err := decodeArgs(m.Payload)
	var v any
	if err == nil {
		v, err = callModule(p.hostCtx, p.cfg.Modules[m.Module][m.Name], m.Module, m.Name, args)
	}
	reply := &message{Op: opHostReply, ID: m.ID}
	if err == nil {
		reply.Payload, err = encodeGo(v)
	}
	reply.Err = toWire(err)
	p.fw.reply(reply)
}

// callModule calls fn, turning a panic into an error as the runtime does.
func callModule(ctx context.Context, fn runtime.AsyncFunc, mod, name string, args []any) (v any, err error) {
	if fn == nil {
		return nil, fmt.Errorf("host:%s has no function %s", mod, name)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in host:%s %s: %v", mod, name, r)
		}
	}()
	return fn(ctx, args)
}

// Err returns why the process can run no more calls, or nil while it can:
// the first of runtime.ErrClosed once Close has been called, an *ExitError
// once the child has ended, or the error that broke the child's runtime
// (such as eventloop.ErrStaleFrames), which ends the child too.
func (p *Process) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Done returns a channel closed once the child process has exited and
// been waited for; Err then says why. A host watches it to restart a child.
func (p *Process) Done() <-chan struct{} { return p.done }

// Pid returns the child's process ID, for a host that watches the child
// with tools of its own or signals it (a watchdog that kills a child using
// too much of something the limits do not bound). The ID stays the child's
// until Done is closed; after that the system may give it to another process.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Close ends the child: it closes the child's input, on which the child
// closes its runtime (calls in progress return runtime.ErrClosed) and
// exits; a child that has not exited within Config.Grace is killed.
// Close waits for the child and for calls of Config.Modules in progress.
// It is idempotent and returns nil.
func (p *Process) Close() error {
	p.mu.Lock()
	if p.err == nil {
		p.err = runtime.ErrClosed
	}
	p.mu.Unlock()
	p.closeOnce.Do(func() { p.stdin.Close() })
	t := time.NewTimer(p.grace())
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		p.kill(fmt.Errorf("did not exit within %v of Close", p.grace()))
		<-p.done
	}
	p.hostWG.Wait()
	return nil
}

// kill kills the child, for the reason given.
func (p *Process) kill(why error) {
	p.mu.Lock()
	if p.killWhy == nil {
		p.killWhy = why
	}
	p.mu.Unlock()
	p.cmd.Process.Kill()
}

func (p *Process) grace() time.Duration {
	if p.cfg.Grace > 0 {
		return p.cfg.Grace
	}
	return DefaultGrace
}
