package xhr

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestProgressDeferred checks that bytes arriving within 50ms of the last
// progress event are reported by a progress event once the 50ms have passed,
// not only when more bytes come or the body ends, and that no progress event
// comes after the request has ended.
func TestProgressDeferred(t *testing.T) {
	next := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "a")
		w.(http.Flusher).Flush()
		select { // until the client has seen "a"
		case <-next:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, "b")
		w.(http.Flusher).Flush()
		if r.URL.Query().Has("end") {
			return
		}
		// Held open; a client that never reports "b" before the end sees
		// load after this.
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	_ = e.vm.Set("seenA", func() {
		select {
		case next <- struct{}{}:
		default:
		}
	})
	cases := []jsCase{
		{"reported while the body is held open",
			`const x = new XMLHttpRequest(); const log = trace(x), times = [];
			x.onprogress = ev => { times.push(Date.now()); if (ev.loaded === 1) seenA(); if (ev.loaded === 2) x.abort(); };
			x.open("GET", "/"); x.send(); await loadend(x);
			return log.join(" ") + " " + (times[1] - times[0] >= 45)`,
			"rs1 loadstart(0) rs2 rs3 progress(1) rs3 progress(2) rs4 abort(0) loadend(0) true"},
		{"none after the end",
			`const x = new XMLHttpRequest(); const log = trace(x);
			x.onprogress = ev => { if (ev.loaded === 1) seenA(); };
			x.open("GET", "/?end"); x.send(); await loadend(x);
			const n = log.length; await new Promise(resolve => setTimeout(resolve, 100));
			return log.slice(n).length + " " + log.slice(-2).join(" ")`,
			"0 load(2) loadend(2)"},
	}
	for _, c := range cases {
		if got := e.run(c.src); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
