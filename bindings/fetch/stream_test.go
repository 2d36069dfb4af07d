package fetch

import "testing"

// readStream is a script fragment: readStream(s) reads a stream of
// Uint8Arrays to the end and returns the chunks' total length and count.
const readStream = `async function readStream(s) {
	const r = s.getReader(); let n = 0, chunks = 0;
	for (;;) { const {done, value} = await r.read(); if (done) return n + "/" + chunks; n += value.length; chunks++; }
}
`

func TestBodyStreams(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, srv.URL+"/", Options{})
	e.runCases(t, []jsCase{
		// A response's body is a ReadableStream of Uint8Arrays, the same each time.
		{readStream + `const r = await fetch("/text"); const s = r.body; return [s instanceof ReadableStream, s === r.body, r.bodyUsed, await readStream(s), r.bodyUsed].join()`,
			"true,true,false,5/1,true"},
		{readStream + `const r = await fetch("/big"); return [(await readStream(r.body)).split("/")[0], r.bodyUsed].join()`, "200000,true"},
		// A locked or disturbed body cannot be consumed.
		{`const r = await fetch("/text"); r.body.getReader(); return [r.bodyUsed, await rejection(r.text()), throwsName(() => r.clone())].join()`, "false,TypeError,TypeError"},
		{`const r = await fetch("/text"); await r.text(); return [r.body.locked, r.bodyUsed].join()`, "true,true"},
		// Consuming through a stream that exists.
		{`const r = await fetch("/text"); r.body; return await r.text()`, "hello"},
		{`const r = new Response("x"); const u = await r.body.getReader().read(); return [u.value.constructor.name, u.value.join(), await rejection(r.text())].join()`, "Uint8Array,120,TypeError"},
		{readStream + `return await readStream(new Response(new Blob(["blob"])).body)`, "4/1"},
		{readStream + `return await readStream(new Response("").body)`, "0/0"},
		// Clones of a body with a stream are teed.
		{`const r = await fetch("/text"); r.body; const c = r.clone(); return [await c.text(), await r.text()].join()`, "hello,hello"},
		{readStream + `const r = await fetch("/big"); const c = r.clone(); return [(await readStream(c.body)).split("/")[0], (await r.text()).length].join()`, "200000,200000"},
		// Streams as BodyInit.
		{`const s = new ReadableStream({start(c) { c.enqueue(new Uint8Array([104, 105])); c.close(); }}); const r = new Response(s);
		  return [r.body === s, String(r.headers.get("content-type")), r.bodyUsed, await r.text(), r.bodyUsed].join()`, "true,null,false,hi,true"},
		{`const s = new ReadableStream(); s.getReader(); return throwsName(() => new Response(s))`, "TypeError"},
		{`const s = new ReadableStream({pull(c) { c.enqueue(new Uint8Array(1)); }}); await s.getReader().read().then(() => {}); return throwsName(() => new Response(s))`, "TypeError"},
		{`const s = new ReadableStream({start(c) { c.enqueue("not bytes"); c.close(); }}); return await rejection(new Response(s).text())`, "TypeError"},
		{`const s = new ReadableStream({start(c) { c.error(new RangeError("r")); }}); return await rejection(new Response(s).arrayBuffer())`, "RangeError"},
		{`const s = new ReadableStream({start(c) { c.enqueue(new Uint8Array([97])); c.close(); }}); const r = new Response(s); const c = r.clone(); return [await r.text(), await c.text()].join()`, "a,a"},
		// A request with a stream body needs duplex and a CORS mode, and fetch() does not send it.
		{`return throwsName(() => new Request("/echo", {method: "POST", body: new ReadableStream()}))`, "TypeError"},
		{`return throwsName(() => new Request("/echo", {method: "POST", body: new ReadableStream(), duplex: "half", mode: "no-cors"}))`, "TypeError"},
		{`const q = new Request("/echo", {method: "POST", body: new ReadableStream(), duplex: "half"}); return [q.body instanceof ReadableStream, await rejection(fetch(q))].join()`, "true,TypeError"},
		{`return throwsName(() => new Request("/echo", {method: "POST", body: new ReadableStream(), duplex: "half", keepalive: true}))`, "TypeError"},
		// A new Request takes the input's stream over.
		{`const s = new ReadableStream({start(c) { c.enqueue(new Uint8Array([122])); c.close(); }}); const a = new Request("/echo", {method: "POST", body: s, duplex: "half"});
		  const q = new Request(a); return [s.locked, q.body !== s, await q.text()].join()`, "true,true,z"},
		{`const a = new Request("/echo", {method: "POST", body: "x"}); a.body; const q = new Request(a); return [a.bodyUsed, a.body.locked, await q.text()].join()`, "true,true,x"},
		// Reading a network body as it arrives, then aborting.
		{`const c = new AbortController(); const r = await fetch("/slowbody", {signal: c.signal}); const rd = r.body.getReader();
		  const first = String.fromCharCode(...(await rd.read()).value); c.abort(); return [first, await rejection(rd.read())].join()`, "partial,AbortError"},
		// Cancelling a network body's stream ends the fetch.
		{`const r = await fetch("/slowbody"); const rd = r.body.getReader(); await rd.read(); await rd.cancel(); return "cancelled"`, "cancelled"},
	})
}

func TestBodyWithoutStreams(t *testing.T) {
	e := newTestEnvParts(t, "https://example.com/", Options{}, envParts{blobURLs: true})
	e.runCases(t, []jsCase{
		{`return [new Response("x").body, new Request("x", {method: "POST", body: "y"}).body].join() + typeof ReadableStream`, ",undefined"},
		{`return await new Response("x").text()`, "x"},
	})
}
