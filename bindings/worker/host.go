package worker

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// A Host creates the runtimes of workers and loads their scripts: the
// runtime that installs this package implements it, and hands it over in
// Options. Its methods may be called from any goroutine.
type Host interface {
	// NewChild creates the runtime of a worker: a realm with an event loop
	// of its own, whose global object is of kind c.Global, with the host's
	// options and web APIs installed (this package's bindings included,
	// configured with c.Configure) and errors survived (the worker's
	// runtime never stops for an uncaught one). Nothing runs its loop yet.
	NewChild(c ChildOptions) (Child, error)
	// LoadFile loads the script file at path as the host loads the scripts
	// it runs (module imports bundled, TypeScript compiled). A script that
	// does not compile, or whose imports do not resolve, is a *SyntaxError.
	LoadFile(path string) (*Script, error)
	// CompileClassic compiles src, a classic script fetched from url: not
	// bundled, its syntax the engine lacks lowered as in the scripts the host
	// runs.
	CompileClassic(url, src string) (*goja.Program, error)
	// Uncaught reports an error that nothing handled in the host's realm,
	// on the host's event loop, as the host reports its own: on its
	// Stderr, stopping its run unless it survives errors.
	Uncaught(e ErrorReport)
}

// A Child is the runtime of a worker, which Host.NewChild created. Its
// loop is run by the worker's goroutine.
type Child interface {
	Realm() *webidl.Realm
	Loop() *eventloop.Loop
	// RunScript runs s as a task runs a classic script, on the child's
	// loop: an exception it throws (or the rejection of an async body) is
	// reported as uncaught.
	RunScript(s *Script)
	// Close closes the runtime, with its workers, and releases what its
	// web APIs hold.
	Close() error
}

// ChildOptions say what a worker's runtime differs in from its host.
type ChildOptions struct {
	// Global is the kind of the worker's global object.
	Global bindings.Global
	// BaseURL is the API base URL of the worker: its script's URL, after
	// redirects.
	BaseURL string
	// Configure is called with the child's Env before its bindings are
	// installed, after the host has configured them.
	Configure func(env *bindings.Env)
	// QueueTask is the child's Env.QueueTask: it queues a task on the
	// child's loop from any goroutine and wakes the worker for it.
	QueueTask func(task func()) bool
	// OnError is called, on the child's loop, with an exception that its
	// global scope did not handle (the error event fired at the global
	// object was not canceled) and how it is reported, instead of the
	// child reporting it.
	OnError func(exc *goja.Exception, report ErrorReport)
}

// A Script is a compiled script, ready to run in any realm.
type Script struct {
	Program *goja.Program
	// Async reports that the program's completion value is the promise of
	// an async module body (top-level await).
	Async bool
	// isolates reports that the script's response allows the shared or
	// service worker that runs it to be cross-origin isolated
	// (ResponseIsolates).
	isolates bool
}

// A SyntaxError is a fetched script that does not compile: its error to
// rethrow is a SyntaxError with Message.
type SyntaxError struct{ Message string }

func (e *SyntaxError) Error() string { return e.Message }

// An ErrorReport is how an uncaught exception is shown on a console. It is
// made where the exception was thrown and may be printed realms away, at
// the end of HTML's chain of error events from a worker up to its owners.
type ErrorReport struct {
	// Message is the thrown value as a string, such as "TypeError: boom".
	Message string
	// Stack is the JavaScript stack trace, one "    at ..." line per
	// frame, or empty.
	Stack string
}
