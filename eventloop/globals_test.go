package eventloop

import (
	"strings"
	"testing"
)

// TestGlobalsThisValue checks that the operations InstallGlobals defines
// take undefined and null for the global object and throw a TypeError for
// any other this value
// (https://webidl.spec.whatwg.org/#dfn-create-operation-function).
func TestGlobalsThisValue(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"global this", `log(String(typeof globalThis.setTimeout(() => {}, 0)))`, "number"},
		{"undefined this", `log(String(typeof (0, setInterval)(() => {}, 1e9))); clearInterval.call(undefined)`, "number"},
		{"null this", `queueMicrotask.call(null, () => log("ran"))`, "ran"},
		{"object inheriting from the global", `try { Object.create(globalThis).setTimeout(() => {}) } catch (e) { log(e.name) }`, "TypeError"},
		{"Proxy of the global", `try { new Proxy(globalThis, {}).clearTimeout(1) } catch (e) { log(e.name) }`, "TypeError"},
		{"other object", `try { reportError.call({}, 1) } catch (e) { log(e.name) }`, "TypeError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, lines := newLoop(t, Options{})
			if err := runScript(t, l, c.src+`; for (let i = 1; i < 4; i++) clearInterval(i);`); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(lines(), " "); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
