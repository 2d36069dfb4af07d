package streams

import (
	"testing"

	"github.com/wsjs/wsjs/bindings/messaging"
)

// Streams posted through a MessageChannel arrive as streams of the receiving side
// of a cross-realm transform (here in the same realm), and the originals are
// locked by the pipe between them and the cross-realm transform.
func TestTransfer(t *testing.T) {
	cases := []jsCase{
		{"readable", `
			const {port1, port2} = new MessageChannel();
			const rs = new ReadableStream({start(c) { c.enqueue("a"); c.close(); }});
			const got = new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data) });
			port1.postMessage(rs, [rs]);
			const locked = rs.locked;
			const r = (await got).getReader();
			const a = await r.read(), b = await r.read();
			return [locked, a.value, b.done].join();`, "true,a,true"},
		{"writable", `
			const {port1, port2} = new MessageChannel();
			const chunks = [];
			let closed;
			const done = new Promise((resolve) => { closed = resolve });
			const ws = new WritableStream({write(c) { chunks.push(c) }, close() { closed() }});
			const got = new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data) });
			port1.postMessage(ws, [ws]);
			const locked = ws.locked;
			const w = (await got).getWriter();
			await w.write("x");
			await w.close();
			await done;
			return [locked, chunks.join()].join();`, "true,x"},
		{"chunks enqueued after the transfer", `
			const {port1, port2} = new MessageChannel();
			let c;
			const rs = new ReadableStream({start(controller) { c = controller }});
			const got = new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data) });
			port1.postMessage(rs, [rs]);
			const r = (await got).getReader();
			for (let i = 0; i < 3; ++i) c.enqueue(i);
			c.close();
			const seen = [];
			for (let x = await r.read(); !x.done; x = await r.read()) seen.push(x.value);
			return seen.join();`, "0,1,2"},
		{"locked", `
			const {port1} = new MessageChannel();
			const rs = new ReadableStream();
			rs.getReader();
			try { port1.postMessage(rs, [rs]); return "no" } catch (e) { return e.name }`, "DataCloneError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnvWith(t, messaging.Binding)
			if got := e.run(t, c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
