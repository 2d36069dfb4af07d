package xhr

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// A response body is charged to the memory budget (1 MiB) as it arrives, and
// until collected once it is the response: one the budget has no room for
// fails as a network error.
func TestMemoryBudget(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		// In pieces, as a body that arrives over time.
		for range n / (64 << 10) {
			w.Write(make([]byte, 64<<10))
			w.(http.Flusher).Flush()
		}
		w.Write(make([]byte, n%(64<<10)))
	}))
	defer srv.Close()
	// The script does not await the request: a promise resolved from a
	// listener of the request keeps the request reachable.
	const async = `const x = new XMLHttpRequest(), log = trace(x); x.open("GET", PATH); x.responseType = TYPE; x.send();
		x.onloadend = () => { globalThis.kept = x.response; globalThis.out = [x.status, log.at(-2), x.status === 200 ? kept.byteLength ?? kept.size ?? kept.length : "-"].join() }`
	const sync = `const x = new XMLHttpRequest(); x.open("GET", PATH, false); x.responseType = TYPE;
		const name = throwsName(() => x.send()); globalThis.kept = x.response; globalThis.out = [name, x.status, x.status === 200 ? kept.byteLength : "-"].join()`
	cases := []struct {
		name, src, path, typ, want string
	}{
		{"within", async, "/307200", "arraybuffer", "200,load(307200),307200"},
		{"beyond", async, "/2097152", "arraybuffer", "0,error(0),-"},
		{"Blob within", async, "/307200", "blob", "200,load(307200),307200"},
		{"text within", async, "/307200", "text", "200,load(307200),307200"},
		{"sync within", sync, "/307200", "arraybuffer", "no throw,200,307200"},
		{"sync beyond", sync, "/2097152", "arraybuffer", "NetworkError,0,-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			budget := bindings.NewBudget(1 << 20)
			e := newTestEnv(t, envOptions{base: srv.URL + "/", memory: budget})
			src := strings.NewReplacer("PATH", strconv.Quote(c.path), "TYPE", strconv.Quote(c.typ)).Replace(c.src)
			e.run(src)
			if got := e.run(`return globalThis.out`); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			// Deep calls, through try statements, overwrite what goja keeps
			// of the calls and try statements that returned.
			e.run(`kept = null; return (function f(n) { try { return n ? f(n - 1) : 0 } finally {} })(1000)`)
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
