package streams

import (
	"testing"

	"github.com/wsjs/wsjs/webidl/webidltest"
)

// describeJS defines describe(obj, key), shared with the other packages' tests.
const describeJS = webidltest.Describe

func TestInterfaces(t *testing.T) {
	runCases(t, []jsCase{
		{"globals", describeJS + `return ["ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamDefaultController",
			"WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController", "TransformStream",
			"TransformStreamDefaultController", "ByteLengthQueuingStrategy", "CountQueuingStrategy"].map(n => describe(globalThis, n)).join(";")`,
			"value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable;value,writable,configurable"},
		{"lengths", `return [ReadableStream.length, ReadableStreamDefaultReader.length, WritableStream.length,
			WritableStreamDefaultWriter.length, TransformStream.length, CountQueuingStrategy.length,
			ReadableStream.from.length, ReadableStream.prototype.pipeTo.length, ReadableStream.prototype.pipeThrough.length].join()`,
			"0,1,0,1,0,1,1,1,1"},
		{"members", describeJS + `return [describe(ReadableStream.prototype, "locked"), describe(ReadableStream.prototype, "getReader"),
			describe(ReadableStream.prototype, "values"), describe(ReadableStream.prototype, Symbol.asyncIterator),
			describe(ReadableStream, "from"), describe(ReadableStreamDefaultReader.prototype, "closed"),
			describe(WritableStreamDefaultWriter.prototype, "ready")].join(";")`,
			"get,enumerable,configurable;value,writable,enumerable,configurable;value,writable,enumerable,configurable;value,writable,configurable;value,writable,enumerable,configurable;get,enumerable,configurable;get,enumerable,configurable"},
		{"async iterator symbol", describeJS + `return typeof Symbol.asyncIterator + " " + describe(Symbol, "asyncIterator") + " " + (ReadableStream.prototype[Symbol.asyncIterator] === ReadableStream.prototype.values)`,
			"symbol value true"},
		{"to string tags", `const rs = new ReadableStream(); const it = rs.values();
			return [String(rs), String(rs.getReader === undefined), Object.prototype.toString.call(it),
				String(new WritableStream()), String(new CountQueuingStrategy({highWaterMark: 1}))].join()`,
			"[object ReadableStream],false,[object ReadableStream AsyncIterator],[object WritableStream],[object CountQueuingStrategy]"},
		{"illegal constructors", `const r = [];
			for (const C of [ReadableStreamDefaultController, WritableStreamDefaultController, TransformStreamDefaultController]) {
				try { new C(); r.push("no") } catch (e) { r.push(e instanceof TypeError) } }
			try { ReadableStream() } catch (e) { r.push(e instanceof TypeError) }
			return r.join()`, "true,true,true,true"},
		{"brand checks reject promises", `const r = [];
			await ReadableStream.prototype.cancel.call({}).catch(e => r.push(e instanceof TypeError));
			await ReadableStreamDefaultReader.prototype.read.call(undefined).catch(e => r.push(e instanceof TypeError));
			await Object.getOwnPropertyDescriptor(ReadableStreamDefaultReader.prototype, "closed").get.call({}).catch(e => r.push(e instanceof TypeError));
			await WritableStreamDefaultWriter.prototype.write.call(1).catch(e => r.push(e instanceof TypeError));
			try { ReadableStream.prototype.getReader.call({}) } catch (e) { r.push("throws " + (e instanceof TypeError)) }
			return r.join()`, "true,true,true,true,throws true"},
	})
}

func TestReadableStream(t *testing.T) {
	runCases(t, []jsCase{
		{"enqueue then read", `const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); } });
			const r = rs.getReader(); const out = [];
			for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value); }
			await r.closed; return out.join() + " " + rs.locked`, "a,b true"},
		{"read result shape", `const rs = new ReadableStream({ start(c) { c.enqueue(1); } });
			const res = await rs.getReader().read();
			return Object.keys(res).join() + " " + (Object.getPrototypeOf(res) === Object.prototype)`, "value,done true"},
		{"pull on demand", `let pulls = 0;
			const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); if (pulls === 3) c.close(); } }, { highWaterMark: 0 });
			await Promise.resolve(); const before = pulls;
			const r = rs.getReader(); const out = [];
			for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value); }
			return before + ":" + out.join()`, "0:1,2,3"},
		{"pull fills to the high water mark", `let pulls = 0;
			const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue("x"); } }, new CountQueuingStrategy({ highWaterMark: 3 }));
			await new Promise(r => setTimeout(r, 0));
			return pulls`, "3"},
		{"desiredSize", `let ctrl; const rs = new ReadableStream({ start(c) { ctrl = c } }, { highWaterMark: 2, size(ch) { return ch.length } });
			const a = ctrl.desiredSize; ctrl.enqueue("abc"); const b = ctrl.desiredSize;
			ctrl.close(); const c = ctrl.desiredSize;
			const r = rs.getReader(); await r.read(); return [a, b, c, ctrl.desiredSize].join()`, "2,-1,-1,0"},
		{"error rejects reads", `let ctrl; const rs = new ReadableStream({ start(c) { ctrl = c } });
			const r = rs.getReader(); const p = r.read(); const boom = new Error("boom"); ctrl.error(boom);
			const e1 = await p.catch(e => e); const e2 = await r.closed.catch(e => e);
			return (e1 === boom) + " " + (e2 === boom) + " " + (ctrl.desiredSize === null)`, "true true true"},
		{"start rejection errors the stream", `const rs = new ReadableStream({ start() { return Promise.reject("no") } });
			return await rs.getReader().read().catch(e => "rejected " + e)`, "rejected no"},
		{"start throwing throws", `try { new ReadableStream({ start() { throw new RangeError("x") } }); return "no" } catch (e) { return e.name }`, "RangeError"},
		{"pull rejection", `const rs = new ReadableStream({ pull() { throw "bad" } });
			return await rs.getReader().read().catch(e => "rejected " + e)`, "rejected bad"},
		{"cancel", `let why; const rs = new ReadableStream({ start(c) { c.enqueue(1) }, cancel(r) { why = r; return "ignored" } });
			const v = await rs.cancel("reason"); const {done} = await rs.getReader().read();
			return why + " " + v + " " + done`, "reason undefined true"},
		{"cancel locked rejects", `const rs = new ReadableStream(); rs.getReader();
			return await rs.cancel().catch(e => e.name)`, "TypeError"},
		{"cancel rejection", `const rs = new ReadableStream({ cancel() { return Promise.reject("nope") } });
			return await rs.cancel().catch(e => "rejected " + e)`, "rejected nope"},
		{"reader cancel", `const rs = new ReadableStream(); const r = rs.getReader();
			await r.cancel("x"); return (await r.read()).done`, "true"},
		{"release lock", `const rs = new ReadableStream({ start(c) { c.enqueue("q1"); c.enqueue("q2") } });
			const r1 = rs.getReader(); const first = await r1.read();
			const closed1 = r1.closed;
			r1.releaseLock();
			const a = await closed1.catch(e => e.name);
			const r2 = rs.getReader(); const second = await r2.read();
			return a + " " + first.value + " " + second.value + " " + (await r1.read().catch(e => e.name))`,
			"TypeError q1 q2 TypeError"},
		{"release with pending read", `const rs = new ReadableStream(); const r = rs.getReader(); const p = r.read();
			r.releaseLock(); return await p.catch(e => e.name)`, "TypeError"},
		{"locked reader", `const rs = new ReadableStream(); rs.getReader();
			try { rs.getReader(); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"reader constructor", `const rs = new ReadableStream(); const r = new ReadableStreamDefaultReader(rs);
			return rs.locked + " " + (r instanceof ReadableStreamDefaultReader)`, "true true"},
		{"byob mode", `const rs = new ReadableStream(); try { rs.getReader({mode: "byob"}); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"bad mode", `const rs = new ReadableStream(); try { rs.getReader({mode: "nope"}); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"byte stream size function", `try { new ReadableStream({type: "bytes"}, {size() { return 1 }}); return "no" } catch (e) { return e.name }`, "RangeError"},
		{"bad type", `try { new ReadableStream({type: "other"}); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"null source", `try { new ReadableStream(null); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"negative high water mark", `try { new ReadableStream({}, {highWaterMark: -1}); return "no" } catch (e) { return e.name }`, "RangeError"},
		{"NaN high water mark", `try { new ReadableStream({}, {highWaterMark: NaN}); return "no" } catch (e) { return e.name }`, "RangeError"},
		{"strategy before source", `const log = [];
			new ReadableStream({ get start() { log.push("start") }, get pull() { log.push("pull") } },
				{ get highWaterMark() { log.push("hwm"); return 1 }, get size() { log.push("size") } });
			return log.join()`, "hwm,size,pull,start"},
		{"size throwing errors the stream", `let ctrl; const rs = new ReadableStream({ start(c) { ctrl = c } }, { size() { throw "sz" } });
			try { ctrl.enqueue(1) } catch (e) { var thrown = e }
			return thrown + " " + await rs.getReader().closed.catch(e => e)`, "sz sz"},
		{"bad size", `let ctrl; const rs = new ReadableStream({ start(c) { ctrl = c } }, { size() { return -1 } });
			try { ctrl.enqueue(1) } catch (e) { return e.name }`, "RangeError"},
		{"enqueue after close", `let ctrl; new ReadableStream({ start(c) { ctrl = c } }); ctrl.close();
			try { ctrl.enqueue(1); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"close twice", `let ctrl; new ReadableStream({ start(c) { ctrl = c } }); ctrl.close();
			try { ctrl.close(); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"pull not reentrant", `let pulls = 0, resolvePull;
			const rs = new ReadableStream({ pull(c) { pulls++; return new Promise(r => resolvePull = () => { c.enqueue(pulls); r() }) } }, {highWaterMark: 0});
			const r = rs.getReader(); const a = r.read(), b = r.read();
			await new Promise(r => setTimeout(r, 0)); const first = pulls;
			resolvePull(); await a; await new Promise(r => setTimeout(r, 0));
			resolvePull(); await b; return first + " " + pulls`, "1 2"},
	})
}

func TestTeeAndFrom(t *testing.T) {
	runCases(t, []jsCase{
		{"tee", `const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close() } });
			const [b1, b2] = rs.tee();
			const all = async s => { const r = s.getReader(), out = []; for (;;) { const {value, done} = await r.read(); if (done) return out.join(""); out.push(value) } };
			return rs.locked + " " + await all(b1) + " " + await all(b2)`, "true ab ab"},
		{"tee same chunk", `const o = {}; const rs = new ReadableStream({ start(c) { c.enqueue(o) } });
			const [b1, b2] = rs.tee();
			return ((await b1.getReader().read()).value === (await b2.getReader().read()).value) + ""`, "true"},
		{"tee cancel both", `let reason; const rs = new ReadableStream({ cancel(r) { reason = r } });
			const [b1, b2] = rs.tee(); const p1 = b1.cancel("x"); await Promise.resolve();
			const before = reason === undefined; await b2.cancel("y"); await p1;
			return before + " " + JSON.stringify(reason)`, `true ["x","y"]`},
		{"tee error", `let ctrl; const rs = new ReadableStream({ start(c) { ctrl = c } });
			const [b1, b2] = rs.tee(); ctrl.error("e");
			return await b1.getReader().read().catch(e => e) + await b2.getReader().closed.catch(e => e)`, "ee"},
		{"from array", `const rs = ReadableStream.from([1, 2, 3]); const r = rs.getReader(); const out = [];
			for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value) }
			return out.join()`, "1,2,3"},
		{"from async iterable", `const it = { [Symbol.asyncIterator]() { let i = 0; return { next() { i++; return Promise.resolve(i > 2 ? {done: true} : {value: i, done: false}) } } } };
			const r = ReadableStream.from(it).getReader(); const out = [];
			for (;;) { const {value, done} = await r.read(); if (done) break; out.push(value) }
			return out.join()`, "1,2"},
		{"from promises in a sync iterable", `const r = ReadableStream.from([Promise.resolve("p"), "q"]).getReader();
			return (await r.read()).value + (await r.read()).value`, "pq"},
		{"from non-iterable", `try { ReadableStream.from(5); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"from cancel calls return", `let returned; const it = { [Symbol.iterator]() { return { next() { return {value: 1, done: false} }, return(v) { returned = v; return {done: true} } } } };
			await ReadableStream.from(it).cancel("why"); return returned`, "why"},
		{"from next throwing", `const it = { [Symbol.iterator]() { return { next() { throw "boom" } } } };
			return await ReadableStream.from(it).getReader().read().catch(e => "rejected " + e)`, "rejected boom"},
	})
}

func TestAsyncIteration(t *testing.T) {
	runCases(t, []jsCase{
		{"next until done", `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close() } });
			const it = rs[Symbol.asyncIterator](); const out = [];
			for (;;) { const r = await it.next(); if (r.done) break; out.push(r.value) }
			return out.join() + " " + rs.locked + " " + JSON.stringify(await it.next())`, `1,2 false {"done":true}`},
		{"next calls are queued", `let ctrl; const rs = new ReadableStream({ start(c) { ctrl = c } });
			const it = rs.values(); const a = it.next(), b = it.next();
			ctrl.enqueue("x"); ctrl.enqueue("y");
			return (await a).value + (await b).value`, "xy"},
		{"return cancels", `let why; const rs = new ReadableStream({ cancel(r) { why = r } });
			const it = rs.values(); const res = await it.return("stop");
			return JSON.stringify(res) + " " + why + " " + rs.locked`, `{"value":"stop","done":true} stop false`},
		{"return with preventCancel", `let canceled = false; const rs = new ReadableStream({ cancel() { canceled = true } });
			const it = rs.values({preventCancel: true}); await it.return();
			return canceled + " " + rs.locked`, "false false"},
		{"error rejects next", `const rs = new ReadableStream({ start(c) { c.error("bad") } });
			const it = rs.values(); const e = await it.next().catch(e => e);
			return e + " " + JSON.stringify(await it.next())`, `bad {"done":true}`},
		{"locked stream", `const rs = new ReadableStream(); rs.getReader();
			try { rs.values(); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"next on a foreign object", `const it = new ReadableStream().values();
			return await Object.getPrototypeOf(it).next.call({}).catch(e => e.name)`, "TypeError"},
		{"iterator prototype chain", `const it = new ReadableStream().values(); const proto = Object.getPrototypeOf(it);
			return (Object.getPrototypeOf(proto)[Symbol.asyncIterator].call(it) === it) + " " + Object.keys(proto).join()`, "true next,return"},
	})
}
