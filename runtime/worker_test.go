package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// lines checks that out, split in lines, is want.
func lines(t *testing.T, out string, want ...string) {
	t.Helper()
	got := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWorkerMessages(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const w = new Worker("./worker.js", {name: "echo"});
const sent = {when: new Date(5), tags: new Set(["a"]), list: [1, , 3], big: 2n ** 70n};
sent.self = sent;
w.onmessage = (e) => {
  const d = e.data;
  console.log("parent:", e instanceof MessageEvent, e.type, JSON.stringify(e.origin), e.source, e.ports.length, e.lastEventId === "");
  console.log("parent:", d.name, d.self === d, d.when.getTime(), d.tags.has("a"), 1 in d.list, d.list.length, d.big === 2n ** 70n);
  console.log("parent:", d !== sent, d.fromWorker);
  w.terminate();
};
// Logged before posting: the worker's lines follow from the message, so the order of
// the two runtimes' output is fixed.
console.log("parent: posting");
w.postMessage(sent);
`,
		"worker.js": `
const global = [self.name, self instanceof DedicatedWorkerGlobalScope, self instanceof WorkerGlobalScope, self instanceof EventTarget];
self.onmessage = (e) => {
  console.log("worker:", ...global);
  const d = e.data;
  console.log("worker:", e instanceof MessageEvent, e.target === self, d.self === d, d.when instanceof Date);
  d.name = self.name;
  d.fromWorker = true;
  postMessage(d);
};
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		"parent: posting",
		"worker: echo true true true",
		"worker: true true true true",
		`parent: true message "" null 0 true`,
		"parent: echo true 5 true false 3 true",
		"parent: true true",
	)
}

// TestWorkerTransfer transfers ArrayBuffers both ways, with both forms of
// postMessage's second argument, and checks what cannot be cloned.
func TestWorkerTransfer(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const w = new Worker("./worker.js");
const buf = new Uint8Array([1, 2, 3]).buffer;
w.onmessage = (e) => {
  if (typeof e.data === "string") {
    console.log(e.data);
    w.terminate();
    return;
  }
  console.log("parent got", new Uint8Array(e.data.buf).join(), e.data.view.length, e.data.view.buffer === e.data.buf);
};
w.postMessage({buf}, [buf]);
console.log("sender's buffer after transfer:", buf.byteLength);
for (const [what, f] of [
  ["function", () => w.postMessage(() => {})],
  ["transfer twice", () => { const b = new ArrayBuffer(1); w.postMessage(b, [b, b]); }],
  ["not transferable", () => w.postMessage(1, [{}])],
  ["detached", () => w.postMessage(buf)],
  ["bad options", () => w.postMessage(1, 5)],
  ["no argument", () => w.postMessage()],
]) {
  try { f(); console.log(what, "did not throw"); } catch (e) { console.log(what, e.name, e.message.startsWith("Failed to execute 'postMessage'")); }
}
`,
		"worker.js": `
onmessage = (e) => {
  const b = e.data.buf;
  new Uint8Array(b)[0] = 9;
  const view = new Uint16Array(b, 0, 1);
  postMessage({buf: b, view}, {transfer: [b]});
  postMessage("worker's buffer after transfer: " + b.byteLength);
};
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		"sender's buffer after transfer: 0",
		"function DataCloneError true",
		"transfer twice DataCloneError true",
		"not transferable DataCloneError true",
		"detached DataCloneError true",
		"bad options TypeError false",
		"no argument TypeError true",
		"parent got 9,2,3 1 true",
		"worker's buffer after transfer: 0",
	)
}

// TestWorkerMessageError sends a platform object the receiving realm cannot
// deserialize: the receiver gets a messageerror event.
func TestWorkerMessageError(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"worker.js": `
onmessage = (e) => postMessage("message " + e.data);
onmessageerror = (e) => { postMessage("messageerror " + e.data + " " + (e instanceof MessageEvent)); };
`,
	})
	var out syncBuffer
	rt, err := New(Options{Dir: dir, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return webidl.RealmOf(vm).DefineInterface(&webidl.Interface{Name: "Unreceivable", Constructor: func(webidl.Call) any { return &unreceivable{} }})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = rt.RunScript(context.Background(), "main.js", `
const w = new Worker("./worker.js");
let n = 0;
w.onmessage = (e) => { console.log(e.data); if (++n === 2) w.terminate(); };
w.postMessage(new Unreceivable());
w.postMessage("after");
`)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	lines(t, out.String(), "messageerror null true", "message after")
}

type unreceivable struct{}

func init() {
	err := structuredclone.RegisterSerializable(structuredclone.Serializable{
		Interface: "Unreceivable",
		Serialize: func(*webidl.Realm, *goja.Object) (any, error) { return nil, nil },
		Deserialize: func(*webidl.Realm, any) (*goja.Object, error) {
			return nil, errors.New("this realm has no Unreceivable")
		},
	})
	if err != nil {
		panic(err)
	}
}

// TestWorkerErrors checks HTML's runtime script errors of workers
// (https://html.spec.whatwg.org/multipage/workers.html#runtime-script-errors-2):
// an exception the worker does not handle fires a cancelable ErrorEvent at the
// Worker object, and one not canceled there is reported in the parent, one
// level up.
func TestWorkerErrors(t *testing.T) {
	files := map[string]string{
		"throws.js": `
function fail() { throw new TypeError("boom"); }
fail();
`,
		"handled.js": `
self.onerror = (message, filename, lineno, colno, error) => {
  postMessage("worker onerror: " + message + " " + (error instanceof RangeError));
  return true;
};
throw new RangeError("caught by the worker");
`,
		"syntax.js":   "let let = 1;",
		"listener.js": `onmessage = () => { throw new Error("from a listener"); };`,
	}
	t.Run("canceled at the Worker object", func(t *testing.T) {
		files["main.js"] = `
const w = new Worker("./throws.js");
w.onerror = (e) => {
  console.log(e.constructor.name, e.message, e.filename.endsWith("/throws.js"), e.lineno, e.colno, e.error, e.cancelable);
  e.preventDefault();
};
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil || r.stderr != "" {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "ErrorEvent Uncaught TypeError: boom true 2 25 null true")
	})
	t.Run("not canceled: reported in the parent", func(t *testing.T) {
		files["main.js"] = `
const w = new Worker("./throws.js");
w.addEventListener("error", (e) => console.log("at the Worker:", e.message));
self.addEventListener("error", (e) => console.log("at the parent's global:", e.message, e.error));
`
		r := runFiles(t, files, "main.js", Options{})
		var e *Error
		if !errors.As(r.err, &e) || e.Message != "TypeError: boom" || !strings.Contains(e.Stack, "throws.js:2:25") {
			t.Fatalf("RunFile returned %v, want the worker's error", r.err)
		}
		lines(t, r.stdout, "at the Worker: Uncaught TypeError: boom", "at the parent's global: Uncaught TypeError: boom null")
		if !strings.HasPrefix(r.stderr, "Uncaught TypeError: boom\n    at fail (") {
			t.Errorf("stderr: %s", r.stderr)
		}
	})
	t.Run("handled in the worker", func(t *testing.T) {
		files["main.js"] = `
const w = new Worker("./handled.js");
w.onerror = () => console.log("the Worker object saw it");
w.onmessage = (e) => { console.log(e.data); w.terminate(); };
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "worker onerror: Uncaught RangeError: caught by the worker true")
	})
	t.Run("thrown by a listener", func(t *testing.T) {
		files["main.js"] = `
const w = new Worker("./listener.js");
w.onerror = (e) => { console.log(e.message); e.preventDefault(); w.terminate(); };
w.postMessage(0);
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "Uncaught Error: from a listener")
	})
	t.Run("scripts that cannot load", func(t *testing.T) {
		files["main.js"] = `
for (const url of ["./missing.js", "./syntax.js"]) {
  const w = new Worker(url);
  w.onerror = (e) => console.log(url, e.constructor.name, e.type, e.cancelable);
}
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		if !strings.Contains(r.stdout, "./missing.js Event error false") || !strings.Contains(r.stdout, "./syntax.js Event error false") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "missing.js could not be started") {
			t.Errorf("stderr does not say why:\n%s", r.stderr)
		}
	})
	t.Run("constructor", func(t *testing.T) {
		r := runSrc(t, "main.js", `
for (const [what, f] of [
  ["no argument", () => new Worker()],
  ["bad URL", () => new Worker("http://[")],
  ["bad type", () => new Worker("w.js", {type: "shared"})],
  ["bad credentials", () => new Worker("w.js", {credentials: "all"})],
  ["without new", () => Worker("w.js")],
]) {
  try { f(); console.log(what, "did not throw"); } catch (e) { console.log(what, e.name); }
}
console.log(Worker.length, Object.getPrototypeOf(Worker.prototype) === EventTarget.prototype, typeof Worker.prototype.terminate);
`, Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "no argument TypeError", "bad URL SyntaxError", "bad type TypeError", "bad credentials TypeError", "without new TypeError", "1 true function")
	})
}

// TestWorkerLifetime checks when runs end: not while a worker has work, but
// as soon as every worker is idle; terminate() and close() end workers.
func TestWorkerLifetime(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
// The worker's timer keeps the parent's run alive.
const timer = new Worker("./timer.js");
timer.onmessage = (e) => console.log("timer:", e.data);
// An idle worker does not keep it alive, nor a spinning one that is terminated.
const idle = new Worker("./idle.js");
const spin = new Worker("./spin.js");
setTimeout(() => { spin.terminate(); spin.postMessage("dropped"); console.log("terminated"); }, 20);
// close() ends a worker after its current task; its last message still arrives.
const closing = new Worker("./close.js");
closing.onmessage = (e) => { console.log("closing:", e.data); closing.postMessage("dropped"); };
`,
		"timer.js": `setTimeout(() => postMessage("fired"), 50);`,
		"idle.js":  `onmessage = () => console.log("idle worker got a message");`,
		"spin.js":  `onmessage = () => console.log("spin worker got a message"); for (;;) {}`,
		"close.js": `
onmessage = (e) => console.log("close.js got", e.data);
close();
postMessage("posted after close()");
setTimeout(() => postMessage("a timer after close() never fires"), 0);
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{"timer: fired", "terminated", "closing: posted after close()"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
	for _, bad := range []string{"got a message", "got dropped", "never fires"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("unexpected %q in:\n%s", bad, r.stdout)
		}
	}
}

// TestWorkerEarlyMessages posts before the worker's script has run: the
// messages wait for it, in order, as HTML's port message queues do.
func TestWorkerEarlyMessages(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const w = new Worker("./worker.js");
for (let i = 0; i < 5; i++) w.postMessage(i);
let got = [];
w.onmessage = (e) => { got.push(e.data); if (got.length === 6) { console.log(got.join(" ")); w.terminate(); } };
`,
		"worker.js": `
postMessage("ready");
onmessage = (e) => postMessage(e.data);
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "ready 0 1 2 3 4")
}

// TestWorkerGlobalScope checks the shape of a worker's global object.
func TestWorkerGlobalScope(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const w = new Worker("./worker.js", {name: "n1"});
w.onmessage = (e) => { console.log(e.data); w.terminate(); };
`,
		"worker.js": `
const own = (k) => Object.prototype.hasOwnProperty.call(self, k);
// WorkerGlobalScope, and the mixins it includes, is not [Global].
const workerScopeMembers = ["self", "location", "navigator", "importScripts", "onerror", "onlanguagechange", "onoffline", "ononline",
  "onrejectionhandled", "onunhandledrejection", "origin", "crossOriginIsolated", "reportError", "btoa", "atob", "setTimeout",
  "clearTimeout", "setInterval", "clearInterval", "queueMicrotask", "structuredClone", "fetch", "performance", "crypto"];
const results = [
  ["[Global] members are own properties", ["postMessage", "close", "name", "onmessage", "onmessageerror"].every(own)],
  ["not on the prototypes", !("postMessage" in DedicatedWorkerGlobalScope.prototype) && !("name" in WorkerGlobalScope.prototype)],
  ["WorkerGlobalScope's members are on its prototype", workerScopeMembers.every((k) => !own(k) && Object.hasOwn(WorkerGlobalScope.prototype, k))],
  ["members check this", workerScopeMembers.every((k) => {
    const d = Object.getOwnPropertyDescriptor(WorkerGlobalScope.prototype, k), f = d.get || d.value;
    try {
      const v = f.call(Object.create(self));
      // fetch rejects its promise instead.
      return k === "fetch" && (v.catch(() => {}), v instanceof Promise);
    } catch (e) { return e instanceof TypeError; }
  })],
  ["members with no this", typeof (0, setTimeout)(() => {}, 0) === "number" && Object.getOwnPropertyDescriptor(WorkerGlobalScope.prototype, "self").get.call(null) === self],
  ["origin", origin === "null" && (self.origin = "x", Object.hasOwn(self, "origin") && origin === "x")],
  ["prototype chain", Object.getPrototypeOf(self) === DedicatedWorkerGlobalScope.prototype && Object.getPrototypeOf(DedicatedWorkerGlobalScope.prototype) === WorkerGlobalScope.prototype],
  ["toStringTag", String(self) === "[object DedicatedWorkerGlobalScope]"],
  ["name", name === "n1"],
  ["replaceable name", (() => { self.name = 5; return self.name === 5; })()],
  ["location", location.href.endsWith("/worker.js") && location.protocol === "file:"],
  ["importScripts()", importScripts() === undefined],
  ["illegal invocation", (() => { try { postMessage.call({}, 1); return false; } catch (e) { return e instanceof TypeError; } })()],
  ["no Window interfaces", typeof Window === "undefined" && typeof document === "undefined"],
  ["Worker in workers", typeof Worker === "function"],
  ["web APIs", [WebSocket, URL, TextEncoder, Blob, AbortController, structuredClone, setTimeout].every((f) => typeof f === "function")],
];
postMessage(results.filter(([, ok]) => !ok).map(([what]) => what).join(", ") || "all good");
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "all good")
}

// TestNestedWorkers starts a worker from a worker (TypeScript, as a module);
// messages are relayed and an error climbs both levels.
func TestNestedWorkers(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const outer = new Worker("./outer.ts", {type: "module"});
outer.onmessage = (e) => console.log("main got:", e.data);
outer.onerror = (e) => { console.log("main's Worker object:", e.message); e.preventDefault(); };
`,
		"outer.ts": `
import { tag } from "./lib/tag.ts";
const inner: Worker = new Worker("./inner.js");
inner.onmessage = (e: MessageEvent) => postMessage(tag(e.data));
inner.onerror = (e: ErrorEvent) => postMessage(tag("outer saw: " + e.message));
try { importScripts("./x.js"); } catch (e) { postMessage(tag("importScripts in a module worker: " + (e as Error).name)); }
`,
		"lib/tag.ts": `export const tag = (s: string): string => "[" + s + "]";`,
		"inner.js":   `postMessage("hello from inner"); setTimeout(() => { throw new Error("inner failed"); }, 0);`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		"main got: [importScripts in a module worker: TypeError]",
		"main got: [hello from inner]",
		"main got: [outer saw: Uncaught Error: inner failed]",
		"main's Worker object: Uncaught Error: inner failed",
	)
}

// TestWorkerHTTP loads a worker and the scripts it imports from a loopback
// server, through the network options of Options.WebSocket.
func TestWorkerHTTP(t *testing.T) {
	files := map[string]struct{ typ, body string }{
		"/worker.js": {"text/javascript", `
importScripts("a.js", "/lib/b.js");
postMessage(order.join(" ") + " " + location.href.endsWith("/worker.js"));
for (const [what, url] of [["404", "missing.js"], ["MIME type", "data.json"], ["syntax", "syntax.js"], ["throws", "throws.js"], ["bad URL", "http://["]]) {
  try { importScripts(url); postMessage(what + ": no exception"); } catch (e) { postMessage(what + ": " + e.name + " " + e.message); }
}
importScripts("CROSS/cross.js");
postMessage("cross-origin importScripts: " + order.join(" "));
`},
		"/a.js":        {"application/javascript; charset=latin1", `var order = ["a\u00e9"];`},
		"/lib/b.js":    {"text/javascript", `order.push("b");`},
		"/data.json":   {"application/json", `{}`},
		"/syntax.js":   {"text/javascript", `let let = 1;`},
		"/throws.js":   {"text/javascript", `throw new RangeError("from an imported script");`},
		"/cross.js":    {"text/javascript", `order.push("cross");`},
		"/redirect.js": {"", ""},
	}
	var crossOrigin string
	handler := func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/redirect.js" {
			http.Redirect(w, req, "/worker.js", http.StatusFound)
			return
		}
		f, ok := files[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", f.typ)
		fmt.Fprint(w, strings.ReplaceAll(f.body, "CROSS", crossOrigin))
	}
	srv := httptest.NewServer(http.HandlerFunc(handler))
	defer srv.Close()
	other := httptest.NewServer(http.HandlerFunc(handler))
	defer other.Close()
	crossOrigin = other.URL

	run := func(t *testing.T, src string, policy network.Policy) result {
		return runSrc(t, "main.js", "const crossOrigin = "+fmt.Sprintf("%q", other.URL)+";\n"+src, Options{BaseURL: srv.URL + "/index.html", Network: policy})
	}
	t.Run("importScripts", func(t *testing.T) {
		r := run(t, `
const w = new Worker("/redirect.js");
let n = 0;
w.onmessage = (e) => { console.log(e.data); if (++n === 7) w.terminate(); };
w.onerror = (e) => console.log("error", e.message);
w.postMessage("x");
`, network.Policy{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout,
			"a\u00e9 b true",
			"404: NetworkError Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '"+srv.URL+"/missing.js' failed to load.",
			"MIME type: NetworkError Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '"+srv.URL+"/data.json' failed to load.",
			"syntax: SyntaxError let is disallowed as a lexically bound name at "+srv.URL+"/syntax.js:1:5",
			"throws: RangeError from an imported script",
			"bad URL: SyntaxError Failed to execute 'importScripts' on 'WorkerGlobalScope': The URL 'http://[' is invalid.",
			"cross-origin importScripts: a\u00e9 b cross",
		)
	})
	t.Run("cross-origin worker", func(t *testing.T) {
		r := run(t, `
const w = new Worker(crossOrigin + "/worker.js");
w.onerror = (e) => console.log("error event:", e.constructor.name);
`, network.Policy{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "error event: Event")
		if !strings.Contains(r.stderr, "is not same-origin") {
			t.Errorf("stderr: %s", r.stderr)
		}
	})
	t.Run("connection policy", func(t *testing.T) {
		var asked []string
		allow := func(u *url.URL, addr netip.AddrPort) error {
			asked = append(asked, u.Path+" "+fmt.Sprint(addr.IsValid()))
			if u.Path == "/lib/b.js" && addr.IsValid() {
				return errors.New("not b")
			}
			return nil
		}
		r := run(t, `
const w = new Worker("/worker.js");
w.onerror = (e) => { console.log(e.message); e.preventDefault(); };
`, network.Policy{Allow: allow})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "Uncaught NetworkError: Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at '"+srv.URL+"/lib/b.js' failed to load.")
		want := []string{"/worker.js false", "/worker.js true", "/a.js false", "/a.js true", "/lib/b.js false", "/lib/b.js true"}
		if strings.Join(asked, ",") != strings.Join(want, ",") {
			t.Errorf("Allow was asked %v, want %v", asked, want)
		}
		if !strings.Contains(r.stderr, "not b") {
			t.Errorf("stderr does not give the cause: %s", r.stderr)
		}
	})
	t.Run("closed while fetching", func(t *testing.T) {
		arrived, aborted := make(chan struct{}), make(chan struct{})
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			close(arrived)
			<-req.Context().Done()
			close(aborted)
		}))
		defer slow.Close()
		rt, err := New(Options{BaseURL: slow.URL + "/", Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- rt.RunScript(context.Background(), "main.js", `new Worker("/slow.js")`) }()
		<-arrived
		// The fetch holds the run; Close ends it and the fetch.
		rt.Close()
		if err := <-done; !errors.Is(err, ErrClosed) {
			t.Errorf("run: %v, want ErrClosed", err)
		}
		<-aborted
	})
	t.Run("module over HTTP", func(t *testing.T) {
		r := run(t, `new Worker("/worker.js", {type: "module"}).onerror = (e) => console.log(e.type);`, network.Policy{})
		lines(t, r.stdout, "error")
		if !strings.Contains(r.stderr, "module workers can only be loaded from file: URLs") {
			t.Errorf("stderr: %s", r.stderr)
		}
	})
}

// TestWorkerGoroutines checks that no goroutine outlives the workers: after
// Close, the count is back to where it was.
func TestWorkerGoroutines(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"idle.js":   `onmessage = (e) => postMessage(e.data);`,
		"busy.js":   `setInterval(() => {}, 5); postMessage("started");`,
		"nested.js": `const w = new Worker("./busy.js"); w.onmessage = (e) => postMessage("nested " + e.data);`,
		"spin.js":   `setTimeout(() => { for (;;) {} }, 0); postMessage("spinning");`,
	})
	before := goruntime.NumGoroutine()
	for i := 0; i < 3; i++ {
		rt, err := New(Options{Dir: dir, Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 8)
		err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
			return vm.Set("ready", func(s string) { ready <- s })
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- rt.RunScript(ctx, "main.js", `
for (const f of ["./idle.js", "./busy.js", "./nested.js", "./spin.js"]) {
  const w = new Worker(f);
  w.onmessage = (e) => ready(e.data);
  w.postMessage("hi");
}
`)
		}()
		got := map[string]bool{}
		for len(got) < 4 {
			select {
			case s := <-ready:
				got[s] = true
			case err := <-done:
				t.Fatalf("the run ended early: %v", err)
			case <-time.After(10 * time.Second):
				t.Fatalf("workers did not start: %v", got)
			}
		}
		// The busy workers keep the run going until the runtime is closed.
		rt.Close()
		if err := <-done; !errors.Is(err, ErrClosed) {
			t.Errorf("run: %v, want ErrClosed", err)
		}
		cancel()
	}
	checkGoroutines(t, before)
}

// TestWorkerFromBlobURL runs a worker from URL.createObjectURL
// (https://w3c.github.io/FileAPI/#creating-revoking), which workers share with
// the runtime that created them, and fails one whose URL was revoked.
func TestWorkerFromBlobURL(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.js": `
const src = new Blob(["postMessage(location.protocol + ' ' + (self instanceof DedicatedWorkerGlobalScope))"], {type: "text/javascript"});
const u = URL.createObjectURL(src);
const w = new Worker(u);
w.onmessage = (e) => {
  console.log("from blob worker:", e.data);
  w.terminate();
  URL.revokeObjectURL(u);
  const gone = new Worker(u);
  gone.onerror = (ev) => console.log("revoked:", ev.type, ev instanceof ErrorEvent);
};
`,
	}, "main.js", Options{})
	want := "from blob worker: blob: true\nrevoked: error false\n"
	if r.err != nil || r.stdout != want {
		t.Fatalf("err %v\nstdout %q\nwant   %q\nstderr %q", r.err, r.stdout, want, r.stderr)
	}
}
