package worker

import (
	"strings"
	"testing"
)

// Window's postMessage posts to the window itself: the message is delivered
// when targetOrigin allows the window's origin, with that origin and the
// window as source.
func TestWindowPostMessage(t *testing.T) {
	const show = `onmessage = e => log([e.data, e.origin, e.source === globalThis, e.ports.length].join(" "));
onmessageerror = e => log("messageerror");
`
	tests := []struct {
		name, base, src string
		want            []string
	}{
		{name: "one argument", src: `postMessage("a")`, want: []string{"a http://a.test true 0"}},
		{name: "target origins", src: `for (const o of ["*", "/", "http://a.test:80/x", "http://b.test", "https://a.test", "data:,x"]) postMessage(o, o)`,
			want: []string{"* http://a.test true 0", "/ http://a.test true 0", "http://a.test:80/x http://a.test true 0"}},
		{name: "options", src: `postMessage("o", {targetOrigin: "http://a.test"}); postMessage("x", {targetOrigin: "http://b.test"}); postMessage("u", undefined); postMessage("n", null)`,
			want: []string{"o http://a.test true 0", "u http://a.test true 0", "n http://a.test true 0"}},
		{name: "transfer", src: `const c = new MessageChannel();
postMessage("t", "*", [c.port1]); postMessage("d", {transfer: [c.port2]}); postMessage("e", "*", undefined)`,
			want: []string{"t http://a.test true 1", "d http://a.test true 1", "e http://a.test true 0"}},
		{name: "errors", src: `for (const f of [() => postMessage(), () => postMessage("", "http://foo bar"), () => postMessage("", {transfer: null}),
	() => postMessage(() => 1, "*"), () => postMessage("", "*", [globalThis])]) try { f() } catch (e) { log(e.name) }`,
			want: []string{"TypeError", "SyntaxError", "TypeError", "DataCloneError", "DataCloneError"}},
		{name: "opaque origin", base: "file:///main.js", src: `postMessage("slash", "/"); postMessage("star", "*"); postMessage("null", "file:///main.js")`,
			want: []string{"slash null true 0", "star null true 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newTestHost(map[string]string{"/main.js": show + tt.src}, nil, ChildOptions{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			if tt.base == "" {
				tt.base = "http://a.test/main.js"
			}
			h.realm.SetAPIBaseURL(tt.base)
			got := h.run(t, "/main.js")
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
