package runtime

import "testing"

// TestErrorEvents checks HTML "report an exception" and "notify about rejected
// promises": the event is fired at the global object first and only an uncanceled one
// is reported.
func TestErrorEvents(t *testing.T) {
	cases := []struct {
		name, src, stdout, stderr string
		fails                     bool
	}{
		{"canceled error event", `
			addEventListener("error", (e) => { console.log("caught", e.message, e.error.message); e.preventDefault() });
			setTimeout(() => { throw new Error("in timer") }, 0);
			setTimeout(() => console.log("goes on"), 1);`,
			"caught Uncaught Error: in timer in timer\ngoes on\n", "", false},
		{"onerror returning true cancels", `
			onerror = (msg) => { console.log("onerror", msg); return true };
			throw new TypeError("t");`,
			"onerror Uncaught TypeError: t\n", "", false},
		{"listener that does not cancel", `
			addEventListener("error", () => console.log("seen"));
			throw new Error("x");`,
			"seen\n", "Uncaught Error: x\n    at e.js:3:10\n", true},
		{"canceled unhandledrejection", `
			addEventListener("unhandledrejection", (e) => { console.log("rejected", e.reason); e.preventDefault() });
			Promise.reject(7);
			setTimeout(() => console.log("goes on"), 0);`,
			"rejected 7\ngoes on\n", "", false},
		{"listener exception is reported", `
			const t = new EventTarget();
			t.addEventListener("ping", () => { throw new RangeError("from listener") });
			t.dispatchEvent(new Event("ping"));
			console.log("dispatch returned");`,
			"dispatch returned\n", "Uncaught RangeError: from listener\n    at e.js:3:45\n    at dispatchEvent (native)\n    at e.js:4:19\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runSrc(t, "e.js", c.src, Options{})
			if (r.err != nil) != c.fails || r.stdout != c.stdout || r.stderr != c.stderr {
				t.Errorf("err %v\nstdout %q (want %q)\nstderr %q (want %q)", r.err, r.stdout, c.stdout, r.stderr, c.stderr)
			}
		})
	}
}

// TestErrorEventNamesOriginalSource checks that ErrorEvent's filename, lineno and colno
// point into the TypeScript source, not the bundle esbuild made of it.
func TestErrorEventNamesOriginalSource(t *testing.T) {
	r := runFiles(t, map[string]string{
		"lib.ts": "export function fail(n: number): never {\n  throw new Error(`no ${n}`);\n}\n",
		"main.ts": `import { fail } from "./lib.ts";
addEventListener("error", (e: ErrorEvent) => {
  console.log(e.filename.replace(/^.*[\\/]/, ""), e.lineno, e.colno, e.message);
  e.preventDefault();
});
setTimeout(() => fail(1), 0);
`,
	}, "main.ts", Options{})
	if r.err != nil || r.stdout != "lib.ts 2 9 Uncaught Error: no 1\n" {
		t.Fatalf("err %v, stdout %q, stderr %q", r.err, r.stdout, r.stderr)
	}
}

// TestWindowGlobal checks the main global: a Window
// (https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-window-object)
// with no DOM.
func TestWindowGlobal(t *testing.T) {
	r := runSrc(t, "w.js", `
		console.log(Object.prototype.toString.call(globalThis), globalThis instanceof Window,
			Object.getPrototypeOf(Object.getPrototypeOf(Window.prototype)) === EventTarget.prototype, self === globalThis,
			typeof window, typeof document);
		try { new Window(); } catch (e) { console.log(e.constructor.name); }
		addEventListener("x", () => console.log("dispatched at the global"));
		dispatchEvent(new Event("x"));`, Options{})
	want := "[object Window] true true true undefined undefined\nTypeError\ndispatched at the global\n"
	if r.err != nil || r.stdout != want {
		t.Fatalf("err %v\nstdout %q\nwant   %q\nstderr %q", r.err, r.stdout, want, r.stderr)
	}
}

// TestDefineWindow checks Options.DefineWindow: window is the global, unforgeable.
func TestDefineWindow(t *testing.T) {
	r := runSrc(t, "w.js", `
		const d = Object.getOwnPropertyDescriptor(globalThis, "window");
		console.log(window === globalThis, typeof d.get, d.set, d.enumerable, d.configurable);
		window.fromWindow = 1;
		console.log(fromWindow);`, Options{DefineWindow: true})
	want := "true function undefined true false\n1\n"
	if r.err != nil || r.stdout != want {
		t.Fatalf("err %v\nstdout %q\nwant   %q\nstderr %q", r.err, r.stdout, want, r.stderr)
	}
}
