package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// swServer serves files on a loopback address, which is a secure context:
// .js files as JavaScript, the others as JSON.
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

// swLines splits the output of a run into the page's lines and the
// service worker's, which start with "sw ": each runtime's lines keep
// their order, but the two may interleave.
func swLines(out string) (page, sw string) {
	var p, s []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.HasPrefix(l, "sw ") {
			s = append(s, l)
		} else {
			p = append(p, l)
		}
	}
	return strings.Join(p, "\n") + "\n", strings.Join(s, "\n") + "\n"
}

// TestServiceWorkerLifecycle registers a service worker and follows it from
// installing to activated: the registration's attributes, updatefound and
// the statechange events, as the page and the worker see them.
func TestServiceWorkerLifecycle(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/lib.js": `var imported = "imported";`,
		"/dir/sw.js": `
importScripts("lib.js");
console.log("sw start", self instanceof ServiceWorkerGlobalScope, self.serviceWorker.state, self.registration.installing, imported);
oninstall = (e) => {
  console.log("sw install", e instanceof InstallEvent, e instanceof ExtendableEvent, self.serviceWorker.state, self.registration.installing === self.serviceWorker);
  e.waitUntil(new Promise((resolve) => setTimeout(resolve, 20)));
};
onactivate = (e) => {
  console.log("sw activate", self.serviceWorker.state, self.registration.active === self.serviceWorker);
  // Once installed, a service worker imports nothing new.
  try { importScripts("lib.js"); } catch (err) { console.log("sw importScripts", err.name); }
};
`,
	})
	r := runSW(t, srv, `
const c = navigator.serviceWorker;
console.log(String(c), c === navigator.serviceWorker, c.controller);
c.register("sw.js").then((reg) => {
  const w = reg.installing;
  console.log(Object.prototype.toString.call(reg), Object.prototype.toString.call(w), w.state, w.scriptURL.endsWith("/dir/sw.js"));
  console.log(reg.scope.endsWith("/dir/"), reg.updateViaCache, reg.waiting, reg.active);
  reg.onupdatefound = () => console.log("updatefound", reg.installing === w);
  w.onstatechange = () => {
    console.log("statechange", w.state, reg.installing === w, reg.waiting === w, reg.active === w);
    if (w.state === "activated") c.ready.then((r) => console.log("ready again", r === reg));
  };
  return c.ready;
}).then((reg) => console.log("ready", reg.active.state, c.controller), (e) => console.log("error", e));
`)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	page, sw := swLines(r.stdout)
	lines(t, page,
		"[object ServiceWorkerContainer] true null",
		"[object ServiceWorkerRegistration] [object ServiceWorker] installing true",
		"true imports null null",
		"updatefound true",
		"statechange installed false true false",
		"statechange activating false false true",
		"ready activating null",
		"statechange activated false false true",
		"ready again true",
	)
	lines(t, sw,
		"sw start true parsed null imported",
		"sw install true true installing true",
		"sw activate activating true",
		"sw importScripts NetworkError",
	)
}

// TestServiceWorkerMessages posts structured data both ways: the page's
// ServiceWorker.postMessage fires an ExtendableMessageEvent whose source is
// the page's WindowClient; Client.postMessage fires a MessageEvent at
// navigator.serviceWorker whose source is the ServiceWorker.
func TestServiceWorkerMessages(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js": `
onmessage = (e) => {
  if (e.data === "to self") {
    console.log("sw self", e.source === self.serviceWorker, e.origin === location.origin);
    return;
  }
  self.serviceWorker.postMessage("to self");
  const d = e.data;
  console.log("sw message", e instanceof ExtendableMessageEvent, e.origin === location.origin, e.lastEventId === "",
    Object.prototype.toString.call(e.source), e.source.type, e.source.frameType, e.source.url.endsWith("/dir/page.html"),
    d.map instanceof Map, d.map.get("k"), d.date instanceof Date, d.bytes.byteLength, e.ports.length, Object.isFrozen(e.ports));
  e.ports[0].postMessage("through the port");
  e.source.postMessage({echo: d.list, set: new Set([1, 2]), self: self.serviceWorker.scriptURL});
};
`,
	})
	r := runSW(t, srv, `
const c = navigator.serviceWorker;
c.addEventListener("message", (e) => {
  console.log("page message", e.constructor.name, e.source === w, e.origin === location.origin,
    JSON.stringify(e.data.echo), e.data.set instanceof Set, e.data.set.size, e.data.self === w.scriptURL);
});
let w;
c.register("sw.js").then((reg) => {
  w = reg.installing;
  const ch = new MessageChannel();
  ch.port1.onmessage = (e) => { console.log("port", e.data); ch.port1.close(); };
  const bytes = new Uint8Array(8).buffer;
  w.postMessage({map: new Map([["k", "v"]]), date: new Date(0), bytes, list: [1, {two: 2}]}, [ch.port2, bytes]);
  console.log("transferred", bytes.byteLength);
  try { w.postMessage(() => {}); } catch (e) { console.log("clone", e.name); }
});
`)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	page, sw := swLines(r.stdout)
	want := []string{
		"transferred 0",
		"clone DataCloneError",
		"page message MessageEvent true true [1,{\"two\":2}] true 2 true",
		"port through the port",
	}
	// The port's message and the client's travel on different queues.
	if got := strings.Split(strings.TrimSpace(page), "\n"); len(got) == 4 && got[2] == want[3] {
		got[2], got[3] = got[3], got[2]
		page = strings.Join(got, "\n")
	}
	lines(t, page, want...)
	lines(t, sw,
		"sw message true true true [object WindowClient] window top-level true true v true 8 1 true",
		"sw self true true",
	)
}

// TestServiceWorkerWaitUntil checks that waitUntil delays the install, and
// that a rejected promise, or a script that throws, fails it.
func TestServiceWorkerWaitUntil(t *testing.T) {
	tests := []struct {
		name, sw, main string
		want, wantSW   []string
	}{
		{
			name: "delay",
			sw: `
oninstall = (e) => {
  e.waitUntil(new Promise((resolve) => setTimeout(() => { console.log("sw resolving"); resolve(); }, 30)));
  e.waitUntil(Promise.resolve());
};`,
			main: `reg.installing.onstatechange = (e) => console.log("state", e.target.state);`,
			want: []string{"state installed", "state activating", "state activated"},
			// The worker resolves the promise before it is installed.
			wantSW: []string{"sw resolving"},
		},
		{
			name: "rejected",
			sw: `
oninstall = (e) => {
  e.waitUntil(Promise.resolve());
  e.waitUntil(new Promise((_, reject) => setTimeout(() => reject(new Error("no")), 10)).catch((err) => { throw err; }));
};
onactivate = () => console.log("sw activate");`,
			main: `
const w = reg.installing;
w.onstatechange = () => {
  // The worker is redundant before the registration forgets it.
  console.log("state", w.state, reg.installing === w);
  navigator.serviceWorker.getRegistration().then((r) => console.log("registration", r));
};`,
			want:   []string{"state redundant true", "registration undefined"},
			wantSW: []string{""},
		},
		{
			name: "late waitUntil",
			sw: `
let ev;
oninstall = (e) => { ev = e; };
onactivate = (e) => {
  try { ev.waitUntil(Promise.resolve()); } catch (err) { console.log("sw late", err.name); }
  try { new ExtendableEvent("x").waitUntil(Promise.resolve()); } catch (err) { console.log("sw untrusted", err.name); }
  e.waitUntil(Promise.reject(new Error("ignored")));
};`,
			main:   `reg.installing.onstatechange = (e) => console.log("state", e.target.state);`,
			want:   []string{"state installed", "state activating", "state activated"},
			wantSW: []string{"sw late InvalidStateError", "sw untrusted InvalidStateError"},
		},
		{
			// A common pattern: the install waits for skipWaiting().
			name:   "skipWaiting",
			sw:     `oninstall = (e) => e.waitUntil(self.skipWaiting().then((v) => console.log("sw skipped", v)));`,
			main:   `reg.installing.onstatechange = (e) => console.log("state", e.target.state);`,
			want:   []string{"state installed", "state activating", "state activated"},
			wantSW: []string{"sw skipped undefined"},
		},
		{
			name:   "script throws",
			sw:     `throw new TypeError("broken worker");`,
			want:   []string{"error TypeError", "registration undefined"},
			wantSW: []string{""},
		},
		{
			name:   "syntax error",
			sw:     `let let = 1;`,
			want:   []string{"error TypeError", "registration undefined"},
			wantSW: []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := swServer(t, map[string]string{"/dir/sw.js": tt.sw})
			r := runSW(t, srv, `
navigator.serviceWorker.register("sw.js").then((reg) => {`+tt.main+`
}, (e) => {
  console.log("error", e.name);
  return navigator.serviceWorker.getRegistration().then((r) => console.log("registration", r));
});
`)
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			page, sw := swLines(r.stdout)
			lines(t, page, tt.want...)
			lines(t, sw, tt.wantSW...)
		})
	}
}

// TestServiceWorkerRegistrations covers getRegistration, getRegistrations,
// registering again and unregister.
func TestServiceWorkerRegistrations(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js":     `oninstall = () => {};`,
		"/dir/sub/sw.js": `oninstall = () => {};`,
	})
	r := runSW(t, srv, `
const c = navigator.serviceWorker;
(async () => {
  console.log("none", await c.getRegistration(), (await c.getRegistrations()).length);
  const a = await c.register("sw.js", {scope: "./a/"});
  const b = await c.register("sub/sw.js", {updateViaCache: "none"});
  const again = await c.register("sw.js", {scope: "./a/"});
  console.log("same", a === again, a !== b, b.scope.endsWith("/dir/sub/"), b.updateViaCache);
  console.log("match", await c.getRegistration("a/x/y.html") === a, await c.getRegistration("sub/page#frag") === b,
    await c.getRegistration(), await c.getRegistration("b/"));
  console.log("all", (await c.getRegistrations()).map((r) => r.scope.slice(r.scope.indexOf("/dir/"))).join(" "));
  const w = a.installing || a.waiting || a.active;
  // Unregistering makes the worker redundant: wait for that statechange.
  const redundant = new Promise((resolve) => w.addEventListener("statechange", () => { if (w.state === "redundant") resolve(); }));
  console.log("unregister", await a.unregister(), await a.unregister());
  await redundant;
  console.log("after", w.state, a.active, await c.getRegistration("a/"), (await c.getRegistrations()).length);
  try { await a.update(); } catch (e) { console.log("update", e.name); }
  console.log("update b", await b.update() === b);
})().catch((e) => console.log("error", e));
`)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		"none undefined 0",
		"same true true true none",
		"match true true undefined undefined",
		"all /dir/a/ /dir/sub/",
		"unregister true false",
		"after redundant null undefined 1",
		"update InvalidStateError",
		"update b true",
	)
}

// TestServiceWorkerClients covers the Clients interface: matchAll, get,
// openWindow and claim, which makes the page controlled.
func TestServiceWorkerClients(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js": `
const report = (...args) => console.log("sw", ...args);
oninstall = async () => {
  try { await clients.claim(); } catch (e) { report("claim early", e.name); }
};
onactivate = (e) => e.waitUntil((async () => {
  report("matchAll", (await clients.matchAll()).length, clients === self.clients);
  const all = await clients.matchAll({includeUncontrolled: true, type: "all"});
  const c = all[0];
  report("client", all.length, c instanceof WindowClient, c.type, c.frameType, c.visibilityState, c.focused,
    c.url.endsWith("/dir/page.html"), (await clients.get(c.id)).id === c.id, await clients.get("nope"));
  report("workers", (await clients.matchAll({includeUncontrolled: true, type: "worker"})).length);
  for (const url of ["http://[", "about:blank", "page2.html"]) {
    try { await clients.openWindow(url); } catch (e) { report("openWindow", url, e.name); }
  }
  try { await c.focus(); } catch (e) { report("focus", e.name); }
  await clients.claim();
  report("claimed", (await clients.matchAll()).length);
})());
`,
	})
	r := runSW(t, srv, `
const c = navigator.serviceWorker;
c.oncontrollerchange = () => console.log("controllerchange", c.controller === reg.active, c.controller.state);
let reg;
c.register("sw.js").then((r) => { reg = r; });
`)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	page, sw := swLines(r.stdout)
	lines(t, page, "controllerchange true activating")
	lines(t, sw,
		"sw claim early InvalidStateError",
		"sw matchAll 0 true",
		"sw client 1 true window top-level hidden false true true undefined",
		"sw workers 0",
		"sw openWindow http://[ TypeError",
		"sw openWindow about:blank TypeError",
		"sw openWindow page2.html InvalidAccessError",
		"sw focus InvalidAccessError",
		"sw claimed 1",
	)
}

// TestServiceWorkerBadInput checks the errors of register and
// getRegistration.
func TestServiceWorkerBadInput(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js":     `oninstall = () => {};`,
		"/dir/data.json": `{}`,
	})
	tests := []struct{ call, want string }{
		{`register()`, "TypeError"},
		{`register("http://[")`, "TypeError"},
		{`register("data:text/javascript,1")`, "TypeError"},
		{`register("a%2fb.js")`, "TypeError"},
		{`register("a%5Cb.js")`, "TypeError"},
		{`register("sw.js", {scope: "http://["})`, "TypeError"},
		{`register("sw.js", {scope: "data:,x"})`, "TypeError"},
		{`register("sw.js", {scope: "x%2F"})`, "TypeError"},
		{`register("sw.js", {type: "bogus"})`, "TypeError"},
		{`register("sw.js", {updateViaCache: "never"})`, "TypeError"},
		{`register("missing.js")`, "TypeError"},
		{`register("sw.js", {type: "module"})`, "TypeError"},
		{`register("data.json")`, "SecurityError"},
		{`register("sw.js", {scope: "/"})`, "SecurityError"},
		{`register("sw.js", {scope: "/other/"})`, "SecurityError"},
		{`register("https://other.example/sw.js")`, "SecurityError"},
		{`register("http://other.example/sw.js")`, "SecurityError"},
		{`register("sw.js", {scope: "https://other.example/dir/"})`, "SecurityError"},
		{`getRegistration("http://[")`, "TypeError"},
		{`getRegistration("https://other.example/")`, "SecurityError"},
		{`register("sw.js", {scope: "./x/#frag"}).then((r) => r.scope.endsWith("/dir/x/"))`, "true"},
	}
	var src strings.Builder
	src.WriteString("(async () => {\n")
	for _, tt := range tests {
		fmt.Fprintf(&src, "  try { console.log(await navigator.serviceWorker.%s); } catch (e) { console.log(e.name); }\n", tt.call)
	}
	src.WriteString("})();\n")
	r := runSW(t, srv, src.String())
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	got := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(got) != len(tests) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(tests), r.stdout)
	}
	for i, tt := range tests {
		if got[i] != tt.want {
			t.Errorf("%s: %s, want %s", tt.call, got[i], tt.want)
		}
	}
}

// TestServiceWorkerExposure checks that service workers are exposed only
// in secure contexts.
func TestServiceWorkerExposure(t *testing.T) {
	tests := []struct {
		base string
		want string
	}{
		{"", "false undefined"},
		{"http://example.com/page.html", "false undefined"},
		{"http://192.0.2.1/", "false undefined"},
		{"https://example.com/page.html", "true function"},
		{"http://127.0.0.1:8000/page.html", "true function"},
		{"http://[::1]/", "true function"},
		{"http://localhost/", "true function"},
		{"http://a.localhost/", "true function"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			r := runSrc(t, "main.js", `console.log("serviceWorker" in navigator, typeof ServiceWorkerRegistration);`, Options{BaseURL: tt.base})
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			lines(t, r.stdout, tt.want)
		})
	}
	// A dedicated worker has none, nor the interfaces of the worker's scope.
	srv := swServer(t, map[string]string{"/dir/w.js": `postMessage([typeof navigator.serviceWorker, typeof ExtendableEvent, typeof clients].join(" "));`})
	r := runSW(t, srv, `new Worker("w.js").onmessage = (e) => console.log(e.data, typeof ExtendableEvent);`)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "undefined undefined undefined undefined")
}

// TestServiceWorkerClose closes a runtime whose service worker is busy, and
// checks that a run whose install can never finish ends anyway.
func TestServiceWorkerClose(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/busy.js":  `setInterval(() => {}, 5); onmessage = (e) => e.source.postMessage("busy");`,
		"/dir/stuck.js": `oninstall = (e) => e.waitUntil(new Promise(() => {}));`,
	})
	before := goruntime.NumGoroutine()
	for i := 0; i < 3; i++ {
		rt, err := New(Options{BaseURL: srv.URL + "/dir/page.html", Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 4)
		err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
			return vm.Set("ready", func(s string) { ready <- s })
		})
		if err != nil {
			t.Fatal(err)
		}
		// An install that never finishes: the run still ends.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = rt.RunScript(ctx, "stuck.js", `
navigator.serviceWorker.register("stuck.js").then((reg) => {
  reg.installing.onstatechange = () => ready("unexpected");
  ready(reg.installing.state);
});`)
		cancel()
		if err != nil {
			t.Fatalf("stuck install: %v", err)
		}
		if s := <-ready; s != "installing" {
			t.Fatalf("stuck install: %s", s)
		}
		done := make(chan error, 1)
		go func() {
			done <- rt.RunScript(context.Background(), "main.js", `
navigator.serviceWorker.onmessage = (e) => ready(e.data);
navigator.serviceWorker.register("busy.js", {scope: "./busy/"}).then((reg) => reg.installing.postMessage("hi"));`)
		}()
		select {
		case s := <-ready:
			if s != "busy" {
				t.Fatalf("got %q", s)
			}
		case err := <-done:
			t.Fatalf("the run ended early: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatal("the service worker did not answer")
		}
		// The busy worker keeps the run going until the runtime is closed.
		rt.Close()
		if err := <-done; !errors.Is(err, ErrClosed) {
			t.Errorf("run: %v, want ErrClosed", err)
		}
	}
	checkGoroutines(t, before)
}

// TestServiceWorkerUpdate updates a registration whose script changed: the
// new worker waits while the old one controls the page, until it calls
// skipWaiting(); then the old one is redundant and the page's controller
// changes.
func TestServiceWorkerUpdate(t *testing.T) {
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// Version 1, then version 2 for good.
		n := min(fetches.Add(1), 2)
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprintf(w, `
const version = %d;
onactivate = (e) => e.waitUntil(clients.claim());
onmessage = (e) => { if (e.data === "skip") skipWaiting(); };
`, n)
	}))
	defer srv.Close()
	r := runSrc(t, "main.js", `
const c = navigator.serviceWorker;
const next = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, {once: true}));
(async () => {
  const reg = await c.register("sw.js");
  const v1 = reg.installing;
  await next(c, "controllerchange");
  console.log("controller v1", c.controller === v1, v1.state);
  const found = next(reg, "updatefound");
  console.log("update", await reg.update() === reg);
  await found;
  const v2 = reg.installing;
  await next(v2, "statechange");
  console.log("v2", v2.state, reg.waiting === v2, reg.active === v1, c.controller === v1);
  v2.postMessage("skip");
  await next(c, "controllerchange");
  console.log("controller v2", c.controller === v2, v1.state, reg.active === v2);
  console.log("same script", await reg.update() === reg, reg.installing);
})().catch((e) => console.log("error", e));
`, Options{BaseURL: srv.URL + "/page.html"})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		"controller v1 true activating",
		"update true",
		"v2 installed true true true",
		"controller v2 true redundant true",
		"same script true null",
	)
}

// TestServiceWorkerEventConstructors checks the constructors of the event
// interfaces of ServiceWorkerGlobalScope: dictionary members converted in
// WebIDL's order (EventInit's, then the derived dictionary's, each sorted),
// untrusted events, and brand checks.
func TestServiceWorkerEventConstructors(t *testing.T) {
	srv := swServer(t, map[string]string{
		"/dir/sw.js": `
const order = [];
const init = {};
for (const k of ["source", "ports", "origin", "lastEventId", "data", "composed", "cancelable", "bubbles"]) {
  Object.defineProperty(init, k, { get() { order.push(k); return k === "ports" ? [] : k === "source" ? null : k === "data" ? 7 : k === "bubbles" ? true : k === "origin" ? "o" : undefined; } });
}
const m = new ExtendableMessageEvent("m", init);
console.log("sw order", order.join());
console.log("sw message", m.type, m.bubbles, m.cancelable, m.isTrusted, m.data, m.origin, m.lastEventId, m.source, m.ports.length, Object.isFrozen(m.ports), m instanceof ExtendableEvent);
const e = new ExtendableEvent("e", { cancelable: true });
console.log("sw extendable", e.type, e.cancelable, e.isTrusted, e instanceof Event, new InstallEvent("i") instanceof ExtendableEvent);
const ch = new MessageChannel();
console.log("sw ports", new ExtendableMessageEvent("p", { ports: [ch.port1] }).ports[0] === ch.port1);
const names = [];
for (const f of [
  () => new ExtendableEvent(),
  () => new ExtendableMessageEvent("x", { source: {} }),
  () => new ExtendableMessageEvent("x", { ports: [{}] }),
  () => ExtendableEvent.prototype.waitUntil.call(new Event("x"), Promise.resolve()),
  () => Object.getOwnPropertyDescriptor(ExtendableMessageEvent.prototype, "data").get.call(e),
]) {
  try { f(); names.push("none"); } catch (err) { names.push(err.name); }
}
console.log("sw errors", names.join());
oninstall = (ev) => console.log("sw install", ev.isTrusted, ev.constructor.name);
`,
	})
	r := runSW(t, srv, `navigator.serviceWorker.register("sw.js");`)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	_, sw := swLines(r.stdout)
	want := strings.Join([]string{
		"sw order bubbles,cancelable,composed,data,lastEventId,origin,ports,source",
		"sw message m true false false 7 o  null 0 true true",
		"sw extendable e true false true true",
		"sw ports true",
		"sw errors TypeError,TypeError,TypeError,TypeError,TypeError",
		"sw install true InstallEvent",
	}, "\n") + "\n"
	if sw != want {
		t.Errorf("service worker printed\n%s\nwant\n%s\nstderr: %s", sw, want, r.stderr)
	}
}
