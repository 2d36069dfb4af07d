package blob

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

func TestStream(t *testing.T) {
	vm, _ := jstest.NewRealm(t, Binding)
	cases := []struct{ src, want string }{
		// Chunks are Uint8Arrays holding the bytes in order; a large blob
		// comes in several.
		{`const bytes = new Uint8Array(150000).map((_, i) => i % 251);
			const r = new Blob([bytes, "end"]).stream().getReader(); const got = []; let chunks = 0, ok = true;
			for (;;) { const { value, done } = await r.read(); if (done) break; ok = ok && value instanceof Uint8Array; chunks++; got.push(...value) }
			const same = got.length === 150003 && got.slice(0, 150000).every((b, i) => b === i % 251) && String.fromCharCode(...got.slice(150000)) === "end";
			return chunks + " " + ok + " " + same`, "3 true true"},
		{`const r = new Blob().stream().getReader(); return (await r.read()).done`, "true"},
		{`const b = new Blob(["abc"]); return (b.stream() !== b.stream()) + " " + (b.stream() instanceof ReadableStream)`, "true true"},
		{`const r = new Blob(["xyz"]).slice(1).stream().getReader(); return String.fromCharCode(...(await r.read()).value)`, "yz"},
		{`return typeof Blob.prototype.stream + " " + Blob.prototype.stream.length`, "function 0"},
	}
	for _, c := range cases {
		vm.Set("out", goja.Undefined())
		if _, err := vm.RunString("(async () => {" + c.src + "})().then(v => out = String(v), e => out = 'rejected: ' + e)"); err != nil {
			t.Fatal(err)
		}
		if got := vm.Get("out").String(); got != c.want {
			t.Errorf("%s\ngot %q, want %q", c.src, got, c.want)
		}
	}
}
