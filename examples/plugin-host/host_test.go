package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/runtime/subprocess"
)

func TestMain(m *testing.M) {
	// The children serving plugins out of process are this test binary.
	subprocess.Main()
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer that goroutines may share, and wait on.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // closed, and replaced, by each Write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{})} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.written)
	b.written = make(chan struct{})
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitFor waits until s has been written to b.
func (b *syncBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	b.waitForN(t, s, 1)
}

// waitForN waits until s has been written to b n times.
func (b *syncBuffer) waitForN(t *testing.T, s string, n int) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		b.mu.Lock()
		found, written := strings.Count(b.b.String(), s) >= n, b.written
		b.mu.Unlock()
		if found {
			return
		}
		select {
		case <-written:
		case <-timeout:
			t.Fatalf("waited in vain for %q in:\n%s", s, b)
		}
	}
}

// fixture is a host serving a copy of the plugins directory over HTTP.
type fixture struct {
	t    *testing.T
	dir  string // the copy, which tests may change
	host *Host
	srv  *httptest.Server
	out  *syncBuffer // the plugins' console output
	log  *syncBuffer // the host's log and the plugins' error reports
}

// newFixture starts a host with the configuration cfg changes.
func newFixture(t *testing.T, cfg ...func(*Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("plugins")); err != nil {
		t.Fatal(err)
	}
	packages, err := filepath.Abs("packages")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, dir: dir, out: newSyncBuffer(), log: newSyncBuffer()}
	c := Config{
		Dir:         dir,
		ModulePaths: []string{packages},
		Timeout:     time.Second,
		AllowHosts:  []string{"127.0.0.1"},
		Stdout:      f.out,
		Stderr:      f.log,
		Log:         log.New(f.log, "", 0),
	}
	for _, change := range cfg {
		change(&c)
	}
	f.host, err = New(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.host.Handler())
	t.Cleanup(f.close)
	return f
}

func (f *fixture) close() {
	f.srv.Close()
	f.host.Close()
	f.srv.Client().CloseIdleConnections()
}

// do sends a request to the host and returns the status and body.
func (f *fixture) do(method, path string) (int, string) {
	f.t.Helper()
	return f.send(method, path, "")
}

// send sends a request with a body to the host and returns the status and
// body of the response.
func (f *fixture) send(method, path, body string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	res, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

type exchange struct {
	method, path string
	send         string // the request's body
	status       int
	body         string // a part of the response's body
}

func (f *fixture) check(exchanges []exchange) {
	f.t.Helper()
	for _, e := range exchanges {
		if e.method == "" {
			e.method = http.MethodGet
		}
		status, body := f.send(e.method, e.path, e.send)
		if status != e.status || !strings.Contains(body, e.body) {
			f.t.Errorf("%s %s: %d %q, want %d and %q", e.method, e.path, status, body, e.status, e.body)
		}
	}
}

func TestPlugins(t *testing.T) {
	f := newFixture(t)
	if got := fmt.Sprint(f.host.Plugins()); got != "[bad hello slug]" {
		t.Fatalf("plugins %s", got)
	}
	f.check([]exchange{
		// A local import, and the host's Go module.
		{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada (visit 1)"},
		{path: "/plugins/hello/", status: 200, body: "hello, world (visit 2)"},
		// An npm package.
		{path: "/plugins/slug/?text=" + url.QueryEscape("Héllo, Wörld!"), status: 200, body: "hello-world"},
		{path: "/plugins/none/", status: 404, body: "no such plugin"},
		{path: "/plugins/bad/nothing", status: 404, body: "no such misbehaviour"},
		// A plugin that throws: a 500, and the runtime goes on.
		{path: "/plugins/bad/throw", status: 500, body: "TypeError: plugin bug"},
		// An allocation beyond Limits.ArrayBufferBytes is a RangeError.
		{path: "/plugins/bad/alloc", status: 500, body: "RangeError"},
		// Leaked timers stay in the runtime, within Limits.Timers.
		{path: "/plugins/bad/timers?n=400", status: 200, body: "leaked 400 timers"},
		{path: "/plugins/bad/timers?n=600", status: 200, body: "leaked 600 timers"},
		{path: "/plugins/bad/timers?n=1", status: 500, body: "RangeError"},
	})
	m := f.host.Metrics()["bad"]
	if m.Runtime == nil || m.Runtime.Timers != 1000 || m.Starts != 1 || m.Discards != 0 {
		t.Errorf("bad plugin after leaking timers: %+v %+v", m, m.Runtime)
	}

	// A loop, a loop in a promise job and a flood of messages run into the
	// deadline: a 504, and the runtime is closed, its timers with it.
	// Meanwhile, and afterwards, the other plugins serve. The interrupt of
	// the loop left the runtime usable (Err said nil); that of the loop in a
	// promise job did not, and the runtime said so.
	for i, c := range []struct {
		path   string
		broken int
	}{
		{"/plugins/bad/loop", 0},
		{"/plugins/bad/loop-after-await", 1},
		{"/plugins/bad/flood", 1},
	} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			f.check([]exchange{{path: c.path, status: 504, body: "deadline exceeded"}})
		}()
		f.check([]exchange{{path: "/plugins/slug/?text=still+here", status: 200, body: "still-here"}})
		<-done
		if m := f.host.Metrics()["bad"]; m.Runtime != nil || m.Discards != i+1 || m.Broken != c.broken {
			t.Errorf("bad plugin after %s: %+v, want %d discards, %d broken", c.path, m, i+1, c.broken)
		}
	}
	// The next request starts it again from the compiled script.
	f.check([]exchange{{path: "/plugins/bad/throw", status: 500, body: "plugin bug"}})
	m = f.host.Metrics()["bad"]
	if m.Runtime == nil || m.Runtime.Timers != 0 || m.Starts != 4 {
		t.Errorf("bad plugin restarted: %+v %+v", m, m.Runtime)
	}
	for _, want := range []string{
		"plugin bad: runtime closed after context deadline exceeded\n",
		"plugin bad: runtime closed after context deadline exceeded: unusable: eventloop: ",
	} {
		if !strings.Contains(f.log.String(), want) {
			t.Errorf("no %q in the log:\n%s", want, f.log)
		}
	}
}

func TestMetricsEndpoint(t *testing.T) {
	f := newFixture(t)
	f.check([]exchange{
		{path: "/plugins/bad/timers?n=3", status: 200},
		{path: "/metrics", status: 200, body: `"Timers": 3`},
	})
	status, body := f.do(http.MethodGet, "/metrics")
	for _, want := range []string{`"hello": {`, `"slug": {`, `"Starts": 1`, `"ScriptTime": `, `"Workers": 0`} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics: %d, no %s in\n%s", status, want, body)
		}
	}
}

func TestReload(t *testing.T) {
	f := newFixture(t)
	write := func(src string, age time.Duration) {
		path := filepath.Join(f.dir, "hello.ts")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		// A modification time of its own, whatever the file system's clock
		// resolution.
		mod := time.Now().Add(age)
		if err := os.Chtimes(path, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(want string) {
		t.Helper()
		names, err := f.host.Scan(context.Background())
		if got := fmt.Sprint(names); got != want {
			t.Errorf("Scan: %s, %v; want %s", got, err, want)
		}
	}
	f.check([]exchange{{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada"}})
	scan("[]")

	write(`export default { fetch: () => "version 2" };`, time.Hour)
	scan("[hello]")
	f.check([]exchange{{path: "/plugins/hello/", status: 200, body: "version 2"}})

	// A version that does not compile leaves the last one serving.
	write(`export default { fetch: () => "version 3" ;`, 2*time.Hour)
	if names, err := f.host.Scan(context.Background()); len(names) != 0 || err == nil || !strings.Contains(err.Error(), "hello.ts") {
		t.Errorf("Scan of a broken plugin: %v, %v", names, err)
	}
	f.check([]exchange{{path: "/plugins/hello/", status: 200, body: "version 2"}})

	// One that throws while it starts, too.
	write(`throw new Error("not today"); export default {};`, 3*time.Hour)
	f.check([]exchange{
		{method: "POST", path: "/reload/hello", status: 500, body: "not today"},
		{path: "/plugins/hello/", status: 200, body: "version 2"},
		{method: "POST", path: "/reload/none", status: 404},
	})

	// One without the handler the host calls: an error for each request,
	// and the runtime, which is sound, goes on serving.
	write(`export function onRequest() { return "wrong shape"; }`, 4*time.Hour)
	scan("[hello]")
	f.check([]exchange{
		{path: "/plugins/hello/", status: 501, body: "not a function"},
		{path: "/plugins/hello/", status: 501, body: "not a function"},
	})
	if m := f.host.Metrics()["hello"]; m.Discards != 0 || m.Runtime == nil {
		t.Errorf("hello without a handler: %+v", m)
	}

	write(`export default { fetch: () => "version 4" };`, 5*time.Hour)
	f.check([]exchange{
		{method: "POST", path: "/reload/hello", status: 200, body: "reloaded"},
		{path: "/plugins/hello/", status: 200, body: "version 4"},
	})
	if m := f.host.Metrics()["hello"]; m.Reloads != 3 || m.Starts != 4 {
		t.Errorf("hello after reloads: %+v", m)
	}
}

// echoServer accepts WebSocket connections on loopback and reads each until
// it closes.
func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _, err := ws.UpgradeHTTP(r, w)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			if _, _, err := wsutil.ReadClientData(conn); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestConnectionPolicy(t *testing.T) {
	f := newFixture(t)
	_, port, _ := strings.Cut(echoServer(t).Listener.Addr().String(), ":")
	probe := func(u string) string { return "/plugins/hello/probe?url=" + url.QueryEscape(u) }
	f.check([]exchange{
		{path: probe("ws://127.0.0.1:" + port + "/"), status: 200, body: "open"},
		// The same server by a name the allow list does not have.
		{path: probe("ws://localhost:" + port + "/"), status: 200, body: "error"},
		{path: probe("ws://example.com/"), status: 200, body: "error"},
	})
	for _, want := range []string{
		"plugin connection to ws://localhost:" + port + "/: ",
		"plugin connection to ws://example.com/: ",
		"host not in the plugins' allow list",
	} {
		if !strings.Contains(f.log.String(), want) {
			t.Errorf("log has no %q:\n%s", want, f.log)
		}
	}
}

// TestShutdown checks that a host that served every kind of plugin, sockets,
// timeouts, posted events and a child process included, leaves no goroutine
// behind once closed.
func TestShutdown(t *testing.T) {
	before := goruntime.NumGoroutine()
	echo := echoServer(t)
	f := newFixture(t, isolated("slug"))
	f.check([]exchange{
		{path: "/plugins/hello/probe?url=" + url.QueryEscape("ws://"+echo.Listener.Addr().String()+"/"), status: 200, body: "open"},
		{method: "POST", path: "/events/hello", send: "bye", status: 200},
		{path: "/plugins/slug/?text=a+b", status: 200, body: "a-b"},
		{path: "/plugins/bad/timers?n=10", status: 200},
		{path: "/plugins/bad/flood", status: 504},
		{path: "/plugins/bad/timers?n=10", status: 200},
		{path: "/plugins/bad/background", status: 202},
	})
	f.log.waitFor(t, "plugin bad: Uncaught Error: background bug")
	f.close()
	echo.Close()
	if _, err := f.host.Fetch(context.Background(), "hello", map[string]any{}); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("Fetch after Close: %v", err)
	}
	// The goroutine of a connection the test server closed may still be on
	// its way out, runnable past the last step Close waits for: let it run.
	for i := 0; i < 1000 && goruntime.NumGoroutine() > before; i++ {
		goruntime.Gosched()
	}
	if after := goruntime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines, %d before:\n%s", after, before, buf[:goruntime.Stack(buf, true)])
	}
}

// TestReloadWaitsForRequests checks that a reload lets the requests the old
// version serves finish on it before closing it.
func TestReloadWaitsForRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	// A server that holds the opening handshake until released: the probe's
	// request stays in the plugin until then.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		conn, _, _, err := ws.UpgradeHTTP(r, w)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			if _, _, err := wsutil.ReadClientData(conn); err != nil {
				return
			}
		}
	}))
	defer slow.Close()
	f := newFixture(t)

	probed := make(chan struct{})
	go func() {
		defer close(probed)
		f.check([]exchange{{path: "/plugins/hello/probe?url=" + url.QueryEscape("ws://"+slow.Listener.Addr().String()+"/"), status: 200, body: "open"}})
	}()
	<-entered
	if err := os.WriteFile(filepath.Join(f.dir, "hello.ts"), []byte(`export default { fetch: () => "version 2" };`), 0o644); err != nil {
		t.Fatal(err)
	}
	reloaded := make(chan error, 1)
	go func() { reloaded <- f.host.Reload(context.Background(), "hello") }()
	// New requests go to the new version as soon as it is swapped in...
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, body := f.do(http.MethodGet, "/plugins/hello/"); body == "version 2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new version never served")
		}
	}
	// ...while Reload waits for the old one's request before closing it.
	select {
	case err := <-reloaded:
		t.Fatalf("Reload returned %v with a request in progress", err)
	default:
	}
	close(release)
	<-probed
	if err := <-reloaded; err != nil {
		t.Fatal(err)
	}
}

// TestBackgroundErrors checks that the host hears of the errors no request
// sees, with their stacks in the plugin's own source, and that the runtime
// serves on.
func TestBackgroundErrors(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		f.check([]exchange{{path: "/plugins/bad/background", status: 202, body: "scheduled"}})
		// The runtime's report on Stderr, then the host's line (OnError).
		f.log.waitForN(t, "Uncaught Error: background bug\n    at "+f.dir+"/bad.ts:42:11\n", i+1)
		f.log.waitForN(t, "plugin bad: Uncaught Error: background bug\n", i+1)
	}
	if m := f.host.Metrics()["bad"]; m.Errors != 3 || m.Starts != 1 || m.Discards != 0 {
		t.Errorf("bad after errors in the background: %+v", m)
	}
}
