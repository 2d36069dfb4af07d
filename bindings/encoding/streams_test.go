package encoding

import (
	"context"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// runAsync runs src, the body of an async function, in a realm with the
// streams and encoding interfaces, and returns the string its promise
// fulfills with, or "rejected: <name>".
func runAsync(t *testing.T, src string) string {
	t.Helper()
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	t.Cleanup(loop.Close)
	if err := bindings.Install(bindings.NewEnv(webidl.NewRealm(vm), loop), streams.Binding, Binding); err != nil {
		t.Fatal(err)
	}
	result := make(chan string, 1)
	_ = vm.Set("__done", func(s string) { result <- s })
	loop.Queue(func() {
		if _, err := vm.RunString("(async () => {\n" + src + "\n})().then(v => __done(String(v)), e => __done('rejected: ' + e.name));"); err != nil {
			result <- "script error: " + err.Error()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- loop.Run(ctx) }()
	select {
	case s := <-result:
		loop.Stop()
		<-runErr
		return s
	case err := <-runErr:
		// The loop may end as the result arrives.
		select {
		case s := <-result:
			return s
		default:
		}
		t.Fatalf("loop ended without a result: %v", err)
	}
	return ""
}

// collect is a script helper: it writes chunks to a transform stream's
// writable side, closes it, and joins what the readable side gives.
const collect = `
async function collect(ts, chunks, show = String) {
	const w = ts.writable.getWriter();
	const out = [];
	const reading = (async () => {
		const r = ts.readable.getReader();
		for (;;) { const { value, done } = await r.read(); if (done) return; out.push(show(value)); }
	})();
	for (const c of chunks) w.write(c);
	await w.close();
	await reading;
	return out.join("|");
}
`

func TestTextStreams(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"decoder split character", `return collect(new TextDecoderStream(), [new Uint8Array([0xEF, 0xBB, 0xBF, 0x41, 0xE2]), new Uint8Array([0x82, 0xAC])])`, `A|€`},
		{"decoder end of stream", `return collect(new TextDecoderStream(), [new Uint8Array([0x41, 0xE2, 0x82])])`, `A|` + "\uFFFD"},
		{"decoder legacy", `return collect(new TextDecoderStream("shift_jis"), [new Uint8Array([0x82]), new Uint8Array([0xA0])])`, `あ`},
		{"decoder fatal", `return collect(new TextDecoderStream("utf-8", {fatal: true}), [new Uint8Array([0xFF])])`, `rejected: TypeError`},
		{"decoder bad chunk", `return collect(new TextDecoderStream(), ["x"])`, `rejected: TypeError`},
		{"decoder attributes", `const s = new TextDecoderStream("latin1", {ignoreBOM: true}); return [s.encoding, s.fatal, s.ignoreBOM, s.readable instanceof ReadableStream, s.writable instanceof WritableStream]`, `windows-1252,false,true,true,true`},
		{"decoder replacement", `try { new TextDecoderStream("iso-2022-kr") } catch (e) { return e.name }`, `RangeError`},
		{"encoder surrogate pair across chunks", `return collect(new TextEncoderStream(), ["a\uD83D", "\uDE00", "\uD800"], v => Array.from(v).join(","))`, `97|240,159,152,128|239,191,189`},
		{"encoder lone trailing surrogate", `return collect(new TextEncoderStream(), ["\uDC00", 1])`, `239,191,189|49`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := runAsync(t, collect+c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
