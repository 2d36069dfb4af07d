package runtime

import (
	"context"
	"strings"
	"testing"
	"time"
)

// BroadcastChannels hear those of other runtimes of the process with the
// same origin and BroadcastPartition; a closed runtime hears nothing.
func TestBroadcastAcrossRuntimes(t *testing.T) {
	cases := []struct {
		name     string
		from, to Options
		closeTo  bool
		want     string
	}{
		{name: "same origin", from: Options{BaseURL: "http://a.test/x.js"}, to: Options{BaseURL: "http://a.test/y.js"},
			want: "to: hello http://a.test\n"},
		{name: "other origin", from: Options{BaseURL: "http://a.test/"}, to: Options{BaseURL: "http://b.test/"}},
		{name: "file URLs", from: Options{}, to: Options{}},
		{name: "other partition", from: Options{BaseURL: "http://a.test/", BroadcastPartition: "1"},
			to: Options{BaseURL: "http://a.test/", BroadcastPartition: "2"}},
		{name: "closed receiver", from: Options{BaseURL: "http://a.test/"}, to: Options{BaseURL: "http://a.test/"}, closeTo: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out syncBuffer
			newRT := func(o Options) *Runtime {
				o.Stdout, o.Stderr, o.Dir = &out, &out, t.TempDir()
				rt, err := New(o)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { rt.Close() })
				return rt
			}
			to, from := newRT(c.to), newRT(c.from)
			if err := to.RunScript(ctx, "to.js", `globalThis.ch = new BroadcastChannel("x");
				ch.onmessage = e => console.log("to:", e.data, e.origin)`); err != nil {
				t.Fatal(err)
			}
			if c.closeTo {
				to.Close()
			}
			if err := from.RunScript(ctx, "from.js", `const ch = new BroadcastChannel("x");
				ch.onmessage = e => console.log("from:", e.data); ch.postMessage("hello")`); err != nil {
				t.Fatal(err)
			}
			if !c.closeTo {
				if err := to.RunScript(ctx, "again.js", ``); err != nil {
					t.Fatal(err)
				}
			}
			if got := out.String(); got != c.want {
				t.Errorf("output %q, want %q", got, c.want)
			}
			if strings.Contains(out.String(), "from:") {
				t.Error("the sender heard itself")
			}
		})
	}
}
