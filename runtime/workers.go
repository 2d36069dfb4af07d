package runtime

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/worker"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/runtime/internal/loader"
	"github.com/wsjs/wsjs/webidl"
)

// Workers are the worker binding's (bindings/worker); a runtime gives it
// the runtimes of workers, each a Runtime made by newRuntime, through host.

// startClientMessages enables the client message queue of the runtime's
// navigator.serviceWorker, if it has one, once a script has run: it stands
// for DOMContentLoaded.
func (r *Runtime) startClientMessages() { worker.StartClientMessages(r.realm) }

// queueTask queues task on r's event loop from any goroutine: a task of a
// web API, such as the delivery of a message to a MessagePort. A worker
// that was out of work wakes up for it. It reports false if the task will
// not run.
func (r *Runtime) queueTask(task func()) bool {
	if r.child != nil && r.child.QueueTask != nil {
		return r.child.QueueTask(task)
	}
	return r.loop.Queue(task)
}

// host is a Runtime as the worker binding sees it: the worker.Host of the
// workers its scripts start, and the worker.Child of a worker's runtime.
type host Runtime

func (h *host) NewChild(c worker.ChildOptions) (worker.Child, error) {
	p := (*Runtime)(h)
	child, err := newRuntime(Options{
		BaseURL:         c.BaseURL,
		Stdout:          p.stdout,
		Stderr:          p.stderr,
		Dir:             p.cfg.Dir,
		ModulePaths:     p.cfg.ModulePaths,
		ContinueOnError: true,
		Network:         p.opts.Network,
		WebSocket:       p.opts.WebSocket,
		Limits:          p.opts.Limits,

		BroadcastPartition:      p.opts.BroadcastPartition,
		TimeoutSignalsKeepAlive: p.opts.TimeoutSignalsKeepAlive,
		CrossOriginIsolation:    p.opts.CrossOriginIsolation,
		TestUtils:               p.opts.TestUtils,
	}, p, &c)
	if err != nil {
		return nil, err
	}
	return (*host)(child), nil
}

func (h *host) LoadFile(path string) (*worker.Script, error) {
	src, err := loader.ReadSource(path)
	if err != nil {
		return nil, err
	}
	l, err := loader.Load(&h.cfg, src)
	if err != nil {
		var le *LoadError
		if errors.As(err, &le) && le.Err == nil {
			return nil, &worker.SyntaxError{Message: err.Error()}
		}
		return nil, err
	}
	return &worker.Script{Program: l.Program, Async: l.Async}, nil
}

func (h *host) CompileClassic(url, src string) (*goja.Program, error) {
	return loader.CompileClassic(url, src)
}

func (h *host) Uncaught(e worker.ErrorReport) {
	(*Runtime)(h).uncaught(&Error{Message: e.Message, Stack: e.Stack})
}

func (h *host) Realm() *webidl.Realm  { return h.realm }
func (h *host) Loop() *eventloop.Loop { return h.loop }
func (h *host) Close() error          { return (*Runtime)(h).Close() }
func (h *host) RunScript(s *worker.Script) {
	(*Runtime)(h).runScript(&loader.Script{Program: s.Program, Async: s.Async})
}
