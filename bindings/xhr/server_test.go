package xhr

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newTestServer starts a loopback HTTP server for the tests:
//
//	/echo       answers with JSON: method, url, headers (lowercased names, sorted values) and body
//	/body       answers with the body ?b= and the Content-Type ?type= (none if absent), and
//	            the status ?status= (default 200)
//	/hex        answers with the bytes hex-encoded in ?h=, Content-Type ?type=
//	/headers    a response with repeated, mixed-case and Set-Cookie headers
//	/redirect   redirects with ?status= (default 302) to ?to=
//	/gzip       "compressed" with Content-Encoding gzip
//	/chunks     ?n= chunks of "x" (default 3), each flushed, ?every= milliseconds apart if
//	            given, with Content-Length when ?cl is given
//	/block      sends nothing until the request is cancelled
//	/slowbody   sends headers and "partial", then waits for cancellation
//	/delay      answers "late" after ?ms= milliseconds (the trickle of WPT's pipes)
//	/slowupload reads 64 KiB of the request body, pauses ?ms= milliseconds, reads the rest
//	            and answers with the body's length
//	/setcookie  sets the cookie ?c=
func newTestServer(t testing.TB) *httptest.Server {
	t.Helper()
	stop := make(chan struct{})
	wait := func(r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		headers := map[string]string{}
		for name, values := range r.Header {
			headers[strings.ToLower(name)] = strings.Join(values, ", ")
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method": r.Method, "url": r.URL.RequestURI(), "headers": headers, "body": string(body),
		})
	})
	mux.HandleFunc("/body", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Has("type") {
			w.Header().Set("Content-Type", q.Get("type"))
		} else {
			w.Header()["Content-Type"] = nil // no sniffed type
		}
		status := 200
		if s := q.Get("status"); s != "" {
			status, _ = strconv.Atoi(s)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, q.Get("b"))
	})
	mux.HandleFunc("/hex", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", q.Get("type"))
		h := q.Get("h")
		b := make([]byte, len(h)/2)
		for i := range b {
			v, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			b[i] = byte(v)
		}
		_, _ = w.Write(b)
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-B"] = []string{"1", "2"}
		h["x-a"] = []string{"a"}
		h["X_Under"] = []string{"u"}
		h["Set-Cookie"] = []string{"secret=1"}
		h.Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "ok")
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		status := 302
		if s := r.URL.Query().Get("status"); s != "" {
			status, _ = strconv.Atoi(s)
		}
		w.Header().Set("Location", r.URL.Query().Get("to"))
		w.WriteHeader(status)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, "compressed")
		_ = zw.Close()
	})
	mux.HandleFunc("/chunks", func(w http.ResponseWriter, r *http.Request) {
		n := 3
		if s := r.URL.Query().Get("n"); s != "" {
			n, _ = strconv.Atoi(s)
		}
		if r.URL.Query().Has("cl") {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		w.Header().Set("Content-Type", "text/plain")
		every, _ := strconv.Atoi(r.URL.Query().Get("every"))
		for i := range n {
			if every > 0 && i > 0 {
				select {
				case <-time.After(time.Duration(every) * time.Millisecond):
				case <-r.Context().Done():
					return
				}
			}
			_, _ = io.WriteString(w, "x")
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/block", func(w http.ResponseWriter, r *http.Request) { wait(r) })
	mux.HandleFunc("/slowbody", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		wait(r)
	})
	mux.HandleFunc("/delay", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, "late")
	})
	mux.HandleFunc("/slowupload", func(w http.ResponseWriter, r *http.Request) {
		// Read a little, pause for ?ms= so that the client's sending stalls,
		// then read the rest and answer with its length.
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		n, _ := io.CopyN(io.Discard, r.Body, 64<<10)
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		m, _ := io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, strconv.FormatInt(n+m, 10))
	})
	mux.HandleFunc("/setcookie", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", r.URL.Query().Get("c")+"; Path=/")
		_, _ = io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		close(stop)
		srv.Close()
	})
	return srv
}
