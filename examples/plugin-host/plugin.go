package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// A plugin is one plugin: where its code comes from, the version compiled
// from it, and the engine serving that version, replaced when it breaks and
// when the plugin is reloaded.
type plugin struct {
	name     string
	host     *Host
	isolated bool // served out of process (Config.Isolate)

	mu      sync.Mutex
	src     source
	stamp   stamp                                 // of the file src was compiled from
	start   func(context.Context) (engine, error) // starts an engine of the current version
	cur     *instance                             // nil: started by the next request
	starts  int                                   // engines started
	reloads int                                   // versions swapped in
	// discards counts the engines closed because a request timed out or
	// broke them; broken, those among them that were unusable.
	discards, broken int
	closed           bool // by Host.Close

	errors atomic.Int64 // uncaught errors of background work (Options.OnError)
}

// An engine serves one version of a plugin: a *runtime.Runtime in this
// process or a *subprocess.Process in a child. Both call exports the same way
// and say, with Err, whether they can serve on.
type engine interface {
	Call(ctx context.Context, name string, args ...any) (any, error)
	Err() error
	Close() error
}

// An instance is an engine serving a plugin and the requests it serves.
type instance struct {
	eng   engine
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

// changed reports whether p's file on disk changed since it was compiled;
// a plugin from an fs.FS or from memory never does.
func (p *plugin) changed() bool {
	p.mu.Lock()
	src, old := p.src, p.stamp
	p.mu.Unlock()
	if !src.onDisk() {
		return false
	}
	s, err := statStamp(src.path)
	return err == nil && s != old
}

// reload compiles p's source again and swaps the new version in.
func (p *plugin) reload(ctx context.Context) error {
	p.mu.Lock()
	src := p.src
	p.mu.Unlock()
	return p.load(ctx, src)
}

// load compiles src and starts it; then it swaps it in and closes the old
// engine once its requests are done. If src does not compile or start, the
// old version goes on serving.
func (p *plugin) load(ctx context.Context, src source) error {
	var st stamp
	if src.onDisk() {
		var err error
		if st, err = statStamp(src.path); err != nil {
			return err
		}
	}
	start, err := p.host.compile(p, src)
	if err != nil {
		return fmt.Errorf("plugin %s: %w", p.name, err)
	}
	eng, err := start(ctx)
	if err != nil {
		return fmt.Errorf("plugin %s: %w", p.name, err)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		eng.Close()
		return runtime.ErrClosed
	}
	old := p.cur
	p.src, p.stamp, p.start, p.cur = src, st, start, &instance{eng: eng}
	p.starts++
	if old != nil {
		p.reloads++
	}
	p.mu.Unlock()
	if old != nil {
		old.calls.Wait()
		old.eng.Close()
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
		eng, err := p.start(ctx)
		if err != nil {
			return nil, fmt.Errorf("plugin %s: %w", p.name, err)
		}
		p.cur = &instance{eng: eng}
		p.starts++
	}
	p.cur.calls.Add(1)
	return p.cur, nil
}

// call calls the export name of p with args. An engine that ran out of time
// or broke is closed (check); the next request starts a new one from the
// compiled version.
func (p *plugin) call(ctx context.Context, name string, args ...any) (any, error) {
	inst, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer inst.calls.Done()
	res, err := inst.eng.Call(ctx, name, args...)
	p.check(inst, err)
	return res, err
}

// check closes inst if the error err of a call or an event left it unfit to
// serve: broken (Err says so), or out of time, since script the call started
// (timers, a flood of messages) may still be running.
func (p *plugin) check(inst *instance, err error) {
	if broken := inst.eng.Err(); broken != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		p.discard(inst, err, broken)
	}
}

// discard closes inst, if it still serves p, after the call error err;
// broken is why it cannot serve on, or nil if it could. An interrupt
// usually leaves a runtime usable, but not always: one that struck inside a
// promise job leaves goja unable to run them, and the runtime says so
// (eventloop.ErrStaleFrames).
func (p *plugin) discard(inst *instance, err, broken error) {
	p.mu.Lock()
	if p.cur != inst {
		p.mu.Unlock()
		return
	}
	p.cur = nil
	p.discards++
	if broken != nil {
		p.broken++
	}
	p.mu.Unlock()
	if broken != nil {
		p.host.log.Printf("plugin %s: runtime closed after %v: unusable: %v", p.name, err, broken)
	} else {
		p.host.log.Printf("plugin %s: runtime closed after %v", p.name, err)
	}
	inst.eng.Close()
}

// close closes p's engine for good.
func (p *plugin) close() {
	p.mu.Lock()
	inst := p.cur
	p.cur, p.closed = nil, true
	p.mu.Unlock()
	if inst != nil {
		inst.eng.Close()
	}
}

// PluginMetrics describe a plugin.
type PluginMetrics struct {
	OutOfProcess bool  // served by a child process
	Starts       int   // engines started, reloads included
	Reloads      int   // new versions swapped in
	Discards     int   // engines closed after a timeout or a break
	Broken       int   // among Discards, those that could not serve on
	Errors       int64 // uncaught errors of background work, in process
	// Runtime is the metrics of the runtime serving the plugin in process;
	// nil if none serves it now, or it is served out of process (JSON gives
	// ScriptTime in nanoseconds).
	Runtime *runtime.Metrics
}

func (p *plugin) metrics() PluginMetrics {
	p.mu.Lock()
	m := PluginMetrics{OutOfProcess: p.isolated, Starts: p.starts, Reloads: p.reloads,
		Discards: p.discards, Broken: p.broken, Errors: p.errors.Load()}
	inst := p.cur
	p.mu.Unlock()
	if inst != nil {
		if rt, ok := inst.eng.(*runtime.Runtime); ok {
			rm := rt.Metrics()
			m.Runtime = &rm
		}
	}
	return m
}
