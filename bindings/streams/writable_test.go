package streams

import "testing"

// sinkJS defines recordingSink(log): an underlying sink that logs what happens and
// writes slowly (each write settles in a timer task).
const sinkJS = `function recordingSink(log, opts = {}) {
	return {
		start(c) { log.push("start"); },
		write(chunk, c) { log.push("write:" + chunk); return opts.sync ? undefined : new Promise(r => setTimeout(r, 0)); },
		close() { log.push("close"); },
		abort(reason) { log.push("abort:" + reason); },
	};
}
`

func TestWritableStream(t *testing.T) {
	runCases(t, []jsCase{
		{"write and close", sinkJS + `const log = []; const ws = new WritableStream(recordingSink(log));
			const w = ws.getWriter(); await w.write("a"); await w.write("b"); await w.close(); await w.closed;
			return log.join() + " " + ws.locked`, "start,write:a,write:b,close true"},
		{"writes are sequential", sinkJS + `const log = []; const ws = new WritableStream(recordingSink(log));
			const w = ws.getWriter(); const ps = [w.write(1), w.write(2), w.write(3)]; log.push("queued");
			await Promise.all(ps); return log.join()`, "start,queued,write:1,write:2,write:3"},
		{"backpressure and ready", sinkJS + `const log = []; const ws = new WritableStream(recordingSink(log), { highWaterMark: 2 });
			const w = ws.getWriter(); await w.ready; const d0 = w.desiredSize;
			w.write("a"); const d1 = w.desiredSize; w.write("b"); const d2 = w.desiredSize;
			let ready = false; w.ready.then(() => ready = true);
			await Promise.resolve(); const before = ready;
			await new Promise(r => setTimeout(r, 10));
			return [d0, d1, d2, before, ready, w.desiredSize].join()`, "2,1,0,false,true,2"},
		{"size function", `const ws = new WritableStream({}, { highWaterMark: 10, size(c) { return c.length } });
			const w = ws.getWriter(); w.write("abcd"); return w.desiredSize`, "6"},
		{"byte length strategy", `const s = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
			const ws = new WritableStream({ write() { return new Promise(() => {}) } }, s);
			const w = ws.getWriter(); w.write(new Uint8Array(5)); await Promise.resolve(); w.write(new Uint8Array(3));
			return s.highWaterMark + " " + s.size(new ArrayBuffer(7)) + " " + w.desiredSize`, "16 7 8"},
		{"count strategy", `const s = new CountQueuingStrategy({ highWaterMark: 4 });
			return s.highWaterMark + " " + s.size() + " " + s.size.name + " " + (s.size === new CountQueuingStrategy({highWaterMark: 1}).size)`, "4 1 size true"},
		{"strategy needs highWaterMark", `try { new CountQueuingStrategy({}); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"write rejection errors the stream", `const ws = new WritableStream({ write() { throw "bad" } });
			const w = ws.getWriter(); const e1 = await w.write(1).catch(e => e); const e2 = await w.closed.catch(e => e);
			const e3 = await w.write(2).catch(e => e); return [e1, e2, e3, w.desiredSize].join()`, "bad,bad,bad,"},
		{"abort", sinkJS + `const log = []; const ws = new WritableStream(recordingSink(log));
			const w = ws.getWriter(); await w.ready; const p = w.write("x"); const a = w.abort("why");
			const e = await p.then(() => "written", e => "rejected " + e); await a;
			return log.join() + " | " + e + " | " + await w.closed.catch(e => e)`, "start,write:x,abort:why | written | why"},
		{"abort signal", `let signal; const ws = new WritableStream({ start(c) { signal = c.signal } });
			const before = signal.aborted; await ws.abort("r");
			return before + " " + signal.aborted + " " + signal.reason`, "false true r"},
		{"abort locked", `const ws = new WritableStream(); ws.getWriter(); return await ws.abort().catch(e => e.name)`, "TypeError"},
		{"close locked", `const ws = new WritableStream(); ws.getWriter(); return await ws.close().catch(e => e.name)`, "TypeError"},
		{"close twice", `const ws = new WritableStream(); const w = ws.getWriter(); w.close();
			return await w.close().catch(e => e.name)`, "TypeError"},
		{"write after close", `const ws = new WritableStream(); const w = ws.getWriter(); w.close();
			return await w.write(1).catch(e => e.name)`, "TypeError"},
		{"close rejection", `const ws = new WritableStream({ close() { return Promise.reject("cx") } });
			const w = ws.getWriter(); return await w.close().catch(e => "rejected " + e) + " " + await w.closed.catch(e => e)`, "rejected cx cx"},
		{"controller error", `let ctrl; const ws = new WritableStream({ start(c) { ctrl = c } });
			const w = ws.getWriter(); ctrl.error("E"); return await w.ready.catch(e => e) + await w.closed.catch(e => e) + w.desiredSize`, "EEnull"},
		{"release writer", `const ws = new WritableStream(); const w = ws.getWriter(); const closed = w.closed; w.releaseLock();
			const r = [await closed.catch(e => e.name), await w.write(1).catch(e => e.name), ws.locked];
			try { w.desiredSize } catch (e) { r.push(e.name) }
			return r.join()`, "TypeError,TypeError,false,TypeError"},
		{"writer constructor and lock", `const ws = new WritableStream(); new WritableStreamDefaultWriter(ws);
			try { ws.getWriter(); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"start promise delays writes", `const log = []; let go;
			const ws = new WritableStream({ start() { return new Promise(r => go = r) }, write(c) { log.push(c) } });
			const w = ws.getWriter(); const p = w.write("a"); await Promise.resolve(); log.push("before");
			go(); await p; return log.join()`, "before,a"},
		{"type throws", `try { new WritableStream({type: "bytes"}); return "no" } catch (e) { return e.name }`, "RangeError"},
		{"closed stream writer", `const ws = new WritableStream(); await ws.close(); const w = ws.getWriter();
			await w.closed; await w.ready; return w.desiredSize`, "0"},
	})
}

func TestTransformAndPipe(t *testing.T) {
	runCases(t, []jsCase{
		{"identity transform", `const ts = new TransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader();
			w.write("a"); w.write("b"); w.close();
			const out = []; for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value) }
			return out.join()`, "a,b"},
		{"transform and flush", `const ts = new TransformStream({
				transform(chunk, c) { c.enqueue(chunk.toUpperCase()); c.enqueue(chunk) },
				flush(c) { c.enqueue("end") } });
			const w = ts.writable.getWriter(); w.write("x"); w.close();
			const r = ts.readable.getReader(); const out = [];
			for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value) }
			return out.join()`, "X,x,end"},
		{"transform error", `const ts = new TransformStream({ transform() { throw "t" } });
			const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const read = r.read();
			return await w.write(1).catch(e => e) + await read.catch(e => e) + await r.closed.catch(e => e)`, "ttt"},
		{"terminate", `const ts = new TransformStream({ start(c) { c.enqueue(1); c.terminate() } });
			const r = ts.readable.getReader(); const a = await r.read(); const b = await r.read();
			return a.value + " " + b.done + " " + await ts.writable.getWriter().closed.catch(e => e.name)`, "1 true TypeError"},
		{"same sides", `const ts = new TransformStream(); return (ts.readable === ts.readable) + " " + (ts.writable === ts.writable)`, "true true"},
		{"readableType", `try { new TransformStream({readableType: "bytes"}); return "no" } catch (e) { return e.name }`, "RangeError"},
		{"pipeTo", sinkJS + `const log = []; const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close() } });
			const ws = new WritableStream(recordingSink(log));
			await rs.pipeTo(ws); return log.join() + " " + rs.locked + " " + ws.locked`, "start,write:1,write:2,close false false"},
		{"pipeTo preventClose", sinkJS + `const log = []; const rs = new ReadableStream({ start(c) { c.enqueue(1); c.close() } });
			const ws = new WritableStream(recordingSink(log));
			await rs.pipeTo(ws, { preventClose: true }); return log.join()`, "start,write:1"},
		{"pipeTo propagates errors forward", sinkJS + `const log = []; const rs = new ReadableStream({ start(c) { c.error("E") } });
			const ws = new WritableStream(recordingSink(log));
			const e = await rs.pipeTo(ws).catch(e => e); return e + " " + log.join()`, "E start,abort:E"},
		{"pipeTo propagates errors backward", `let why; const rs = new ReadableStream({ cancel(r) { why = r } });
			const ws = new WritableStream({ start(c) { c.error("W") } });
			const e = await rs.pipeTo(ws).catch(e => e); return e + " " + why`, "W W"},
		{"pipeTo a closed destination", `let why; const rs = new ReadableStream({ cancel(r) { why = r } });
			const ws = new WritableStream(); await ws.close();
			const e = await rs.pipeTo(ws).catch(e => e.name); return e + " " + (why instanceof TypeError)`, "TypeError true"},
		{"pipeTo locked", `const rs = new ReadableStream(); rs.getReader(); return await rs.pipeTo(new WritableStream()).catch(e => e.name)`, "TypeError"},
		{"pipeTo bad destination", `return await new ReadableStream().pipeTo({}).catch(e => e.name)`, "TypeError"},
		{"pipeTo signal", `const ac = new AbortController(); let why;
			const rs = new ReadableStream({ cancel(r) { why = r } }); const ws = new WritableStream();
			const p = rs.pipeTo(ws, { signal: ac.signal }); ac.abort("stop");
			return await p.catch(e => e) + " " + why`, "stop stop"},
		{"pipeTo aborted signal", `const ac = new AbortController(); ac.abort();
			const e = await new ReadableStream().pipeTo(new WritableStream(), { signal: ac.signal }).catch(e => e.name); return e`, "AbortError"},
		{"pipeThrough", `const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.close() } });
			const out = rs.pipeThrough(new TransformStream({ transform(ch, c) { c.enqueue(ch + ch) } }));
			const r = out.getReader(); return (await r.read()).value + " " + (await r.read()).done`, "aa true"},
		{"pipeThrough locked", `const rs = new ReadableStream(); rs.getReader();
			try { rs.pipeThrough(new TransformStream()); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"pipe backpressure", `let pulls = 0; const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls) } }, { highWaterMark: 0 });
			const ws = new WritableStream({ write() { return new Promise(() => {}) } });
			rs.pipeTo(ws); await new Promise(r => setTimeout(r, 20));
			return pulls < 5`, "true"},
	})
}
