package streams

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestGoTransformer runs a Go transformer that splits strings into their
// letters, enqueueing at most two before it waits for the readable side to be
// read, and flushes a last chunk.
func TestGoTransformer(t *testing.T) {
	e := newEnv(t)
	var pulls int
	var emit func(s *TransformStream, rest []string, done func()) bool
	emit = func(s *TransformStream, rest []string, done func()) bool {
		for i, l := range rest {
			if err := s.Enqueue(e.vm.ToValue(l)); err != nil {
				t.Errorf("Enqueue: %v", err)
			}
			if s.DesiredSize() <= -2 && i+1 < len(rest) {
				s.WhenPulled(func() {
					pulls++
					if emit(s, rest[i+1:], done) {
						done()
					}
				})
				return false
			}
		}
		return true
	}
	ts, err := NewTransformStream(e.realm, Transformer{
		Transform: func(s *TransformStream, chunk goja.Value) goja.Value {
			letters := strings.Split(chunk.String(), "")
			p, resolve, _ := e.realm.NewPromise()
			if emit(s, letters, func() { resolve(goja.Undefined()) }) {
				return nil
			}
			return p
		},
		Flush: func(s *TransformStream) goja.Value {
			if err := s.Enqueue(e.vm.ToValue("!")); err != nil {
				t.Errorf("Enqueue: %v", err)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("ts", map[string]any{"readable": ts.Readable(), "writable": ts.Writable()})
	got := e.run(t, `const w = ts.writable.getWriter();
		const writes = [w.write("abcde"), w.write("fg"), w.close()];
		const r = ts.readable.getReader(), out = [];
		for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value) }
		await Promise.all(writes);
		return out.join("")`)
	if got != "abcdefg!" {
		t.Errorf("read %q, want %q", got, "abcdefg!")
	}
	if pulls == 0 {
		t.Error("the transformer never waited for a pull")
	}
}

// TestGoTransformerErrors checks that a transformer's exception errors both
// sides, that Cancel sees the reason of a canceled readable side, and that
// Enqueue fails once the readable side is canceled.
func TestGoTransformerErrors(t *testing.T) {
	e := newEnv(t)
	var canceled string
	var afterCancel error
	var stream *TransformStream
	ts, err := NewTransformStream(e.realm, Transformer{
		Transform: func(s *TransformStream, chunk goja.Value) goja.Value {
			if chunk.String() == "bad" {
				panic(e.vm.NewTypeError("bad chunk"))
			}
			return nil
		},
		Cancel: func(s *TransformStream, reason goja.Value) goja.Value {
			canceled = reason.String()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	stream = ts
	e.vm.Set("ts", map[string]any{"readable": ts.Readable(), "writable": ts.Writable()})
	got := e.run(t, `const w = ts.writable.getWriter(), r = ts.readable.getReader();
		const res = [];
		const write = w.write("bad").catch(e => res.push("write: " + e.message));
		await r.read().catch(e => res.push("read: " + e.message));
		await write;
		return res.join("; ")`)
	if want := "read: bad chunk; write: bad chunk"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	ts2, err := NewTransformStream(e.realm, Transformer{
		Transform: func(*TransformStream, goja.Value) goja.Value { return nil },
		Cancel: func(s *TransformStream, reason goja.Value) goja.Value {
			canceled = reason.String()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.vm.Set("ts2", ts2.Readable())
	if got := e.run(t, `await ts2.cancel("enough"); return "ok"`); got != "ok" {
		t.Errorf("cancel: %q", got)
	}
	afterCancel = ts2.Enqueue(e.vm.ToValue(1))
	if canceled != "enough" {
		t.Errorf("Cancel saw %q", canceled)
	}
	if afterCancel == nil {
		t.Error("Enqueue after cancel succeeded")
	}
	if d := stream.DesiredSize(); d != 0 {
		t.Errorf("DesiredSize of an errored stream = %v", d)
	}
	if _, err := NewTransformStream(e.realm, Transformer{}); err == nil {
		t.Error("NewTransformStream without Transform succeeded")
	}
}
