package runtime

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// swServer serves files on a loopback address, a secure context: .js files
// as JavaScript, others as JSON.
func swServer(t *testing.T, files map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, ok := files[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		typ := "application/json"
		if strings.HasSuffix(req.URL.Path, ".js") {
			typ = "text/javascript"
		}
		w.Header().Set("Content-Type", typ)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// runSW runs src in a runtime whose page is /dir/page.html on srv.
func runSW(t *testing.T, srv *httptest.Server, src string) result {
	t.Helper()
	return runSrc(t, "main.js", src, Options{BaseURL: srv.URL + "/dir/page.html"})
}

func TestServiceWorkerSmoke(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js": `
console.log("sw start", self instanceof ServiceWorkerGlobalScope, self.serviceWorker.state);
oninstall = (e) => { console.log("sw install", e instanceof InstallEvent); e.waitUntil(new Promise((r) => setTimeout(r, 10))); };
onactivate = (e) => console.log("sw activate", self.registration.active === self.serviceWorker);
onmessage = (e) => { console.log("sw got", JSON.stringify(e.data), e.origin, e.source.type); e.source.postMessage({back: e.data}); };
`,
	})
	r := runSW(t, srv, `
navigator.serviceWorker.onmessage = (e) => console.log("page got", JSON.stringify(e.data), e.source === reg.active);
let reg;
navigator.serviceWorker.register("sw.js").then((r) => {
  reg = r;
  const w = r.installing;
  console.log(Object.prototype.toString.call(w), w.state, r.scope);
  r.onupdatefound = () => console.log("updatefound");
  w.onstatechange = () => {
    console.log("state", w.state, r.installing === w, r.waiting === w, r.active === w);
    if (w.state === "activated") w.postMessage({x: [1, 2]});
  };
}, (e) => console.log("rejected", e));
`)
	t.Logf("err %v\nstdout:\n%s\nstderr:\n%s", r.err, r.stdout, r.stderr)
}
