package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	goruntime "runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wsjs/wsjs/runtime"
)

// pluginsFS returns the plugins directory as an fs.FS held in memory, with
// extra files added.
func pluginsFS(t *testing.T, extra fstest.MapFS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("plugins"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("plugins/" + path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range extra {
		m[name] = file
	}
	return m
}

// TestFS checks plugins served from an fs.FS: their relative imports come
// from it, npm packages from disk, and stacks name their files in it.
func TestFS(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.FS = pluginsFS(t, nil) })
	f.check([]exchange{
		{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada (visit 1)"},
		{path: "/plugins/slug/?text=From+FS", status: 200, body: "from-fs"},
	})
	_, err := f.host.Fetch(context.Background(), "bad", map[string]any{"path": "/throw"})
	if e, ok := err.(*runtime.Error); !ok || !strings.Contains(e.Stack, "at fetch (bad.ts:9:10)") {
		t.Errorf("a throw from an fs.FS: %#v", err)
	}
	// Nothing to poll in an fs.FS.
	if names, err := f.host.Scan(context.Background()); len(names) != 0 || err != nil {
		t.Errorf("Scan = %v, %v", names, err)
	}
}

// TestDeploy checks plugins compiled from memory: a new one, a new version
// of one from disk, and versions that do not compile or start, which leave
// the last one serving.
func TestDeploy(t *testing.T) {
	f := newFixture(t)
	const echo = `import { greet } from "./lib/greet.ts";
export default {
	fetch(req: { query: Record<string, string> }) {
		if (req.query.fail) throw new Error("deployed bug");
		return greet("echo", req.query.name, 0);
	},
};`
	f.check([]exchange{
		{method: "PUT", path: "/deploy/echo", send: echo, status: 200, body: "deployed"},
		{path: "/plugins/echo/?name=ada", status: 200, body: "echo, ada (visit 0)"},
		{path: "/plugins/echo/?fail=1", status: 500, body: "Error: deployed bug"},
		{method: "PUT", path: "/deploy/hello", send: `export default { fetch: () => "hello from memory" };`, status: 200},
		{path: "/plugins/hello/", status: 200, body: "hello from memory"},
		{method: "PUT", path: "/deploy/hello", send: `export default { fetch: () => "unfinished" ;`, status: 500, body: "hello.ts:1:"},
		{method: "PUT", path: "/deploy/hello", send: `throw new Error("not today");`, status: 500, body: "not today"},
		{path: "/plugins/hello/", status: 200, body: "hello from memory"},
		{method: "PUT", path: "/deploy/no%2Fslash", send: echo, status: 400, body: "bad plugin name"},
		{method: "PUT", path: "/deploy/broken", send: `export default {`, status: 500},
		{path: "/plugins/broken/", status: 404},
	})
	_, err := f.host.Fetch(context.Background(), "echo", map[string]any{"query": map[string]any{"fail": "1"}})
	if e, ok := err.(*runtime.Error); !ok || !strings.Contains(e.Stack, "at fetch (echo.ts:4:") {
		t.Errorf("a throw from memory: %#v", err)
	}
	if got := fmt.Sprint(f.host.Plugins()); got != "[bad echo hello slug]" {
		t.Errorf("plugins %s", got)
	}
	// A deployed plugin is not reloaded from its file, which did not change.
	if names, err := f.host.Scan(context.Background()); len(names) != 0 || err != nil {
		t.Errorf("Scan = %v, %v", names, err)
	}
}

// TestCheapRuntimes checks that a plugin costs the host little beyond its
// script: a host of a hundred small plugins, each compiled on its own and
// served by a runtime of its own, holds a bounded heap and one goroutine per
// plugin. (A runtime that has run a script holds about 690 KB, most of it
// the ECMAScript built-ins installed before the first script; see
// BenchmarkHeapAfterScript in package runtime.)
func TestCheapRuntimes(t *testing.T) {
	const n = 100
	extra := fstest.MapFS{}
	for i := range n {
		extra[fmt.Sprintf("p%03d.ts", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			`import { greet } from "./lib/greet.ts";
			export default { fetch: (req: { query: Record<string, string> }) => greet("p%03d", req.query.name, %d) };`, i, i))}
	}
	plugins := pluginsFS(t, extra)
	heap := func() uint64 {
		var ms goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before, goroutines := heap(), ownGoroutines()
	f := newFixture(t, func(c *Config) { c.FS = plugins })
	count := int64(len(f.host.Plugins()))
	perPlugin := (int64(heap()) - int64(before)) / count
	perPluginG := float64(ownGoroutines()-goroutines) / float64(count)
	t.Logf("%d plugins: %d KiB of heap and %.2f goroutines each", count, perPlugin>>10, perPluginG)
	if limit := int64(1 << 20); !raceEnabled && perPlugin > limit {
		t.Errorf("%d KiB of heap per plugin, over %d KiB", perPlugin>>10, limit>>10)
	}
	if perPluginG > 1.1 {
		t.Errorf("%.2f goroutines per plugin", perPluginG)
	}
	f.check([]exchange{
		{path: "/plugins/p042/?name=ada", status: 200, body: "p042, ada (visit 42)"},
		{path: "/plugins/p099/?name=alan", status: 200, body: "p099, alan (visit 99)"},
	})
}

// ownGoroutines counts the goroutines of the process but those esbuild's
// compiles started, which end on their own a little after the compile that
// started them.
func ownGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := goruntime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, "created by github.com/evanw/esbuild/") {
			n++
		}
	}
	return n
}
