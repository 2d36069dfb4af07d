package worker

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLimits runs workers under Options.MaxWorkers and MaxDepth, set on the
// top-level realm only: the workers' realms have no bounds of their own.
func TestLimits(t *testing.T) {
	// try_(f) logs what f threw, or "ok". settle() waits for the goroutines
	// of the top-level realm's workers to end.
	const try = `function try_(f) { try { f(); log("ok") } catch (e) { log(e.name + ": " + e.message) } }
`
	tooMany := func(iface string, n int) string {
		return fmt.Sprintf("QuotaExceededError: Failed to construct '%s': too many workers are running (the limit is %d).", iface, n)
	}
	files := map[string]string{
		"/idle.js":  `onmessage = () => {}`,
		"/spawn.js": try + `try_(() => new Worker("idle.js")); try_(() => new Worker("idle.js")); close();`,
		// A chain of workers, each one level deeper: its name is its depth.
		"/nest.js": `if (name < 10) {
	try { new Worker("nest.js", { name: String(+name + 1) }) } catch (e) { log("at depth " + name + ": " + e.name + ": " + e.message) }
} else {
	log("depth " + name);
}`,
		"/sw.js": `oninstall = () => {}`,
	}
	tests := []struct {
		name   string
		opts   Options
		secure bool // the runtime's base URL is on a loopback HTTP server
		main   string
		want   []string
	}{
		{
			name: "Worker beyond MaxWorkers", opts: Options{MaxWorkers: 2},
			main: `const a = new Worker("idle.js"), b = new Worker("idle.js");
try_(() => new Worker("idle.js"));
a.terminate(); b.terminate();`,
			want: []string{tooMany("Worker", 2)},
		},
		{
			name: "a worker whose goroutine has ended counts no more", opts: Options{MaxWorkers: 1},
			main: `new Worker("idle.js").terminate(); settle();
try_(() => new Worker("idle.js").terminate());`,
			want: []string{"ok"},
		},
		{
			name: "the workers of workers count", opts: Options{MaxWorkers: 2},
			main: `new Worker("spawn.js")`,
			want: []string{"ok", tooMany("Worker", 2)},
		},
		{
			name: "SharedWorker beyond MaxWorkers", opts: Options{MaxWorkers: 1},
			main: `new SharedWorker("idle.js");
try_(() => new SharedWorker("idle.js")); // the same worker
try_(() => new SharedWorker("idle.js", "other"));`,
			want: []string{"ok", tooMany("SharedWorker", 1)},
		},
		{
			name: "nesting beyond MaxDepth", opts: Options{MaxDepth: 3},
			main: `new Worker("nest.js", { name: "1" })`,
			want: []string{"at depth 3: QuotaExceededError: Failed to construct 'Worker': workers are nested too deeply (the limit is 3 levels)."},
		},
		{
			name: "no bounds",
			main: `for (let i = 0; i < 20; i++) new Worker("idle.js").terminate();
new Worker("nest.js", { name: "1" });`,
			want: []string{"depth 10"},
		},
		{
			name: "service workers count", opts: Options{MaxWorkers: 1}, secure: true,
			main: `navigator.serviceWorker.register("sw.js").then(() => try_(() => new Worker("idle.js")));`,
			want: []string{tooMany("Worker", 1)},
		},
		{
			name: "registration beyond MaxWorkers", opts: Options{MaxWorkers: 1}, secure: true,
			main: `const w = new Worker("idle.js");
navigator.serviceWorker.register("sw.js").then(() => log("registered"), (e) => log(e.name + ": " + e.message)).finally(() => w.terminate());`,
			want: []string{"TypeError: Failed to register a ServiceWorker for scope ('ORIGIN/') with script ('ORIGIN/sw.js'): too many workers are running (the limit is 1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := map[string]string{"/main.js": try + tt.main}
			for k, v := range files {
				fs[k] = v
			}
			var c ChildOptions
			origin := "file://"
			if tt.secure {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
					w.Header().Set("Content-Type", "text/javascript")
					fmt.Fprint(w, fs[req.URL.Path])
				}))
				t.Cleanup(srv.Close)
				origin, c.BaseURL = srv.URL, srv.URL+"/main.js"
			}
			h, err := newTestHost(fs, nil, c, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			a := h.realm.Data(agentKey{}).(*agent)
			if err := h.realm.VM().Set("settle", func() { waitWorkers(a) }); err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(h.run(t, "/main.js"), origin, "ORIGIN")
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			h.Close()
			if n := a.quota.running(); n != 0 {
				t.Errorf("%d workers counted after Close, want 0", n)
			}
		})
	}
}

// running returns the number of workers counted in q's tree.
func (q *quota) running() int {
	q.tree.mu.Lock()
	defer q.tree.mu.Unlock()
	return q.tree.n
}

// waitWorkers waits for the goroutines of a's workers to end.
func waitWorkers(a *agent) {
	for _, w := range a.workers.list() {
		<-w.done
	}
}

func TestTighter(t *testing.T) {
	tests := []struct{ a, b, want int }{
		{0, 0, 0}, {0, 3, 3}, {3, 0, 3}, {2, 3, 2}, {3, 2, 2},
	}
	for _, tt := range tests {
		if got := tighter(tt.a, tt.b); got != tt.want {
			t.Errorf("tighter(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
