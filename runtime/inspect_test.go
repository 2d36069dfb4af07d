package runtime

import (
	"testing"
)

// TestConsoleStreams checks that console output goes to Options.Stdout and
// Options.Stderr, in order with uncaught error reports.
func TestConsoleStreams(t *testing.T) {
	r := runSrc(t, "c.js", `console.log("out"); console.info("info"); console.warn("warn"); console.error("err"); throw 1`, Options{})
	if r.stdout != "out\ninfo\n" || r.stderr != "warn\nerr\nUncaught 1\n    at c.js:1:87\n" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestWebAPIsInstalled(t *testing.T) {
	r := runSrc(t, "apis.js", `console.log([typeof setTimeout, typeof queueMicrotask, typeof atob, btoa("hi"), typeof DOMException,
	typeof addEventListener, typeof EventTarget, typeof performance.now(), typeof crypto.randomUUID(),
	new TextDecoder().decode(new TextEncoder().encode("é"))].join(" "))`, Options{})
	if r.err != nil || r.stdout != "function function function aGk= function function function number string é\n" {
		t.Errorf("err %v stdout %q stderr %q", r.err, r.stdout, r.stderr)
	}
}

// TestGlobalGetterNames checks the getters of self and window: their name is
// configurable and not enumerable, as for every built-in function
// (https://tc39.es/ecma262/#sec-ecmascript-standard-built-in-objects).
func TestGlobalGetterNames(t *testing.T) {
	r := runSrc(t, "names.js", `for (const k of ["self", "window"]) {
	const get = Object.getOwnPropertyDescriptor(globalThis, k).get;
	const d = Object.getOwnPropertyDescriptor(get, "name");
	console.log(d.value, d.writable, d.enumerable, d.configurable);
}`, Options{DefineWindow: true})
	if r.err != nil || r.stdout != "get self false false true\nget window false false true\n" {
		t.Errorf("err %v stdout %q", r.err, r.stdout)
	}
}
