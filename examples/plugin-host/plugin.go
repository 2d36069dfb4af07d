package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// A plugin is one plugin file: its compiled script and the runtime serving
// it, replaced when it breaks and when the plugin is reloaded.
type plugin struct {
	name, path string
	host       *Host

	mu       sync.Mutex
	script   *runtime.Script
	stamp    stamp     // of the file script was compiled from
	cur      *instance // nil: started by the next request
	starts   int       // runtimes started
	reloads  int
	discards int  // runtimes closed because they timed out or broke
	closed   bool // by Host.Close
}

// An instance is a runtime serving a plugin and the requests it serves.
type instance struct {
	rt    *runtime.Runtime
	calls sync.WaitGroup
}

// stamp tells whether a file changed.
type stamp struct {
	mod  time.Time
	size int64
}

func statStamp(path string) (stamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}, err
	}
	return stamp{fi.ModTime(), fi.Size()}, nil
}

// changed reports whether p's file changed since it was compiled.
func (p *plugin) changed() bool {
	s, err := statStamp(p.path)
	p.mu.Lock()
	defer p.mu.Unlock()
	return err == nil && s != p.stamp
}

// start starts script in a new runtime.
func (p *plugin) start(ctx context.Context, script *runtime.Script) (*instance, error) {
	opts := p.host.opts
	opts.OnError = func(err error) { p.host.log.Printf("plugin %s: %v", p.name, err) }
	rt, err := runtime.New(opts)
	if err != nil {
		return nil, err
	}
	if err := rt.Start(ctx, script); err != nil {
		rt.Close()
		return nil, fmt.Errorf("plugin %s: %w", p.name, err)
	}
	return &instance{rt: rt}, nil
}

// reload compiles p's file and starts it; then it swaps it in and closes the
// old runtime once its requests are done.
func (p *plugin) reload(ctx context.Context) error {
	st, err := statStamp(p.path)
	if err != nil {
		return err
	}
	script, err := runtime.Compile(runtime.CompileOptions{Path: p.path, Dir: p.host.cfg.Dir, ModulePaths: p.host.cfg.ModulePaths})
	if err != nil {
		return fmt.Errorf("plugin %s: %w", p.name, err)
	}
	inst, err := p.start(ctx, script)
	if err != nil {
		return err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		inst.rt.Close()
		return runtime.ErrClosed
	}
	old := p.cur
	p.script, p.stamp, p.cur = script, st, inst
	p.starts++
	if old != nil {
		p.reloads++
	}
	p.mu.Unlock()
	if old != nil {
		old.calls.Wait()
		old.rt.Close()
	}
	return nil
}

// acquire returns the instance serving p, started if there is none, and
// counts a call on it: the caller must call calls.Done.
func (p *plugin) acquire(ctx context.Context) (*instance, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, runtime.ErrClosed
	}
	if p.cur == nil {
		inst, err := p.start(ctx, p.script)
		if err != nil {
			return nil, err
		}
		p.cur = inst
		p.starts++
	}
	p.cur.calls.Add(1)
	return p.cur, nil
}

// fetch calls the handler of p with req. A runtime that ran out of time is
// closed, since its script may still be looping or flooding its queue with
// tasks, and so is one that is broken; the next request starts a new one.
func (p *plugin) fetch(ctx context.Context, req map[string]any) (any, error) {
	inst, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer inst.calls.Done()
	res, err := inst.rt.Call(ctx, "default.fetch", req)
	if unhealthy(inst.rt, err) {
		p.discard(inst, err)
	}
	return res, err
}

// unhealthy reports whether the runtime that returned err from Call is unfit
// to serve: Err says so when it is broken or closed; after a deadline the
// runtime may serve on, but script the call started (timers, floods) may
// still be running, so it is replaced too.
func unhealthy(rt *runtime.Runtime, err error) bool {
	return rt.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// discard closes inst, if it still serves p, because of err.
func (p *plugin) discard(inst *instance, err error) {
	p.mu.Lock()
	if p.cur != inst {
		p.mu.Unlock()
		return
	}
	p.cur = nil
	p.discards++
	p.mu.Unlock()
	p.host.log.Printf("plugin %s: runtime closed after %v", p.name, err)
	inst.rt.Close()
}

// close closes p's runtime for good.
func (p *plugin) close() {
	p.mu.Lock()
	inst := p.cur
	p.cur, p.closed = nil, true
	p.mu.Unlock()
	if inst != nil {
		inst.rt.Close()
	}
}

// PluginMetrics describe a plugin.
type PluginMetrics struct {
	Starts   int              // runtimes started, reloads included
	Reloads  int              // new versions swapped in
	Discards int              // runtimes closed after a timeout or a break
	Runtime  *runtime.Metrics // of the runtime serving it; nil if none (ScriptTime in nanoseconds in JSON)
}

func (p *plugin) metrics() PluginMetrics {
	p.mu.Lock()
	m := PluginMetrics{Starts: p.starts, Reloads: p.reloads, Discards: p.discards}
	inst := p.cur
	p.mu.Unlock()
	if inst != nil {
		rm := inst.rt.Metrics()
		m.Runtime = &rm
	}
	return m
}
