package bindings

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// A Binding is one web API that can be installed on a realm.
type Binding struct {
	// Name names the binding in errors, such as "websocket".
	Name string
	// Needs lists the bindings whose interfaces this one uses while it is
	// installed or afterwards (an interface it inherits from, a type it
	// creates); Install installs them first.
	Needs []*Binding
	// Register installs the binding's interfaces and globals in env.Realm.
	Register func(env *Env) error
	// Eager marks a binding that changes built-in objects script reaches
	// without naming a global property, such as the prototypes of
	// literals (String.prototype, RegExp.prototype): Defer cannot wait for
	// first use to install it, and Prepare installs it before the first
	// script runs. A binding that only defines global properties, or
	// changes objects reachable only through them, needs no mark.
	Eager bool
	// Extends lists the bindings whose interfaces this one adds members to
	// (URL.createObjectURL, navigator.serviceWorker): where bindings are
	// installed on first use (Defer), installing one of them installs this
	// one right after it.
	Extends []*Binding
	// Key, if not nil, returns what of env changes which global properties
	// Register defines (an option that adds one, whether the realm is a
	// secure context); Defer learns the globals again for each value. It
	// must be comparable and print its value with %v.
	Key func(env *Env) any
}

// Global says which kind of global object a realm has. Bindings expose
// their interfaces by it, as their IDL's [Exposed] attributes say.
type Global int

// The kinds of global object.
const (
	Window Global = iota // the main global: a Window without a document
	DedicatedWorker
	SharedWorker
	ServiceWorker
)

// IsWorker reports whether g is a WorkerGlobalScope.
func (g Global) IsWorker() bool { return g != Window }

// Env is what a binding is installed with.
type Env struct {
	// Realm is the realm the binding installs itself in.
	Realm *webidl.Realm
	// Loop is the realm's event loop, or nil where there is none (some
	// tests): bindings that need one then leave out what needs it.
	Loop *eventloop.Loop
	// Global is the kind of the realm's global object.
	Global Global
	// Stdout and Stderr receive console output and reports of errors no
	// script handles. Nil means os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
	// Cluster holds state the realm shares with the realms of its workers.
	// Nil means the realm shares nothing.
	Cluster *Cluster
	// QueueTask, if not nil, queues a task on Loop from any goroutine and
	// wakes a runtime that sleeps for want of work (a worker); it reports
	// false if the task will never run. Nil means Loop.Queue.
	QueueTask func(task func()) bool

	installed  map[*Binding]bool
	installing map[*Binding]bool
	config     map[reflect.Type]any

	// lazy is what Defer learned, when the env defers; onInstall, a hook,
	// while Defer learns.
	lazy      *profile
	prepared  bool
	onInstall func(*Binding)
}

// NewEnv returns an Env for realm and loop (which may be nil) with a
// Window global and a Cluster of its own.
func NewEnv(realm *webidl.Realm, loop *eventloop.Loop) *Env {
	return &Env{Realm: realm, Loop: loop, Cluster: &Cluster{}}
}

// Queue returns the function that queues a task on the realm's event loop
// from any goroutine (see QueueTask), or nil if the realm has no loop.
func (e *Env) Queue() func(task func()) bool {
	switch {
	case e.QueueTask != nil:
		return e.QueueTask
	case e.Loop != nil:
		return e.Loop.Queue
	}
	return nil
}

// Out returns Stdout, or os.Stdout if it is nil.
func (e *Env) Out() io.Writer {
	if e.Stdout == nil {
		return os.Stdout
	}
	return e.Stdout
}

// Err returns Stderr, or os.Stderr if it is nil.
func (e *Env) Err() io.Writer {
	if e.Stderr == nil {
		return os.Stderr
	}
	return e.Stderr
}

// Configure hands opts, a binding's options, to the bindings installed in
// env afterwards; the binding reads them with Config. One value is kept per
// type: a later call replaces an earlier one.
func Configure[T any](env *Env, opts T) {
	if env.config == nil {
		env.config = make(map[reflect.Type]any)
	}
	env.config[reflect.TypeFor[T]()] = opts
}

// Config returns the options of type T given to Configure, or T's zero
// value.
func Config[T any](env *Env) T {
	v, _ := env.config[reflect.TypeFor[T]()].(T)
	return v
}

// Install installs bs and, before each, the bindings it needs, in an order
// that installs every binding after its needs and otherwise keeps the order
// given. A binding already installed in env is not installed again. It
// readies the realm for script (webidl.Realm.Prepare): install what script
// needs before any script runs.
func Install(env *Env, bs ...*Binding) error {
	if env.installed == nil {
		env.installed = make(map[*Binding]bool)
	}
	for _, b := range bs {
		if err := env.install(b, nil); err != nil {
			return err
		}
	}
	if env.Realm != nil {
		env.Realm.Prepare()
	}
	return nil
}

// Installed reports whether b has been installed in env.
func (e *Env) Installed(b *Binding) bool { return e.installed[b] }

func (e *Env) install(b *Binding, path []*Binding) error {
	if e.installed[b] {
		return nil
	}
	for _, p := range path {
		if p == b {
			names := make([]string, 0, len(path)+1)
			for _, q := range append(path, b) {
				names = append(names, q.Name)
			}
			return fmt.Errorf("bindings: dependency cycle: %s", strings.Join(names, " -> "))
		}
	}
	if e.installing[b] {
		// A binding installed on first use, or one that Extends another,
		// can come round to one being installed further up.
		return nil
	}
	if e.installed == nil {
		e.installed = make(map[*Binding]bool)
	}
	if e.installing == nil {
		e.installing = make(map[*Binding]bool)
	}
	e.installing[b] = true
	path = append(path, b)
	for _, n := range b.Needs {
		if err := e.install(n, path); err != nil {
			delete(e.installing, b)
			return err
		}
	}
	err := b.Register(e)
	delete(e.installing, b)
	if err != nil {
		return fmt.Errorf("%s: %w", b.Name, err)
	}
	e.installed[b] = true
	if e.onInstall != nil {
		e.onInstall(b)
	}
	if e.lazy != nil {
		e.Realm.Defined()
		if e.lazy.settles[b] {
			if err := e.Realm.DefineAll(); err != nil {
				return err
			}
		}
		for _, x := range e.lazy.extendedBy[b] {
			if err := e.install(x, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// A Cluster holds what a runtime shares with the runtimes of its workers,
// such as the blob URL store (HTML's agent cluster). Its methods may be
// called from any goroutine.
type Cluster struct {
	// Memory, if not nil, bounds the bytes the cluster's web APIs hold for
	// its scripts (see Budget). It is set before the cluster is shared.
	Memory *Budget

	mu     sync.Mutex
	values map[any]any
}

// Value returns the value stored under key, storing create()'s result first
// if there is none. Keys are of unexported types of the binding that owns
// the value, as with context.Context.
func (c *Cluster) Value(key any, create func() any) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.values[key]; ok {
		return v
	}
	if c.values == nil {
		c.values = make(map[any]any)
	}
	v := create()
	c.values[key] = v
	return v
}
