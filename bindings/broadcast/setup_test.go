package broadcast

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a realm with an event loop, the binding, and log(...values), which
// records a line for the test.
type env struct {
	vm    *goja.Runtime
	realm *webidl.Realm
	loop  *eventloop.Loop

	mu     sync.Mutex
	lines  []string
	logged chan string
}

// config says how a test realm is made.
type config struct {
	base      string            // API base URL; "" for http://example.test/
	cluster   *bindings.Cluster // nil for one of its own
	memory    *bindings.Budget  // its cluster's budget, for a new cluster
	partition string
}

func newEnv(t testing.TB, c config) *env {
	t.Helper()
	vm := goja.New()
	e := &env{vm: vm, realm: webidl.NewRealm(vm), logged: make(chan string, 1024)}
	if c.base == "" {
		c.base = "http://example.test/"
	}
	e.realm.SetAPIBaseURL(c.base)
	e.loop = eventloop.New(vm, eventloop.Options{
		OnException: func(exc *goja.Exception) { e.log("uncaught: " + exc.Value().String()) },
	})
	t.Cleanup(func() {
		e.loop.Close()
		Shutdown(e.realm)
	})
	benv := bindings.NewEnv(e.realm, e.loop)
	if c.cluster != nil {
		benv.Cluster = c.cluster
	} else {
		benv.Cluster.Memory = c.memory
	}
	bindings.Configure(benv, Options{Partition: c.partition})
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	if err := events.InstallGlobal(e.realm); err != nil {
		t.Fatal(err)
	}
	if err := vm.Set("log", func(c goja.FunctionCall) goja.Value {
		parts := make([]string, len(c.Arguments))
		for i, a := range c.Arguments {
			parts[i] = a.String()
		}
		e.log(strings.Join(parts, " "))
		return goja.Undefined()
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) log(s string) {
	e.mu.Lock()
	e.lines = append(e.lines, s)
	e.mu.Unlock()
	select {
	case e.logged <- s:
	default:
	}
}

func (e *env) output() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.lines...)
}

// run runs src as a task and then the loop until it is out of work.
func (e *env) run(t testing.TB, src string) {
	t.Helper()
	e.loop.Queue(func() {
		if _, err := e.vm.RunString(src); err != nil {
			e.log("error: " + err.Error())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// want checks the lines logged so far.
func (e *env) want(t testing.TB, want ...string) {
	t.Helper()
	got := e.output()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// wantEmptyRegistry checks that no channel is left in the registry.
func wantEmptyRegistry(t testing.TB) {
	t.Helper()
	if n, topics := registered(); n != 0 || topics != 0 {
		t.Errorf("registry holds %d channels in %d topics, want none", n, topics)
	}
}
