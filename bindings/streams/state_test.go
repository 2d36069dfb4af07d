package streams

import (
	"fmt"
	"testing"

	"github.com/dop251/goja"
)

// TestReadableState checks ReadableState against what script does to a stream.
func TestReadableState(t *testing.T) {
	e := newEnv(t)
	var got []string
	e.vm.Set("state", func(v goja.Value) {
		d, l, ok := ReadableState(e.realm, v)
		got = append(got, fmt.Sprint(d, l, ok))
	})
	if s := e.run(t, `
		const s = new ReadableStream({pull(c) { c.enqueue(1); }});
		state(s);
		const r = s.getReader();
		state(s);
		await r.read();
		state(s);
		r.releaseLock();
		state(s);
		const t = new ReadableStream();
		await t.cancel();
		state(t);
		state({});
		return "done";`); s != "done" {
		t.Fatal(s)
	}
	want := []string{"false false true", "false true true", "true true true", "true false true", "true false true", "false false false"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
