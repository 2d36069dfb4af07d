package streams

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

func TestGoSource(t *testing.T) {
	e := newEnv(t)
	n := 0
	var canceled goja.Value
	rs, ctl, err := NewReadableStream(e.realm, Source{
		Pull: func(c *ReadableController) goja.Value {
			n++
			if n > 3 {
				c.Close()
				return nil
			}
			if err := c.Enqueue(e.vm.ToValue(n)); err != nil {
				t.Errorf("Enqueue: %v", err)
			}
			return nil
		},
		Cancel: func(c *ReadableController, reason goja.Value) goja.Value {
			canceled = reason
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("rs", rs)
	got := e.run(t, `const r = rs.getReader(); const out = [];
		for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value) }
		return out.join()`)
	if got != "1,2,3" {
		t.Errorf("read %q", got)
	}
	if err := ctl.Enqueue(e.vm.ToValue(9)); !errors.Is(err, ErrNotReadable) {
		t.Errorf("Enqueue after close: %v", err)
	}
	if d := ctl.DesiredSize(); d != 0 {
		t.Errorf("DesiredSize after close: %v", d)
	}
	if canceled != nil {
		t.Errorf("canceled: %v", canceled)
	}
}

func TestGoSourcePushAndCancel(t *testing.T) {
	e := newEnv(t)
	var reason string
	rs, ctl, err := NewReadableStream(e.realm, Source{
		HighWaterMark: 2,
		Cancel: func(c *ReadableController, r goja.Value) goja.Value {
			reason = r.String()
			p, resolve, _ := e.realm.NewPromise()
			resolve(goja.Undefined())
			return p
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := ctl.DesiredSize(); d != 2 {
		t.Errorf("DesiredSize = %v, want 2", d)
	}
	for _, s := range []string{"a", "b", "c"} {
		if err := ctl.Enqueue(e.vm.ToValue(s)); err != nil {
			t.Fatal(err)
		}
	}
	if d := ctl.DesiredSize(); d != -1 {
		t.Errorf("DesiredSize = %v, want -1", d)
	}
	e.vm.Set("rs", rs)
	got := e.run(t, `const r = rs.getReader(); const a = (await r.read()).value;
		await r.cancel("enough"); return a + " " + (await r.read()).done`)
	if got != "a true" || reason != "enough" {
		t.Errorf("got %q, reason %q", got, reason)
	}
}

func TestGoSourceErrors(t *testing.T) {
	e := newEnv(t)
	rs, ctl, err := NewReadableStream(e.realm, Source{
		Size: func(chunk goja.Value) float64 { return math.Inf(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	err = ctl.Enqueue(e.vm.ToValue("x"))
	var ex *goja.Exception
	if !errors.As(err, &ex) || !strings.Contains(ex.Error(), "RangeError") {
		t.Errorf("Enqueue with an infinite size: %v", err)
	}
	e.vm.Set("rs", rs)
	if got := e.run(t, `return await rs.getReader().closed.catch(e => e.name)`); got != "RangeError" {
		t.Errorf("closed: %q", got)
	}

	// A Pull that throws errors the stream.
	rs2, _, err := NewReadableStream(e.realm, Source{
		Pull: func(c *ReadableController) goja.Value { panic(e.vm.NewTypeError("pull failed")) },
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("rs2", rs2)
	if got := e.run(t, `return await rs2.getReader().read().catch(e => e.message)`); got != "pull failed" {
		t.Errorf("read: %q", got)
	}
	// Error errors it with the value given.
	rs3, ctl3, _ := NewReadableStream(e.realm, Source{})
	ctl3.Error(e.vm.ToValue("gone"))
	e.vm.Set("rs3", rs3)
	if got := e.run(t, `return await rs3.getReader().read().catch(e => e)`); got != "gone" {
		t.Errorf("read: %q", got)
	}

	if _, _, err := NewReadableStream(e.realm, Source{HighWaterMark: -1}); err == nil {
		t.Error("a negative HighWaterMark was accepted")
	}
	if _, _, err := NewReadableStream(webidl.NewRealm(goja.New()), Source{}); err == nil {
		t.Error("a realm without Register was accepted")
	}
}

func TestGoSink(t *testing.T) {
	e := newEnv(t)
	var written []string
	var pending func(goja.Value)
	closed := false
	ws, ctl, err := NewWritableStream(e.realm, Sink{
		Write: func(c *WritableController, chunk goja.Value) goja.Value {
			written = append(written, chunk.String())
			if chunk.String() == "slow" {
				p, resolve, _ := e.realm.NewPromise()
				pending = resolve
				return p
			}
			return nil
		},
		Close: func(c *WritableController) goja.Value { closed = true; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("ws", ws)
	e.vm.Set("finishSlow", func() { pending(goja.Undefined()) })
	got := e.run(t, `const w = ws.getWriter(); await w.write("a");
		const slow = w.write("slow"); const next = w.write("b"); const d = w.desiredSize;
		await new Promise(r => setTimeout(r, 0));
		finishSlow(); await slow; await next; await w.close(); return d`)
	if got != "-1" || strings.Join(written, ",") != "a,slow,b" || !closed {
		t.Errorf("got %q, written %v, closed %v", got, written, closed)
	}
	if ctl.Aborted() {
		t.Error("the signal is aborted")
	}
}

func TestGoSinkAbortAndError(t *testing.T) {
	e := newEnv(t)
	var abortReason string
	ws, ctl, err := NewWritableStream(e.realm, Sink{
		Write: func(c *WritableController, chunk goja.Value) goja.Value { return nil },
		Abort: func(c *WritableController, reason goja.Value) goja.Value {
			abortReason = reason.String()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("ws", ws)
	e.vm.Set("signal", ctl.Signal())
	got := e.run(t, `await ws.abort("halt"); return signal.aborted + " " + signal.reason`)
	if got != "true halt" || abortReason != "halt" || !ctl.Aborted() {
		t.Errorf("got %q, abort reason %q", got, abortReason)
	}

	ws2, ctl2, _ := NewWritableStream(e.realm, Sink{
		Write: func(c *WritableController, chunk goja.Value) goja.Value { panic(e.vm.ToValue("refused")) },
	})
	e.vm.Set("ws2", ws2)
	if got := e.run(t, `const w = ws2.getWriter(); return await w.write(1).catch(e => e) + " " + await w.closed.catch(e => e)`); got != "refused refused" {
		t.Errorf("got %q", got)
	}
	ctl2.Error(e.vm.ToValue("ignored once errored"))

	ws3, ctl3, _ := NewWritableStream(e.realm, Sink{Write: func(*WritableController, goja.Value) goja.Value { return nil }})
	ctl3.Error(e.vm.ToValue("E"))
	e.vm.Set("ws3", ws3)
	if got := e.run(t, `return await ws3.getWriter().write(1).catch(e => e)`); got != "E" {
		t.Errorf("got %q", got)
	}
	if _, _, err := NewWritableStream(e.realm, Sink{}); err == nil {
		t.Error("a Sink without Write was accepted")
	}
}

func TestRegisterTwice(t *testing.T) {
	e := newEnv(t)
	if err := Register(bindings.NewEnv(e.realm, e.loop)); err == nil {
		t.Error("a second Register succeeded")
	}
}

func TestRegisterWithoutAbort(t *testing.T) {
	if err := Register(bindings.NewEnv(webidl.NewRealm(goja.New()), nil)); err == nil {
		t.Error("Register succeeded without AbortController")
	}
}

// A Go byte source: BYOB reads are filled from the chunks it enqueues, its
// chunks' buffers are detached, and closing answers a pending BYOB read with an
// empty view of its memory.
func TestGoByteSource(t *testing.T) {
	e := newEnv(t)
	var chunks []goja.Value
	rs, ctl, err := NewReadableStream(e.realm, Source{
		Bytes: true,
		Pull: func(c *ReadableController) goja.Value {
			if len(chunks) == 0 {
				c.Close()
				return nil
			}
			if err := c.Enqueue(chunks[0]); err != nil {
				t.Errorf("Enqueue: %v", err)
			}
			chunks = chunks[1:]
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := ctl.DesiredSize(); d != 0 {
		t.Errorf("DesiredSize = %v, want 0 (a byte stream's default high water mark)", d)
	}
	for _, src := range []string{"new Uint8Array([1, 2, 3])", "new Uint8Array([4])"} {
		v, err := e.vm.RunString(src)
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, v)
	}
	first := chunks[0]
	e.vm.Set("rs", rs)
	e.vm.Set("first", first)
	got := e.run(t, `const r = rs.getReader({mode: "byob"});
		const a = await r.read(new Uint8Array(2));
		const b = await r.read(new Uint8Array(4));
		const c = await r.read(new Uint8Array(4));
		const d = await r.read(new Uint8Array(4));
		return [first.byteLength, Array.from(a.value), Array.from(b.value), Array.from(c.value), c.done, d.value.byteLength, d.done].join(" ")`)
	if want := "0 1,2 3 4 false 0 true"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := ctl.Enqueue(e.vm.ToValue(1)); !errors.Is(err, ErrNotReadable) {
		t.Errorf("Enqueue after close: %v", err)
	}
}

func TestGoByteSourceRejects(t *testing.T) {
	e := newEnv(t)
	_, ctl, err := NewReadableStream(e.realm, Source{Bytes: true})
	if err != nil {
		t.Fatal(err)
	}
	var ex *goja.Exception
	if err := ctl.Enqueue(e.vm.ToValue("bytes")); !errors.As(err, &ex) || !strings.Contains(ex.Error(), "TypeError") {
		t.Errorf("Enqueue of a string: %v", err)
	}
	if _, _, err := NewReadableStream(e.realm, Source{Bytes: true, Size: func(goja.Value) float64 { return 1 }}); err == nil {
		t.Error("a byte source with Size was accepted")
	}
}
