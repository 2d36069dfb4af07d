package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/webidl"
)

// onLoop runs f as a task on e's loop and runs the loop until it is idle.
func (e *testEnv) onLoop(f func()) {
	e.t.Helper()
	e.loop.Queue(f)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.loop.Run(ctx); err != nil {
		e.t.Fatalf("loop: %v", err)
	}
}

// start runs Start on the loop.
func (e *testEnv) start(req *Request) (*Fetch, error) {
	var f *Fetch
	var err error
	e.onLoop(func() { f, err = Start(e.r, req) })
	return f, err
}

// readBody reads and closes a response body.
func readBody(t *testing.T, resp *Response) string {
	t.Helper()
	if resp.Body == nil {
		return "<null>"
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	return string(b)
}

type echoed struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func TestStartRequest(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/page.html", Options{})
	h := &HeaderList{}
	h.Append("X-One", "1")
	h.Combine("x-one", "2")
	var sent atomic.Int64
	f, err := e.start(&Request{Method: "PUT", URL: srv.URL + "/echo?q", Header: h, Body: []byte("payload"),
		BodyChunk: func(n int) { sent.Add(int64(n)) }})
	if err != nil {
		t.Fatal(err)
	}
	h.Set("X-One", "changed after Start")
	resp := f.Response()
	if resp.IsNetworkError() || resp.Status != 200 || resp.StatusText != "OK" || resp.Type != "basic" || resp.URL != srv.URL+"/echo?q" {
		t.Fatalf("response %+v", resp)
	}
	var got echoed
	if err := json.Unmarshal([]byte(readBody(t, resp)), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"x-one": "1, 2", "accept": "*/*", "content-length": "7", "user-agent": "wsjs", "origin": srv.URL}
	for k, v := range want {
		if got.Headers[k] != v {
			t.Errorf("header %s = %q, want %q (all: %v)", k, got.Headers[k], v, got.Headers)
		}
	}
	if got.Method != "PUT" || got.Body != "payload" || got.URL != "/echo?q" {
		t.Errorf("echo %+v", got)
	}
	if ct, ok := resp.Header.Get("Content-Type"); !ok || ct != "application/json" {
		t.Errorf("Content-Type %q %v", ct, ok)
	}
	if sent.Load() != 7 {
		t.Errorf("BodyChunk was told of %d bytes, want 7", sent.Load())
	}
	if again := f.Response(); !again.IsNetworkError() {
		t.Errorf("a second Response call: %+v", again)
	}
}

func TestStartResponses(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/", Options{})
	cases := []struct {
		req                  Request
		status               int
		url, body, setCookie string
		netErr               bool
	}{
		{req: Request{URL: srv.URL + "/text"}, status: 200, url: srv.URL + "/text", body: "hello"},
		{req: Request{URL: srv.URL + "/gzip"}, status: 200, url: srv.URL + "/gzip", body: "compressed"},
		{req: Request{URL: srv.URL + "/redirect?to=/text#frag"}, status: 200, url: srv.URL + "/text", body: "hello"},
		{req: Request{Method: "HEAD", URL: srv.URL + "/text"}, status: 200, url: srv.URL + "/text", body: "<null>"},
		{req: Request{URL: srv.URL + "/status?code=204"}, status: 204, url: srv.URL + "/status?code=204", body: "<null>"},
		{req: Request{URL: srv.URL + "/status?code=404"}, status: 404, url: srv.URL + "/status?code=404", body: "body"},
		{req: Request{URL: "data:text/plain,hi"}, status: 200, url: "data:text/plain,hi", body: "hi"},
		{req: Request{URL: srv.URL + "/loop"}, netErr: true},
		{req: Request{URL: "http://127.0.0.1:1/"}, netErr: true},    // a bad port
		{req: Request{URL: "file:///etc/passwd"}, netErr: true},     // no file: URLs
		{req: Request{URL: srv.URL + "/text", Mode: "same-origin"}}, // same origin: fine
	}
	for _, c := range cases {
		f, err := e.start(&c.req)
		if err != nil {
			t.Fatalf("%+v: %v", c.req, err)
		}
		resp := f.Response()
		if resp.IsNetworkError() != c.netErr {
			t.Errorf("%s: network error %v", c.req.URL, resp.IsNetworkError())
			continue
		}
		if c.netErr {
			if resp.Status != 0 || resp.Body != nil || resp.Header.Len() != 0 || resp.Aborted {
				t.Errorf("%s: network error %+v", c.req.URL, resp)
			}
			continue
		}
		if c.status == 0 {
			readBody(t, resp)
			continue
		}
		if resp.Status != c.status || resp.URL != c.url {
			t.Errorf("%s: status %d url %q", c.req.URL, resp.Status, resp.URL)
		}
		if body := readBody(t, resp); body != c.body {
			t.Errorf("%s: body %q, want %q", c.req.URL, body, c.body)
		}
		// Set-Cookie is filtered out of basic responses.
		if _, ok := resp.Header.Get("Set-Cookie"); ok {
			t.Errorf("%s: Set-Cookie exposed", c.req.URL)
		}
	}
}

func TestStartCredentialsAndPolicy(t *testing.T) {
	srv := newTestServer(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	e := newTestEnv(t, "http://example.test/", Options{Network: &network.Policy{Jar: jar, Allow: func(u *url.URL, addr netip.AddrPort) error {
		if u.Path == "/forbidden" {
			return refused
		}
		return nil
	}}})
	get := func(req Request) *Response {
		t.Helper()
		f, err := e.start(&req)
		if err != nil {
			t.Fatal(err)
		}
		return f.Response()
	}
	// The realm's origin is example.test, so the server is cross-origin:
	// cookies go only with "include".
	readBody(t, get(Request{URL: srv.URL + "/setcookie?c=k=v", Credentials: "include"}))
	var got echoed
	_ = json.Unmarshal([]byte(readBody(t, get(Request{URL: srv.URL + "/echo"}))), &got)
	if c, ok := got.Headers["cookie"]; ok || got.Headers["origin"] != "http://example.test" {
		t.Errorf("same-origin credentials, cross-origin request: cookie %q, origin %q", c, got.Headers["origin"])
	}
	_ = json.Unmarshal([]byte(readBody(t, get(Request{URL: srv.URL + "/echo", Credentials: "include"}))), &got)
	if got.Headers["cookie"] != "k=v" {
		t.Errorf("include: cookie %q", got.Headers["cookie"])
	}
	if resp := get(Request{URL: srv.URL + "/forbidden"}); !resp.IsNetworkError() || resp.Aborted {
		t.Errorf("policy: %+v", resp)
	}
	if resp := get(Request{URL: srv.URL + "/text", Mode: "same-origin"}); !resp.IsNetworkError() {
		t.Errorf("same-origin mode, cross-origin URL: %+v", resp)
	}
}

func TestStartErrors(t *testing.T) {
	e := newTestEnv(t, "http://example.test/", Options{})
	for _, req := range []Request{
		{URL: "not a url"},
		{URL: "http://example.test/", Method: "GET x"},
		{URL: "http://example.test/", Method: "connect"},
		{URL: "http://example.test/", Mode: "navigate"},
		{URL: "http://example.test/", Credentials: "all"},
	} {
		if _, err := e.start(&req); err == nil {
			t.Errorf("Start(%+v) succeeded", req)
		}
	}
	// A realm without the Fetch API.
	if _, err := Start(webidl.NewRealm(goja.New()), &Request{URL: "http://example.test/"}); err == nil {
		t.Error("Start in a realm without Register succeeded")
	}
}

func TestFetchAbortAndClose(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/", Options{})
	// Abort while waiting for headers.
	f, err := e.start(&Request{URL: srv.URL + "/block"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Response)
	go func() { done <- f.Response() }()
	time.AfterFunc(20*time.Millisecond, f.Abort)
	if resp := <-done; !resp.IsNetworkError() || !resp.Aborted {
		t.Errorf("aborted fetch: %+v", resp)
	}
	// Abort while reading the body.
	f, err = e.start(&Request{URL: srv.URL + "/slowbody"})
	if err != nil {
		t.Fatal(err)
	}
	resp := f.Response()
	buf := make([]byte, 7)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "partial" {
		t.Fatalf("%q %v", buf, err)
	}
	f.Abort()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("reading an aborted body succeeded")
	}
	resp.Body.Close()
	// Closing the loop aborts too.
	f, err = e.start(&Request{URL: srv.URL + "/block"})
	if err != nil {
		t.Fatal(err)
	}
	go func() { done <- f.Response() }()
	time.AfterFunc(20*time.Millisecond, e.loop.Close)
	if resp := <-done; !resp.IsNetworkError() || !resp.Aborted {
		t.Errorf("fetch when the loop closed: %+v", resp)
	}
}

func TestHeaderListAPI(t *testing.T) {
	var h HeaderList
	h.Append("B", "2")
	h.Append("a", "1")
	h.Combine("A", "one")
	h.Append("Set-Cookie", "x=1")
	h.Append("set-cookie", "y=2")
	h.Combine("c", "3")
	if v, ok := h.Get("a"); !ok || v != "1, one" {
		t.Errorf("Get(a) = %q %v", v, ok)
	}
	got := h.SortAndCombine()
	want := [][2]string{{"a", "1, one"}, {"b", "2"}, {"c", "3"}, {"set-cookie", "x=1"}, {"set-cookie", "y=2"}}
	if len(got) != len(want) {
		t.Fatalf("SortAndCombine = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("SortAndCombine[%d] = %q, want %q", i, got[i], want[i])
		}
	}
	h.Set("B", "two")
	if v, _ := h.Get("b"); v != "two" || h.Len() != 5 {
		t.Errorf("after Set: %q, %d headers", v, h.Len())
	}
	if _, ok := h.Get("missing"); ok {
		t.Error("Get(missing) found a header")
	}

	for _, c := range []struct {
		values []string
		n      int64
		ok     bool
	}{
		{nil, 0, false},
		{[]string{"42"}, 42, true},
		{[]string{"42", "42"}, 42, true},
		{[]string{"42, 42"}, 42, true},
		{[]string{"42", "43"}, 0, false},
		{[]string{""}, 0, false},
		{[]string{"4 2"}, 0, false},
		{[]string{"-1"}, 0, false},
		{[]string{"0x10"}, 0, false},
		{[]string{"9223372036854775807"}, 1<<63 - 1, true},
		{[]string{"9223372036854775808"}, 0, false},
	} {
		var l HeaderList
		for _, v := range c.values {
			l.Append("Content-Length", v)
		}
		if n, ok := l.Length(); n != c.n || ok != c.ok {
			t.Errorf("Length(%q) = %d %v, want %d %v", c.values, n, ok, c.n, c.ok)
		}
	}

	var ct HeaderList
	ct.Append("Content-Type", "text/html;charset=gbk")
	ct.Append("Content-Type", "text/html")
	if mt, ok := ct.MIMEType(); !ok || mt.String() != "text/html;charset=gbk" || mt.Essence() != "text/html" {
		t.Errorf("MIMEType = %v %v", mt, ok)
	}
	if _, ok := (&HeaderList{}).MIMEType(); ok {
		t.Error("MIMEType of an empty list")
	}
}

func TestMIMETypeAPI(t *testing.T) {
	mt, ok := ParseMIMEType(" Text/Plain ; Charset=\"Shift_JIS\";a=b ")
	if !ok || mt.Essence() != "text/plain" {
		t.Fatalf("ParseMIMEType: %v %v", mt, ok)
	}
	if v, ok := mt.Param("charset"); !ok || v != "Shift_JIS" {
		t.Errorf("charset %q %v", v, ok)
	}
	mt.SetParam("charset", "UTF-8")
	mt.SetParam("new", "a b")
	if s := mt.String(); s != `text/plain;charset=UTF-8;a=b;new="a b"` {
		t.Errorf("String = %q", s)
	}
	if _, ok := ParseMIMEType("nonsense"); ok {
		t.Error("ParseMIMEType(nonsense) succeeded")
	}
}

func TestMethodAndHeaderPredicates(t *testing.T) {
	if !IsMethod("PATCH") || IsMethod("") || IsMethod("GET X") || !IsForbiddenMethod("trace") || IsForbiddenMethod("GET") {
		t.Error("method predicates")
	}
	if NormalizeMethod("post") != "POST" || NormalizeMethod("patch") != "patch" {
		t.Error("NormalizeMethod")
	}
	if !IsHeaderName("X-Ok") || IsHeaderName("X Bad") || !IsHeaderValue("") || IsHeaderValue(" a") || IsHeaderValue("a\nb") {
		t.Error("header predicates")
	}
	if NormalizeHeaderValue("\t a b \r\n") != "a b" {
		t.Error("NormalizeHeaderValue")
	}
	for _, h := range [][2]string{{"Sec-WebSocket-Key", "x"}, {"host", "x"}, {"Proxy-Authorization", "x"}, {"X-HTTP-Method-Override", "trace"}} {
		if !IsForbiddenRequestHeader(h[0], h[1]) {
			t.Errorf("%q is not forbidden", h)
		}
	}
	if IsForbiddenRequestHeader("X-Custom", "x") || IsForbiddenRequestHeader("X-HTTP-Method-Override", "PUT") {
		t.Error("an allowed header is forbidden")
	}
}

func TestExtractBody(t *testing.T) {
	e := newTestEnv(t, "http://example.test/", Options{})
	cases := []struct{ src, body, typ string }{
		{`"héllo"`, "héllo", "text/plain;charset=UTF-8"},
		{`""`, "", "text/plain;charset=UTF-8"},
		{`"\uD800"`, "\uFFFD", "text/plain;charset=UTF-8"},
		{`new URLSearchParams("a=1&b=é")`, "a=1&b=%C3%A9", "application/x-www-form-urlencoded;charset=UTF-8"},
		{`new Blob(["blob"], {type: "Text/X"})`, "blob", "text/x"},
		{`new Uint8Array([1, 2, 3]).subarray(1)`, "\x02\x03", ""},
		{`new ArrayBuffer(0)`, "", ""},
		{`42`, "42", "text/plain;charset=UTF-8"},
		// Not a BodyInit member: converted to a string.
		{`new ReadableStream()`, "[object ReadableStream]", "text/plain;charset=UTF-8"},
	}
	for _, c := range cases {
		var body []byte
		var typ string
		e.onLoop(func() {
			v, err := e.vm.RunString("(" + c.src + ")")
			if err != nil {
				t.Fatal(err)
			}
			body, typ = ExtractBody(e.r, v)
		})
		if body == nil || string(body) != c.body || typ != c.typ {
			t.Errorf("%s: %q (nil %v) %q, want %q %q", c.src, body, body == nil, typ, c.body, c.typ)
		}
	}
	// A conversion that throws throws.
	e.onLoop(func() {
		v, _ := e.vm.RunString(`({toString() { throw new RangeError("no") }})`)
		err := e.vm.Try(func() { ExtractBody(e.r, v) })
		if err == nil || !strings.Contains(err.Error(), "RangeError") {
			t.Errorf("throwing toString: %v", err)
		}
	})
}

func FuzzHeaderLength(f *testing.F) {
	for _, s := range []string{"", "0", "42", "42, 42", "1,2", " 7 ", "\"5\"", "99999999999999999999", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var h HeaderList
		h.Append("Content-Length", v)
		n, ok := h.Length()
		if ok && n < 0 {
			t.Fatalf("Length(%q) = %d", v, n)
		}
		if !ok && n != 0 {
			t.Fatalf("failed Length(%q) = %d", v, n)
		}
	})
}
