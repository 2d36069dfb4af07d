package wptserver

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// response is an HTTP response being built by a handler and its pipes,
// like wptserve's Response: ordered headers, a body, and optionally a
// trickle plan that sends the body in parts with delays.
type response struct {
	status  int
	reason  string      // "" means the standard reason phrase
	headers [][2]string // in order; names compared case-insensitively
	body    []byte
	trickle []trickleStep // nil: send body at once with Content-Length
}

func newResponse() *response { return &response{status: http.StatusOK} }

// set replaces every header called name by one with value.
func (r *response) set(name, value string) {
	r.del(name)
	r.headers = append(r.headers, [2]string{name, value})
}

// add appends a header, keeping the existing ones.
func (r *response) add(name, value string) {
	r.headers = append(r.headers, [2]string{name, value})
}

func (r *response) del(name string) {
	kept := r.headers[:0]
	for _, h := range r.headers {
		if !strings.EqualFold(h[0], name) {
			kept = append(kept, h)
		}
	}
	r.headers = kept
}

func (r *response) has(name string) bool {
	for _, h := range r.headers {
		if strings.EqualFold(h[0], name) {
			return true
		}
	}
	return false
}

// errorResponse is wptserve's Response.set_error: a JSON body naming the
// status code and a message.
func errorResponse(code int, msg string) *response {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": msg}})
	r := &response{status: code, body: body}
	r.set("Content-Type", "application/json")
	return r
}

// write sends r. A reason phrase other than the standard one needs the raw
// connection, which net/http offers for HTTP/1.x only; over HTTP/2 the
// standard phrase (which HTTP/2 does not carry anyway) is used.
func (r *response) write(ctx context.Context, w http.ResponseWriter, head bool) error {
	if r.reason != "" && r.reason != http.StatusText(r.status) {
		if hj, ok := w.(http.Hijacker); ok {
			return r.writeRaw(ctx, hj, head)
		}
	}
	hdr := w.Header()
	for _, h := range r.headers {
		hdr.Add(h[0], h[1])
	}
	if !r.has("Content-Type") {
		hdr["Content-Type"] = nil // no sniffing: wptserve sends none
	}
	if r.trickle == nil && !r.has("Content-Length") {
		hdr.Set("Content-Length", strconv.Itoa(len(r.body)))
	}
	w.WriteHeader(r.status)
	if head {
		return nil
	}
	if r.trickle == nil {
		_, err := w.Write(r.body)
		return err
	}
	rc := http.NewResponseController(w)
	rc.Flush()
	return r.runTrickle(ctx, func(p []byte) error {
		if _, err := w.Write(p); err != nil {
			return err
		}
		return rc.Flush()
	})
}

func (r *response) writeRaw(ctx context.Context, hj http.Hijacker, head bool) error {
	conn, _, err := hj.Hijack()
	if err != nil {
		return err
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", r.status, r.reason)
	for _, h := range r.headers {
		fmt.Fprintf(bw, "%s: %s\r\n", h[0], sanitizeHeaderValue(h[1]))
	}
	if !r.has("Date") {
		fmt.Fprintf(bw, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	}
	if r.trickle == nil && !r.has("Content-Length") {
		fmt.Fprintf(bw, "Content-Length: %d\r\n", len(r.body))
	}
	bw.WriteString("Connection: close\r\n\r\n")
	if head {
		return bw.Flush()
	}
	if r.trickle == nil {
		bw.Write(r.body)
		return bw.Flush()
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return r.runTrickle(ctx, func(p []byte) error {
		_, err := conn.Write(p)
		return err
	})
}

// sanitizeHeaderValue keeps a header value on one line, as net/http does.
func sanitizeHeaderValue(v string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
