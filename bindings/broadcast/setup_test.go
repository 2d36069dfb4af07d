package broadcast

import (
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a realm with an event loop, the binding, and log(...values), which
// records a line for the test.
type env struct {
	vm    *goja.Runtime
	realm *webidl.Realm
	loop  *eventloop.Loop
	*jstest.Log
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
	e := &env{Log: jstest.NewLog()}
	if c.base == "" {
		c.base = "http://example.test/"
	}
	benv := jstest.New(t, jstest.Options{
		BaseURL:    c.base,
		Loop:       eventloop.Options{OnException: func(exc *goja.Exception) { e.Add("uncaught: " + exc.Value().String()) }},
		AfterClose: Shutdown,
	})
	e.vm, e.realm, e.loop = benv.Loop.VM(), benv.Realm, benv.Loop
	if c.cluster != nil {
		benv.Cluster = c.cluster
	} else {
		benv.Cluster.Memory = c.memory
	}
	bindings.Configure(benv, Options{Partition: c.partition})
	jstest.Install(t, benv, Binding)
	if err := events.InstallGlobal(e.realm); err != nil {
		t.Fatal(err)
	}
	e.Define(t, e.vm)
	return e
}

// run runs src as a task and then the loop until it is out of work.
func (e *env) run(t testing.TB, src string) {
	t.Helper()
	jstest.Script{Timeout: 10 * time.Second}.Run(t, e.loop, src, func(err error) { e.Add("error: " + err.Error()) })
}

// wantEmptyRegistry checks that no channel is left in the registry.
func wantEmptyRegistry(t testing.TB) {
	t.Helper()
	if n, topics := registered(); n != 0 || topics != 0 {
		t.Errorf("registry holds %d channels in %d topics, want none", n, topics)
	}
}
