package streams

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a runtime with an event loop, the events, abort and streams interfaces, and
// a log of uncaught errors and unhandled rejections.
type env struct {
	vm       *goja.Runtime
	loop     *eventloop.Loop
	realm    *webidl.Realm
	reported []string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t)
}

// newEnvWith is newEnv with more bindings installed before streams.
func newEnvWith(t testing.TB, more ...*bindings.Binding) *env {
	t.Helper()
	e := &env{vm: goja.New()}
	e.realm = webidl.NewRealm(e.vm)
	e.loop = eventloop.New(e.vm, eventloop.Options{
		OnException: func(exc *goja.Exception) { e.reported = append(e.reported, "exception: "+exc.Error()) },
		OnUnhandledRejection: func(p *goja.Promise) {
			e.reported = append(e.reported, fmt.Sprintf("unhandled rejection: %v", p.Result()))
		},
	})
	t.Cleanup(e.loop.Close)
	if err := bindings.Install(bindings.NewEnv(e.realm, e.loop), append(more, Binding)...); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs src, the body of an async function, on the loop and returns the string its
// promise fulfills with, or "rejected: <reason>".
func (e *env) run(t testing.TB, src string) string {
	t.Helper()
	result := make(chan string, 1)
	e.vm.Set("__done", func(s string) { result <- s })
	e.loop.Queue(func() {
		_, err := e.vm.RunString("(async () => {\n" + src + "\n})().then(v => __done(String(v)), e => __done('rejected: ' + (e && e.name ? e.name + ': ' + e.message : String(e))));")
		if err != nil {
			result <- "script error: " + err.Error()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- e.loop.Run(ctx) }()
	select {
	case s := <-result:
		e.loop.Stop()
		<-runErr
		return s
	case err := <-runErr:
		select {
		case s := <-result:
			return s
		default:
		}
		t.Fatalf("loop ended without a result: %v", err)
	}
	return ""
}

// jsCase is a script and the result it must give.
type jsCase struct {
	name string
	src  string
	want string
}

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if got := e.run(t, c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if len(e.reported) > 0 {
				t.Errorf("reported: %s", strings.Join(e.reported, "; "))
			}
		})
	}
}
