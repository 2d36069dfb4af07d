package fetch

import (
	"context"
	"errors"
	"net"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsjs/wsjs/bindings/network"
)

// echo is a script fragment: e fetches the echo handler with init and
// returns its JSON answer.
const echo = `async function echo(path, init) { return await (await fetch(path || "/echo", init)).json(); }
`

func TestFetchSameOrigin(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/dir/page.html", Options{})
	e.runCases(t, []jsCase{
		// A basic response: status, text, headers, URL.
		{`const r = await fetch("/text");
		  return [r.status, r.statusText, r.ok, r.type, r.url === "` + srv.URL + `/text", r.redirected, await r.text()].join()`,
			"200,OK,true,basic,true,false,hello"},
		{`const r = await fetch("/text"); return [r.headers.get("x-custom"), r.headers.get("content-type"), r.headers.has("set-cookie")].join("|")`,
			"custom value|text/plain; charset=utf-8|false"},
		// The response's headers are immutable.
		{`const r = await fetch("/text"); return throwsName(() => r.headers.set("a", "b"))`, "TypeError"},
		// Relative URLs resolve against the API base URL.
		{echo + `return (await echo("x/../../echo?q")).url`, "/echo?q"},
		// Default request headers, and headers the script sets.
		{echo + `const h = (await echo()).headers; return [h.accept, h["user-agent"], h["accept-encoding"], h.origin === undefined].join("|")`,
			"*/*|wsjs|gzip, deflate|true"},
		{echo + `const h = (await echo("/echo", {headers: {"X-A": "1", "Accept": "text/html", "Cookie": "forbidden=1"}})).headers;
		  return [h["x-a"], h.accept, h.cookie === undefined].join("|")`, "1|text/html|true"},
		{echo + `const h = (await echo("/echo", {headers: {"User-Agent": "mine"}})).headers; return h["user-agent"]`, "mine"},
		// Bodies: strings, URLSearchParams, buffers, Blobs.
		{echo + `const r = await echo("/echo", {method: "POST", body: "héllo"}); return [r.method, r.body, r.headers["content-type"], r.headers["content-length"]].join("|")`,
			"POST|héllo|text/plain;charset=UTF-8|6"},
		{echo + `const r = await echo("/echo", {method: "PUT", body: new URLSearchParams("a=1&b=x y")}); return [r.method, r.body, r.headers["content-type"]].join("|")`,
			"PUT|a=1&b=x+y|application/x-www-form-urlencoded;charset=UTF-8"},
		{echo + `const r = await echo("/echo", {method: "POST", body: new Uint8Array([104, 105]).buffer}); return [r.body, r.headers["content-type"] === undefined].join("|")`,
			"hi|true"},
		{echo + `const r = await echo("/echo", {method: "POST", body: new Blob(["blob"], {type: "text/x-blob"})}); return [r.body, r.headers["content-type"]].join("|")`,
			"blob|text/x-blob"},
		{echo + `const r = await echo("/echo", {method: "POST"}); return [r.body, r.headers["content-length"]].join("|")`, "|0"},
		// Methods are normalized; others kept as they are.
		{echo + `return (await echo("/echo", {method: "delete"})).method + (await echo("/echo", {method: "patch"})).method`, "DELETEpatch"},
		// Same-origin non-GET requests carry Origin.
		{echo + `return (await echo("/echo", {method: "POST", body: "x"})).headers.origin`, srv.URL},
		// The Referer is the client's URL for same-origin requests.
		{echo + `return (await echo()).headers.referer`, srv.URL + "/dir/page.html"},
		{echo + `return (await echo("/echo", {referrer: ""})).headers.referer === undefined`, "true"},
		{echo + `return (await echo("/echo", {referrerPolicy: "origin"})).headers.referer`, srv.URL + "/"},
		// Cache modes add their headers.
		{echo + `const h = (await echo("/echo", {cache: "no-store"})).headers; return [h.pragma, h["cache-control"]].join()`, "no-cache,no-cache"},
		{echo + `return (await echo("/echo", {cache: "no-cache"})).headers["cache-control"]`, "max-age=0"},
		// Content codings are decoded; the headers stay.
		{`const r = await fetch("/gzip"); return [await r.text(), r.headers.get("content-encoding")].join()`, "compressed,gzip"},
		{`return await (await fetch("/deflate")).text()`, "deflated"},
		// HEAD and null body statuses have no body.
		{`const r = await fetch("/text", {method: "HEAD"}); return [r.status, JSON.stringify(await r.text()), r.body].join()`, `200,"",`},
		{`const r = await fetch("/status?code=204"); return [r.status, r.ok, r.body].join()`, "204,true,"},
		{`const r = await fetch("/status?code=404"); return [r.status, r.ok, r.statusText, await r.text()].join()`, "404,false,Not Found,body"},
		// Body consumption.
		{`const r = await fetch("/text"); const b = await r.blob(); return [b.size, b.type, r.bodyUsed].join()`, "5,text/plain;charset=utf-8,true"},
		{`const r = await fetch("/text"); await r.text(); return await rejection(r.text())`, "TypeError"},
		{`const r = await fetch("/text"); const c = r.clone(); return [await r.text(), await c.text()].join()`, "hello,hello"},
		{`const r = await fetch("/text"); return new Uint8Array(await r.arrayBuffer()).join()`, "104,101,108,108,111"},
		{`const r = await fetch("/text"); const b = await r.bytes(); return [b.constructor.name, b.length].join()`, "Uint8Array,5"},
		{`return (await (await fetch("/echo")).json()).method`, "GET"},
		{`return await rejection((await fetch("/text")).json())`, "SyntaxError"},
		// A Request as input; its body is taken over.
		{echo + `const q = new Request("/echo", {method: "POST", body: "req"}); const r = await echo(q); return [r.body, q.bodyUsed].join()`, "req,true"},
		{`const q = new Request("/echo", {method: "POST", body: "req"}); await q.text(); return await rejection(fetch(q))`, "TypeError"},
		// data: URLs.
		{`const r = await fetch("data:text/plain;charset=utf-8;base64,aMOpbGxv"); return [r.status, r.statusText, r.headers.get("content-type"), await r.text(), r.url].join("|")`,
			"200|OK|text/plain;charset=utf-8|héllo|data:text/plain;charset=utf-8;base64,aMOpbGxv"},
		{`return (await fetch("data:,x#frag")).url`, "data:,x"},
		{`return await rejection(fetch("data:text/plain;base64,a"))`, "TypeError"},
		// Network errors.
		{`return await rejection(fetch("file:///etc/passwd"))`, "TypeError"},
		{`return await rejection(fetch("about:blank"))`, "TypeError"},
		{`return await rejection(fetch("blob:` + srv.URL + `/x"))`, "TypeError"},
		{`return await rejection(fetch("http://127.0.0.1:25/"))`, "TypeError"},
		{`return await rejection(fetch("/x", {method: "TRACE"}))`, "TypeError"},
		{`return await rejection(fetch("http://u:p@127.0.0.1/"))`, "TypeError"},
		{`return await rejection(fetch())`, "TypeError"},
		{`return await rejection(fetch.call({}, "/text"))`, "TypeError"},
		// Integrity metadata.
		{`return (await fetch("/text", {integrity: "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="})).status`, "200"},
		{`return await rejection(fetch("/text", {integrity: "sha256-AAAAul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="}))`, "TypeError"},
		{`return (await fetch("/text", {integrity: "md5-whatever"})).status`, "200"},
		// fetch is a property of the global object.
		{`const d = Object.getOwnPropertyDescriptor(globalThis, "fetch"); return [typeof d.value, d.writable, d.enumerable, d.configurable, fetch.length, fetch.name].join()`,
			"function,true,true,true,1,fetch"},
	})
}

func TestFetchRedirects(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/", Options{})
	e.runCases(t, []jsCase{
		{`const r = await fetch("/redirect?to=/text"); return [r.status, r.redirected, r.url.endsWith("/text"), await r.text()].join()`, "200,true,true,hello"},
		// 301 and 302 turn POST into GET without a body; 307 and 308 keep both.
		{echo + `const r = await echo("/redirect?status=301&to=/echo", {method: "POST", body: "b"}); return [r.method, r.body, r.headers["content-type"] === undefined].join()`, "GET,,true"},
		{echo + `const r = await echo("/redirect?status=303&to=/echo", {method: "PUT", body: "b"}); return [r.method, r.body].join()`, "GET,"},
		{echo + `const r = await echo("/redirect?status=307&to=/echo", {method: "POST", body: "b"}); return [r.method, r.body].join()`, "POST,b"},
		{echo + `const r = await echo("/redirect?status=308&to=/echo", {method: "PUT", body: "b"}); return [r.method, r.body].join()`, "PUT,b"},
		// Redirect modes.
		{`return await rejection(fetch("/redirect?to=/text", {redirect: "error"}))`, "TypeError"},
		{`const r = await fetch("/redirect?to=/text", {redirect: "manual"}); return [r.type, r.status, r.statusText, [...r.headers].length, r.url.includes("/redirect"), r.body].join()`,
			"opaqueredirect,0,,0,true,"},
		{`return await rejection(fetch("/loop"))`, "TypeError"},
		{`return await rejection(fetch("/redirect?to=data:,x"))`, "TypeError"},
		// A redirect without Location is the response itself.
		{`const r = await fetch("/status?code=302"); return [r.status, await r.text()].join()`, "302,body"},
		// The fragment carries over.
		{`return (await fetch("/redirect?to=/text#f")).url.endsWith("/text")`, "true"},
	})
}

func TestFetchCrossOrigin(t *testing.T) {
	srv := newTestServer(t)
	other := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/page", Options{})
	o := other.URL
	e.runCases(t, []jsCase{
		// No CORS protocol: a cross-origin response is readable, as a basic one.
		{`const r = await fetch("` + o + `/text"); return [r.type, await r.text()].join()`, "basic,hello"},
		{echo + `const h = (await echo("` + o + `/echo")).headers; return [h.origin, h.referer].join()`, srv.URL + "," + srv.URL + "/"},
		{`return await rejection(fetch("` + o + `/text", {mode: "same-origin"}))`, "TypeError"},
		{`const r = await fetch("` + o + `/text", {mode: "no-cors"}); return [r.type, r.status, r.ok, r.url, [...r.headers].length, await r.text()].join()`,
			"opaque,0,false,,0,"},
		{`return await rejection(fetch("` + o + `/text", {mode: "no-cors", redirect: "manual"}))`, "TypeError"},
		// A cross-origin redirect makes Origin "null".
		{echo + `const h = (await echo("` + o + `/redirect?to=` + url.QueryEscape(srv.URL+"/echo") + `")).headers; return h.origin`, "null"},
		// Authorization does not follow a redirect to another origin.
		{echo + `const h = (await echo("/redirect?status=307&to=` + url.QueryEscape(o+"/echo") + `", {headers: {Authorization: "secret"}})).headers; return h.authorization === undefined`, "true"},
		{echo + `const h = (await echo("/redirect?status=307&to=/echo", {headers: {Authorization: "secret"}})).headers; return h.authorization`, "secret"},
	})
}

func TestFetchMixedContent(t *testing.T) {
	// A secure client may not fetch insecure URLs, except potentially
	// trustworthy ones such as loopback addresses.
	srv := newTestServer(t)
	e := newTestEnv(t, "https://example.test/", Options{})
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	e.runCases(t, []jsCase{
		{`return (await fetch("` + srv.URL + `/text")).status`, "200"},
		{`return await rejection(fetch("http://example.test:` + port + `/text"))`, "TypeError"},
	})
}

func TestFetchFileBase(t *testing.T) {
	// A script run from a file has an opaque origin: every fetch is
	// cross-origin, and no Referer is sent.
	srv := newTestServer(t)
	e := newTestEnv(t, "file:///home/user/script.js", Options{})
	e.runCases(t, []jsCase{
		{echo + `const h = (await echo("` + srv.URL + `/echo")).headers; return [h.origin, h.referer === undefined].join()`, "null,true"},
		{`return await rejection(fetch("data.json"))`, "TypeError"},
	})
}

func TestFetchAbort(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/", Options{})
	e.runCases(t, []jsCase{
		{`return await rejection(fetch("/text", {signal: AbortSignal.abort()}))`, "AbortError"},
		{`return await fetch("/text", {signal: AbortSignal.abort("why")}).catch(e => e)`, "why"},
		{`const c = new AbortController(); const p = fetch("/block", {signal: c.signal}); setTimeout(() => c.abort(), 10); return await rejection(p)`, "AbortError"},
		{`return await rejection(fetch("/block", {signal: AbortSignal.timeout(10)}))`, "TimeoutError"},
		// Aborting after the response errors its body.
		{`const c = new AbortController(); const r = await fetch("/slowbody", {signal: c.signal}); const t = r.text(); c.abort(); return await rejection(t)`, "AbortError"},
		{`const c = new AbortController(); const r = await fetch("/slowbody", {signal: c.signal}); setTimeout(() => c.abort(new RangeError("x")), 10); return await rejection(r.text())`, "RangeError"},
		// Aborting after the body is read changes nothing.
		{`const c = new AbortController(); const r = await fetch("/text", {signal: c.signal}); const s = await r.text(); c.abort(); return s`, "hello"},
		// The signal of a Request passed to fetch.
		{`const c = new AbortController(); const q = new Request("/block", {signal: c.signal}); const p = fetch(q); c.abort(); return await rejection(p)`, "AbortError"},
	})
}

func TestFetchCookies(t *testing.T) {
	srv := newTestServer(t)
	other := newTestServer(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, srv.URL+"/", Options{Network: &network.Policy{Jar: jar}})
	o := other.URL
	e.runCases(t, []jsCase{
		// Same-origin requests store and send cookies by default.
		{echo + `await fetch("/setcookie?c=a=1"); return (await echo()).headers.cookie`, "a=1"},
		{echo + `return (await echo("/echo", {credentials: "omit"})).headers.cookie === undefined`, "true"},
		// Cross-origin ones only with "include". (Cookies are per host,
		// and both servers are 127.0.0.1.)
		{echo + `return (await echo("` + o + `/echo")).headers.cookie === undefined`, "true"},
		{echo + `return (await echo("` + o + `/echo", {credentials: "include"})).headers.cookie`, "a=1"},
		{echo + `await fetch("/setcookie?c=b=2", {credentials: "omit"}); return (await echo()).headers.cookie`, "a=1"},
	})
}

func TestFetchAllow(t *testing.T) {
	srv := newTestServer(t)
	var mu sync.Mutex
	var seen []string
	var logged []string
	opts := Options{Network: &network.Policy{
		Allow: func(u *url.URL, addr netip.AddrPort) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, u.Path+" "+addr.String())
			if strings.HasPrefix(u.Path, "/denied") {
				return errors.New("denied by test")
			}
			return nil
		},
		Log: func(u string, err error) {
			mu.Lock()
			defer mu.Unlock()
			logged = append(logged, err.Error())
		},
	}}
	e := newTestEnv(t, srv.URL+"/", opts)
	if got := e.run(`return (await fetch("/text")).status`); got != "200" {
		t.Errorf("allowed fetch: %s", got)
	}
	if got := e.run(`return await fetch("/denied").catch(e => e.name + ": " + e.message)`); got != "TypeError: Failed to fetch: the connection is not allowed" {
		t.Errorf("denied fetch: %s", got)
	}
	// A redirect is checked too.
	if got := e.run(`return await rejection(fetch("/redirect?to=/denied"))`); got != "TypeError" {
		t.Errorf("redirect to a denied URL: %s", got)
	}
	mu.Lock()
	defer mu.Unlock()
	addr := strings.TrimPrefix(srv.URL, "http://")
	want := []string{"/text invalid AddrPort", "/text " + addr, "/denied invalid AddrPort", "/redirect invalid AddrPort", "/denied invalid AddrPort"}
	// Connections are kept alive: /redirect may reuse the first one.
	got := strings.Join(seen, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("Allow calls:\n%s\nmissing %q", got, w)
		}
	}
	if len(logged) != 2 || !strings.Contains(logged[0], "denied by test") {
		t.Errorf("logged %q", logged)
	}
}

func TestFetchDialAndAddressPolicy(t *testing.T) {
	// A custom dialer maps every host to the test server, and the policy
	// refuses what it dialed.
	srv := newTestServer(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	dial := func(ctx context.Context, netw, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, netw, addr)
	}
	e := newTestEnv(t, "http://example.test/", Options{Network: &network.Policy{Dial: dial}})
	if got := e.run(`return await (await fetch("http://example.test/text")).text()`); got != "hello" {
		t.Errorf("custom dial: %s", got)
	}
	e2 := newTestEnv(t, "http://example.test/", Options{Network: &network.Policy{Dial: dial, Allow: func(u *url.URL, ap netip.AddrPort) error {
		if ap.IsValid() && ap.Addr().IsLoopback() {
			return errors.New("no loopback")
		}
		return nil
	}}})
	if got := e2.run(`return await rejection(fetch("http://example.test/text"))`); got != "TypeError" {
		t.Errorf("dialed address refused: %s", got)
	}
}

func TestFetchCloseWhilePending(t *testing.T) {
	// Closing the loop while a fetch is pending ends it: the server sees
	// the request cancelled and Run returns.
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/", Options{})
	started := make(chan struct{})
	e.loop.Queue(func() {
		_, err := e.vm.RunString(`fetch("/block")`)
		if err != nil {
			t.Error(err)
		}
		close(started)
	})
	errc := make(chan error, 1)
	go func() { errc <- e.loop.Run(context.Background()) }()
	<-started
	e.loop.Close()
	select {
	case <-errc:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after Close")
	}
}

func TestFetchBlobURL(t *testing.T) {
	e := newTestEnv(t, "http://example.test/page.html", Options{})
	e.runCases(t, []jsCase{
		{`const u = URL.createObjectURL(new Blob(["héllo"], {type: "text/plain"}));
			const r = await fetch(u + "#frag");
			return [r.status, r.headers.get("content-type"), r.headers.get("content-length"), await r.text(), r.url === u].join("|")`,
			"200|text/plain|6|héllo|true"},
		{`const u = URL.createObjectURL(new Blob(["x"])); URL.revokeObjectURL(u); return await rejection(fetch(u))`, "TypeError"},
		{`const u = URL.createObjectURL(new Blob(["x"])); return await rejection(fetch(u, {method: "POST", body: "y"}))`, "TypeError"},
		// A URL is resolved when it is parsed: revoking it afterwards does
		// not take the Blob from a Request, its clones or a fetch started.
		{`const u = URL.createObjectURL(new Blob(["kept"])); const req = new Request(u); URL.revokeObjectURL(u);
			const clone = new Request(req.clone(), {headers: {a: "b"}});
			return [await (await fetch(req)).text(), await (await fetch(clone)).text()].join()`, "kept,kept"},
		{`const u = URL.createObjectURL(new Blob(["kept"])); const p = fetch(u); URL.revokeObjectURL(u);
			return [await (await p).text(), await rejection(fetch(u))].join()`, "kept,TypeError"},
	})
	// Without a store, blob: URLs do not resolve.
	e = newTestEnvParts(t, "http://example.test/page.html", Options{}, envParts{streams: true})
	e.runCases(t, []jsCase{{`return await rejection(fetch("blob:http://example.test/0b8b0cc8-9fbb-4fd1-8c3d-6ec5b3a0d6c1"))`, "TypeError"}})
}
