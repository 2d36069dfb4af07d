package streams

import "testing"

func TestReadableByteStream(t *testing.T) {
	runCases(t, []jsCase{
		{"default reader gets Uint8Arrays", `
			const rs = new ReadableStream({type: "bytes", start(c) { c.enqueue(new Uint16Array([1, 2])); c.close(); }});
			const r = rs.getReader();
			const a = await r.read(), b = await r.read();
			return [a.value.constructor.name, a.value.byteLength, b.done].join();`, "Uint8Array,4,true"},
		{"enqueue detaches the chunk's buffer", `
			let ctrl;
			new ReadableStream({type: "bytes", start(c) { ctrl = c; }});
			const chunk = new Uint8Array(8);
			ctrl.enqueue(chunk);
			return [chunk.byteLength, chunk.buffer.byteLength].join();`, "0,0"},
		{"byob read fills the view and returns its memory", `
			const rs = new ReadableStream({type: "bytes", pull(c) {
				const v = c.byobRequest.view;
				v[0] = 7; v[1] = 9;
				c.byobRequest.respond(2);
			}});
			const r = rs.getReader({mode: "byob"});
			const view = new Uint8Array(4);
			const {value, done} = await r.read(view);
			return [view.byteLength, value.byteLength, value.buffer.byteLength, value[0], value[1], done].join();`, "0,2,4,7,9,false"},
		{"byob read with min waits for enough elements", `
			let n = 0;
			const rs = new ReadableStream({type: "bytes", pull(c) {
				c.enqueue(new Uint8Array([++n]));
			}});
			const r = rs.getReader({mode: "byob"});
			const {value} = await r.read(new Uint8Array(3), {min: 3});
			return Array.from(value).join();`, "1,2,3"},
		{"odd bytes stay queued for a typed array of wider elements", `
			const rs = new ReadableStream({type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 0, 2])); c.close(); }});
			const r = rs.getReader({mode: "byob"});
			const a = await r.read(new Uint16Array(2));
			const b = await r.read(new Uint8Array(2));
			return [a.value.length, a.value[0], b.value.length, b.value[0]].join();`, "1,1,1,2"},
		{"autoAllocateChunkSize gives a default read a byobRequest", `
			const rs = new ReadableStream({type: "bytes", autoAllocateChunkSize: 16, pull(c) {
				c.byobRequest.view[0] = 5;
				c.byobRequest.respond(1);
			}});
			const {value} = await rs.getReader().read();
			return [value.length, value.buffer.byteLength, value[0]].join();`, "1,16,5"},
		{"autoAllocateChunkSize 0", `try { new ReadableStream({type: "bytes", autoAllocateChunkSize: 0}); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"byob reader of a default stream", `try { new ReadableStream().getReader({mode: "byob"}); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"cancel ends byob reads with undefined", `
			const rs = new ReadableStream({type: "bytes"});
			const r = rs.getReader({mode: "byob"});
			const p = r.read(new Uint8Array(1));
			await r.cancel();
			const {value, done} = await p;
			return [value, done].join();`, ",true"},
		{"tee clones the chunks", `
			const rs = new ReadableStream({type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); }});
			const [a, b] = rs.tee();
			const x = (await a.getReader().read()).value, y = (await b.getReader({mode: "byob"}).read(new Uint8Array(4))).value;
			return [x.buffer === y.buffer, Array.from(x).join("-"), Array.from(y).join("-")].join();`, "false,1-2,1-2"},
		{"read of a zero-length view", `
			const r = new ReadableStream({type: "bytes"}).getReader({mode: "byob"});
			try { await r.read(new Uint8Array(0)); return "no" } catch (e) { return e.name }`, "TypeError"},
	})
}
