package worker

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/messaging"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// testHost is a minimal Host and Child: a realm with the events,
// structuredclone and messaging bindings and this package's, whose scripts
// come from files, a map of file paths to sources. A top-level one is
// configured with opts (its Host is the testHost); a worker's with no more
// than a Host.
type testHost struct {
	files map[string]string
	realm *webidl.Realm
	loop  *eventloop.Loop
	c     ChildOptions // zero at the top
	mu    *sync.Mutex
	out   *[]string // what log() and the console got, in all realms
	// cluster is shared by all realms; a test may give it a memory budget
	// before running scripts.
	cluster *bindings.Cluster
	// gate, if not nil, holds back the creation of workers' runtimes until
	// it is closed.
	gate chan struct{}
}

func newTestHost(files map[string]string, parent *testHost, c ChildOptions, opts Options) (*testHost, error) {
	h := &testHost{files: files, c: c, mu: new(sync.Mutex), out: new([]string), cluster: new(bindings.Cluster)}
	if parent != nil {
		h.mu, h.out, h.cluster = parent.mu, parent.out, parent.cluster
	}
	vm := goja.New()
	h.realm = webidl.NewRealm(vm)
	h.realm.SetAPIBaseURL("file:///main.js")
	if c.BaseURL != "" {
		h.realm.SetAPIBaseURL(c.BaseURL)
	}
	h.loop = eventloop.New(vm, eventloop.Options{OnException: h.report})
	env := &bindings.Env{Realm: h.realm, Loop: h.loop, Global: c.Global, QueueTask: c.QueueTask, Cluster: h.cluster}
	opts.Host = h
	bindings.Configure(env, opts)
	if c.Configure != nil {
		c.Configure(env)
	}
	err := errors.Join(
		bindings.Install(env, events.Binding, GlobalScope, structuredclone.Binding, messaging.Binding, Binding),
		vm.Set("log", func(s string) { h.log(s) }),
	)
	if err != nil {
		h.loop.Close()
		return nil, err
	}
	return h, nil
}

func (h *testHost) log(s string) {
	h.mu.Lock()
	*h.out = append(*h.out, s)
	h.mu.Unlock()
}

// report is the loop's OnException: it fires error at the global object,
// then tells the worker or logs.
func (h *testHost) report(exc *goja.Exception) {
	if events.ReportException(h.realm, exc) {
		return
	}
	e := ErrorReport{Message: exc.Value().String()}
	if h.c.OnError != nil {
		h.c.OnError(exc, e)
		return
	}
	h.Uncaught(e)
}

func (h *testHost) NewChild(c ChildOptions) (Child, error) {
	if h.gate != nil {
		<-h.gate
	}
	return newTestHost(h.files, h, c, Options{})
}

func (h *testHost) LoadFile(path string) (*Script, error) {
	src, ok := h.files[path]
	if !ok {
		return nil, errors.New(path + ": no such file")
	}
	prg, err := goja.Compile(path, src, false)
	if err != nil {
		return nil, &SyntaxError{Message: err.Error()}
	}
	return &Script{Program: prg}, nil
}

func (h *testHost) CompileClassic(url, src string) (*goja.Program, error) {
	return goja.Compile(url, src, false)
}

func (h *testHost) Uncaught(e ErrorReport) { h.log("uncaught " + e.Message) }

func (h *testHost) Realm() *webidl.Realm  { return h.realm }
func (h *testHost) Loop() *eventloop.Loop { return h.loop }

func (h *testHost) RunScript(s *Script) {
	if _, err := h.realm.VM().RunProgram(s.Program); err != nil {
		h.loop.ReportException(err)
	}
}

func (h *testHost) Close() error {
	h.loop.Close()
	Shutdown(h.realm, 0)
	messaging.Shutdown(h.realm)
	return nil
}

// run runs the script of file in h, then h's loop until it is out of work,
// and returns what was logged, a line each.
func (h *testHost) run(t *testing.T, file string) string {
	t.Helper()
	main, err := h.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h.loop.Queue(func() { h.RunScript(main) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(*h.out, "\n")
}

// TestHost runs workers in a Host of the test's own: the package needs no
// more of a runtime than the Host and Child interfaces.
func TestHost(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "messages",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js", {name: "w"});
w.onmessage = (e) => { log("parent: " + e.data); w.terminate(); };
w.postMessage(2);`,
				"/w.js": `onmessage = (e) => postMessage(globalThis.name + " " + (e.data * 21));`,
			},
			want: []string{"parent: w 42"},
		},
		{
			name: "errors",
			files: map[string]string{
				"/main.js": `const w = new Worker("w.js");
w.onerror = (e) => log("Worker: " + e.message + " at " + e.filename + ":" + e.lineno);
addEventListener("error", (e) => log("parent: " + e.message));`,
				"/w.js": `throw new TypeError("boom");`,
			},
			want: []string{"Worker: Uncaught TypeError: boom at /w.js:1", "parent: Uncaught TypeError: boom", "uncaught TypeError: boom"},
		},
		{
			name: "nested",
			files: map[string]string{
				"/main.js":  `new Worker("w.js").onmessage = (e) => log("parent: " + e.data);`,
				"/w.js":     `const inner = new Worker("inner.js"); inner.onmessage = (e) => { postMessage(e.data); close(); };`,
				"/inner.js": `postMessage("from inside"); close();`,
			},
			want: []string{"parent: from inside"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newTestHost(tt.files, nil, ChildOptions{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			got := h.run(t, "/main.js")
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
