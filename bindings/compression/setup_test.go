package compression

import (
	"bytes"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a runtime with an event loop, the built-ins (for SharedArrayBuffer),
// this package's interfaces, and a log of uncaught errors and unhandled
// rejections.
type env struct {
	vm       *goja.Runtime
	loop     *eventloop.Loop
	realm    *webidl.Realm
	reported jstest.Reported
}

func newEnv(t testing.TB, budget *bindings.Budget) *env {
	t.Helper()
	e := &env{}
	be := jstest.New(t, jstest.Options{Loop: e.reported.LoopOptions()})
	e.vm, e.loop, e.realm = be.Loop.VM(), be.Loop, be.Realm
	be.Cluster.Memory = budget
	jstest.Install(t, be, builtins.Binding, encoding.Binding, Binding)
	// Helpers too slow to write in script under the race detector.
	e.vm.Set("randomBytes", func(n int) goja.Value {
		p := randomBytes(n)
		u8, err := e.vm.New(e.vm.Get("Uint8Array"), e.vm.ToValue(e.vm.NewArrayBuffer(p)))
		if err != nil {
			panic(err)
		}
		return u8
	})
	e.vm.Set("equalBytes", func(a, b goja.Value) bool {
		return bytes.Equal(e.realm.BufferSourceBytes(a), e.realm.BufferSourceBytes(b))
	})
	return e
}

// helpers are functions the scripts of the tests share.
const helpers = `
async function readAll(rs) {
	const r = rs.getReader(), out = [];
	for (;;) {
		const {value, done} = await r.read();
		if (done) break;
		if (!(value instanceof Uint8Array)) throw new Error("chunk is not a Uint8Array");
		out.push(value);
	}
	const all = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
	let off = 0;
	for (const c of out) { all.set(c, off); off += c.length; }
	return all;
}
async function through(stream, ...chunks) {
	const w = stream.writable.getWriter();
	const done = Promise.all([...chunks.map(c => w.write(c)), w.close()]);
	const out = await readAll(stream.readable);
	await done;
	return out;
}
const text = s => new TextEncoder().encode(s);
const str = a => new TextDecoder().decode(a);
const describe = e => e.name + ": " + e.message;
`

// run runs src, the body of an async function, on the loop and returns the
// string its promise fulfills with, or "rejected: <name>: <message>".
func (e *env) run(t testing.TB, src string) string {
	t.Helper()
	return jstest.Script{Prelude: helpers, Timeout: 60 * time.Second}.Await(t, e.loop, src)
}

// jsCase is a script and the result it must give.
type jsCase struct {
	name string
	src  string
	want string
}

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			if got := e.run(t, c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			e.reported.Check(t)
		})
	}
}
