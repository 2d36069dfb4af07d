package runtime

import (
	"context"
	"errors"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/navigator"
)

// counter.js is a shared worker that numbers its connections and answers
// each message with its name, the connection's number and the message.
const counterJS = `
let connections = 0;
console.log("start", self.name);
onconnect = (e) => {
  const port = e.ports[0];
  const n = ++connections;
  port.onmessage = (m) => port.postMessage(self.name + " #" + n + ": " + m.data);
};
`

// TestSharedWorkerConnect connects several SharedWorker objects: those with
// the same URL and name share one worker, each with a port of its own.
func TestSharedWorkerConnect(t *testing.T) {
	r := runFiles(t, map[string]string{
		"counter.js": counterJS,
		"main.js": `
const a = new SharedWorker("./counter.js", "one");
const b = new SharedWorker("./counter.js", {name: "one"});
const c = new SharedWorker("./counter.js", "two");
const d = new SharedWorker("./counter.js?other", "one");
console.log(String(a), a.port instanceof MessagePort, a.port === a.port, a.port !== b.port);
let left = 4;
for (const [name, w] of Object.entries({a, b, c, d})) {
  w.port.onmessage = (e) => {
    console.log(name, "got", e.data);
    if (--left === 0) console.log("done");
  };
  w.port.postMessage("hello from " + name);
}
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	got := strings.Split(strings.TrimSpace(r.stdout), "\n")
	want := map[string]bool{
		"[object SharedWorker] true true true": true,
		"start one":                            true, // twice: counter.js and counter.js?other
		"start two":                            true,
		// a and b share the worker "one": each gets a connection of its own,
		// numbered in the order their connect events ran, which depends on
		// whether the worker had started when b connected.
		"a got one #1: hello from a": true, "a got one #2: hello from a": true,
		"b got one #1: hello from b": true, "b got one #2: hello from b": true,
		"c got two #1: hello from c": true,
		"d got one #1: hello from d": true,
		"done":                       true,
	}
	starts := 0
	oneConnections := map[string]bool{}
	for _, l := range got {
		if !want[l] {
			t.Errorf("unexpected line %q", l)
		}
		if l == "start one" {
			starts++
		}
		if strings.HasPrefix(l, "a got one #") || strings.HasPrefix(l, "b got one #") {
			oneConnections[l[len("a got one "):len("a got one #1")]] = true
		}
	}
	if !oneConnections["#1"] || !oneConnections["#2"] {
		t.Errorf("a and b did not get connections #1 and #2 of worker one: %v", oneConnections)
	}
	if len(got) != 9 || starts != 2 || got[len(got)-1] != "done" {
		t.Errorf("output:\n%s", r.stdout)
	}
}

// TestSharedWorkerPorts checks the ports' queues: the port of the
// SharedWorker that started the worker is enabled once the worker's script
// has run (HTML "run a worker", step 11 of onComplete), another one's waits
// for start(); messages posted before the worker started are delivered.
func TestSharedWorkerPorts(t *testing.T) {
	r := runFiles(t, map[string]string{
		"echo.js": `
onconnect = (e) => {
  const port = e.ports[0];
  console.log("connect", e.constructor.name, JSON.stringify(e.data), e.ports.length, e.source === port, Object.isFrozen(e.ports), e.isTrusted);
  port.onmessage = (m) => port.postMessage(m.data);
};
`,
		"main.js": `
const first = new SharedWorker("./echo.js");
first.port.addEventListener("message", (e) => {
  console.log("first got", e.data);
  const second = new SharedWorker("./echo.js");
  second.port.addEventListener("message", (e) => console.log("second got", e.data));
  second.port.postMessage("waits for start()");
  setTimeout(() => { console.log("starting"); second.port.start(); }, 50);
});
first.port.postMessage("posted before the worker started");
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		`connect MessageEvent "" 1 true true true`,
		"first got posted before the worker started",
		`connect MessageEvent "" 1 true true true`,
		"starting",
		"second got waits for start()",
	)
}

// TestSharedWorkerGlobalScope checks the global object of a shared worker.
func TestSharedWorkerGlobalScope(t *testing.T) {
	r := runFiles(t, map[string]string{
		"scope.js": `
const checks = [
  self instanceof SharedWorkerGlobalScope, self instanceof WorkerGlobalScope, self instanceof EventTarget,
  Object.prototype.toString.call(self) === "[object SharedWorkerGlobalScope]",
  typeof postMessage === "undefined", typeof onmessage === "undefined", onconnect === null,
  typeof SharedWorker === "undefined", typeof DedicatedWorkerGlobalScope === "undefined",
  typeof Worker, typeof MessageChannel, typeof importScripts, String(navigator), navigator.userAgent === "` + navigator.UserAgent() + `",
  Object.getOwnPropertyDescriptor(self, "name").get.name,
];
name = "replaced";
onconnect = (e) => e.ports[0].postMessage([...checks, self.name].join());
`,
		"main.js": `
const w = new SharedWorker("./scope.js", {name: "the name"});
w.port.onmessage = (e) => console.log(e.data);
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "true,true,true,true,true,true,true,true,true,function,function,function,[object WorkerNavigator],true,get name,replaced")
}

// TestSharedWorkerClose: a worker that called close() is not found again; a
// new SharedWorker starts another one, and the closed worker's ports tell
// their peers.
func TestSharedWorkerClose(t *testing.T) {
	r := runFiles(t, map[string]string{
		"once.js": `
console.log("worker starts");
onconnect = (e) => {
  e.ports[0].postMessage("bye");
  close();
};
`,
		"main.js": `
const a = new SharedWorker("./once.js");
a.port.onclose = () => {
  console.log("a's port closed");
  const b = new SharedWorker("./once.js");
  b.port.onmessage = (e) => console.log("b got", e.data);
};
a.port.onmessage = (e) => console.log("a got", e.data);
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "worker starts", "a got bye", "a's port closed", "worker starts", "b got bye")
}

// TestSharedWorkerErrors checks the constructor's exceptions, error events
// at SharedWorker objects, and where a shared worker's own errors go.
func TestSharedWorkerErrors(t *testing.T) {
	files := map[string]string{
		"ok.js":     `onconnect = (e) => e.ports[0].postMessage("connected");`,
		"syntax.js": "let let = 1;",
		"throws.js": `
onconnect = (e) => { e.ports[0].postMessage("connected"); throw new TypeError("in the worker"); };
`,
	}
	t.Run("constructor", func(t *testing.T) {
		r := runSrc(t, "main.js", `
for (const [what, f] of [
  ["no argument", () => new SharedWorker()],
  ["bad URL", () => new SharedWorker("http://[")],
  ["bad type", () => new SharedWorker("w.js", {type: "dedicated"})],
  ["without new", () => SharedWorker("w.js")],
]) {
  try { f(); console.log(what, "did not throw"); } catch (e) { console.log(what, e.name); }
}
console.log(SharedWorker.length, Object.getPrototypeOf(SharedWorker.prototype) === EventTarget.prototype, "onerror" in SharedWorker.prototype);
`, Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "no argument TypeError", "bad URL SyntaxError", "bad type TypeError", "without new TypeError", "1 true true")
	})
	t.Run("scripts that cannot load", func(t *testing.T) {
		files["main.js"] = `
for (const url of ["./missing.js", "./syntax.js", "./missing.js"]) {
  const w = new SharedWorker(url);
  w.onerror = (e) => console.log(url, e.constructor.name, e.type);
  w.port.onmessage = () => console.log("message from", url);
}
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		if strings.Count(r.stdout, "./missing.js Event error") != 2 || !strings.Contains(r.stdout, "./syntax.js Event error") || strings.Contains(r.stdout, "message") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "SharedWorker file://") || !strings.Contains(r.stderr, "missing.js could not be started") {
			t.Errorf("stderr does not say why:\n%s", r.stderr)
		}
	})
	t.Run("type and credentials must match", func(t *testing.T) {
		files["main.js"] = `
const a = new SharedWorker("./ok.js", {name: "n"});
a.port.onmessage = (e) => {
  console.log("a got", e.data);
  const b = new SharedWorker("./ok.js", {name: "n", credentials: "include"});
  b.onerror = (e) => console.log("b:", e.type);
  b.port.onmessage = (e) => console.log("b got", e.data);
};
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "a got connected", "b: error")
	})
	t.Run("the worker's uncaught errors go to the console", func(t *testing.T) {
		files["main.js"] = `
const w = new SharedWorker("./throws.js");
w.onerror = () => console.log("the SharedWorker object heard of it");
self.onerror = () => console.log("the window heard of it");
w.port.onmessage = (e) => console.log(e.data);
`
		r := runFiles(t, files, "main.js", Options{})
		if r.err != nil {
			t.Fatalf("%v\n%s", r.err, r.stderr)
		}
		lines(t, r.stdout, "connected")
		if !strings.HasPrefix(r.stderr, "Uncaught TypeError: in the worker\n") {
			t.Errorf("stderr: %s", r.stderr)
		}
	})
}

// TestPortsBetweenWorkers sends MessagePorts through postMessage: a channel
// between two dedicated workers made by the main script, and a port sent to
// a shared worker and back.
func TestPortsBetweenWorkers(t *testing.T) {
	r := runFiles(t, map[string]string{
		"ping.js": `
onmessage = (e) => {
  const port = e.ports[0];
  console.log("ping got its port:", e.data, port instanceof MessagePort, e.ports.length);
  port.onmessage = (m) => {
    if (m.data === 3) { postMessage("ping done"); return; }
    port.postMessage(m.data + 1);
  };
  port.postMessage(0);
};
`,
		"pong.js": `
onmessage = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => port.postMessage(m.data + 1);
};
`,
		"keeper.js": `
onconnect = (e) => {
  const page = e.ports[0];
  page.onmessage = (m) => {
    const [a, b] = [new MessageChannel(), m.ports[0]];
    b.postMessage("the shared worker has the page's port");
    page.postMessage("here is a port back", [a.port2]);
    a.port1.postMessage("through the shared worker's channel");
  };
};
`,
		"main.js": `
const {port1, port2} = new MessageChannel();
const ping = new Worker("./ping.js"), pong = new Worker("./pong.js");
ping.postMessage("first", [port1]);
pong.postMessage({port: port2}, {transfer: [port2]});
ping.onmessage = (e) => {
  console.log(e.data);
  ping.terminate();
  pong.terminate();
  const keeper = new SharedWorker("./keeper.js");
  const mine = new MessageChannel();
  mine.port1.onmessage = (e) => console.log("main got", e.data);
  keeper.port.onmessage = (e) => {
    console.log("main got", e.data, e.ports.length);
    e.ports[0].onmessage = (e) => console.log("main got", e.data);
  };
  keeper.port.postMessage(null, [mine.port2]);
};
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout,
		"ping got its port: first true 1",
		"ping done",
		"main got the shared worker has the page's port",
		"main got here is a port back 1",
		"main got through the shared worker's channel",
	)
}

// TestPortsDoNotKeepRunsAlive: a port waiting for messages keeps no run
// going once nothing could send one, in one runtime or across workers.
func TestPortsDoNotKeepRunsAlive(t *testing.T) {
	r := runFiles(t, map[string]string{
		"listen.js": `onconnect = (e) => { e.ports[0].onmessage = () => {}; e.ports[0].postMessage("listening"); };`,
		"main.js": `
const {port1, port2} = new MessageChannel();
port1.onmessage = () => console.log("never");
const w = new SharedWorker("./listen.js");
w.port.onmessage = (e) => console.log(e.data);
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "listening")
}

// TestSharedWorkerAcrossRuns: a shared worker outlives the run that started
// it; a later run of the same runtime connects to it again.
func TestSharedWorkerAcrossRuns(t *testing.T) {
	dir := writeFiles(t, map[string]string{"counter.js": counterJS})
	var out syncBuffer
	rt, err := New(Options{Dir: dir, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	src := `{
  const w = new SharedWorker("./counter.js", "kept");
  w.port.onmessage = (e) => console.log(e.data);
  w.port.postMessage("run");
}`
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := rt.RunScript(ctx, "main.js", src)
		cancel()
		if err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
	}
	lines(t, out.String(), "start kept", "kept #1: run", "kept #2: run")
}

// TestSharedWorkerGoroutines closes runtimes with busy and idle shared
// workers: their goroutines end.
func TestSharedWorkerGoroutines(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"idle.js": `onconnect = (e) => e.ports[0].postMessage("idle");`,
		"busy.js": `setInterval(() => {}, 5); onconnect = (e) => e.ports[0].postMessage("busy");`,
		"spin.js": `onconnect = (e) => { e.ports[0].postMessage("spin"); setTimeout(() => { for (;;) {} }, 0); };`,
	})
	before := goruntime.NumGoroutine()
	for range 3 {
		rt, err := New(Options{Dir: dir, Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 8)
		if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
			return vm.Set("ready", func(s string) { ready <- s })
		}); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			done <- rt.RunScript(context.Background(), "main.js", `
for (const f of ["./idle.js", "./busy.js", "./spin.js"]) {
  new SharedWorker(f).port.onmessage = (e) => ready(e.data);
}
`)
		}()
		for range 3 {
			select {
			case <-ready:
			case err := <-done:
				t.Fatalf("the run ended early: %v", err)
			case <-time.After(10 * time.Second):
				t.Fatal("the workers did not connect")
			}
		}
		rt.Close()
		if err := <-done; !errors.Is(err, ErrClosed) {
			t.Errorf("run: %v, want ErrClosed", err)
		}
	}
	checkGoroutines(t, before)
}

// TestNavigator checks navigator on the main global and in a worker.
func TestNavigator(t *testing.T) {
	r := runFiles(t, map[string]string{
		"w.js": `postMessage([String(navigator), navigator.userAgent, navigator.platform, navigator.onLine].join());`,
		"main.js": `
console.log([String(navigator), navigator.userAgent, navigator.platform, navigator.onLine].join());
console.log(navigator.language === navigator.languages[0], Number.isInteger(navigator.hardwareConcurrency), "serviceWorker" in navigator, typeof WorkerNavigator);
const w = new Worker("./w.js");
w.onmessage = (e) => { console.log(e.data); w.terminate(); };
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	ua, platform := navigator.UserAgent(), navigator.Platform()
	lines(t, r.stdout,
		"[object Navigator],"+ua+","+platform+",true",
		"true true false undefined",
		"[object WorkerNavigator],"+ua+","+platform+",true",
	)
}

// TestPortWakesNestedWorker: a worker's worker gets a message through a
// MessagePort from the top while its parent is out of work; its parent wakes
// up to pass its answer on.
func TestPortWakesNestedWorker(t *testing.T) {
	r := runFiles(t, map[string]string{
		"parent.js": `
const child = new Worker("./child.js");
const {port1, port2} = new MessageChannel();
child.postMessage(null, [port1]);
child.onmessage = (e) => postMessage("child answered: " + e.data);
postMessage("ready", [port2]);
`,
		"child.js": `
onmessage = (e) => {
  e.ports[0].onmessage = (m) => postMessage(m.data * 2);
};
`,
		"main.js": `
const parent = new Worker("./parent.js");
parent.onmessage = (e) => {
  console.log(e.data);
  if (e.data === "ready") {
    const port = e.ports[0];
    // Once the workers are out of work.
    setTimeout(() => port.postMessage(21), 50);
  } else {
    parent.terminate();
  }
};
`,
	}, "main.js", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	lines(t, r.stdout, "ready", "child answered: 42")
}
