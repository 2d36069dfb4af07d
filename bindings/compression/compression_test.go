package compression

import (
	"bytes"
	"testing"

	"github.com/wsjs/wsjs/bindings"
)

func TestInterfaces(t *testing.T) {
	runCases(t, []jsCase{
		{"shape", `
			const out = [];
			for (const I of [CompressionStream, DecompressionStream]) {
				const s = new I("gzip");
				out.push(I.name, I.length, Object.getOwnPropertyNames(I.prototype).join(),
					s.readable instanceof ReadableStream, s.writable instanceof WritableStream,
					s.readable === s.readable, String(s));
			}
			return out.join()`,
			"CompressionStream,1,constructor,readable,writable,true,true,true,[object CompressionStream]," +
				"DecompressionStream,1,constructor,readable,writable,true,true,true,[object DecompressionStream]"},
		{"bad format", `
			const out = [];
			for (const f of ["a", "br", "GZIP", "deflate "]) {
				try { new CompressionStream(f); out.push("ok") } catch (e) { out.push(e.name) }
				try { new DecompressionStream(f); out.push("ok") } catch (e) { out.push(e.name) }
			}
			return out.join()`, "TypeError,TypeError,TypeError,TypeError,TypeError,TypeError,TypeError,TypeError"},
		{"no argument", `try { new CompressionStream() } catch (e) { return e.name }`, "TypeError"},
		{"format converted with ToString", `try { new DecompressionStream({ toString() { throw new RangeError("x") } }) } catch (e) { return e.name }`, "RangeError"},
		{"called as a function", `try { CompressionStream("gzip") } catch (e) { return e.name }`, "TypeError"},
		{"brand check", `
			const get = Object.getOwnPropertyDescriptor(CompressionStream.prototype, "readable").get;
			try { get.call(new TransformStream()) } catch (e) { return e.name }`, "TypeError"},
	})
}

func TestRoundTrip(t *testing.T) {
	runCases(t, []jsCase{
		{"formats and chunkings", `
			const input = text("The quick brown fox jumps over the lazy dog. ".repeat(2000));
			const out = [];
			for (const f of ["gzip", "deflate", "deflate-raw"]) {
				const whole = await through(new CompressionStream(f), input);
				const pieces = [];
				for (let i = 0; i < input.length; i += 777) pieces.push(input.subarray(i, i + 777));
				const parts = await through(new CompressionStream(f), ...pieces, new Uint8Array(0));
				const back1 = await through(new DecompressionStream(f), whole);
				const bytes = [];
				for (let i = 0; i < parts.length; i++) bytes.push(parts.subarray(i, i + 1));
				const back2 = await through(new DecompressionStream(f), ...bytes);
				out.push(f, whole.length < input.length, str(back1) === str(input), str(back2) === str(input));
			}
			return out.join()`, "gzip,true,true,true,deflate,true,true,true,deflate-raw,true,true,true"},
		{"empty input", `
			const out = [];
			for (const f of ["gzip", "deflate", "deflate-raw"]) {
				const c = await through(new CompressionStream(f));
				const d = await through(new DecompressionStream(f), c);
				out.push(c.length > 0, d.length);
			}
			return out.join()`, "true,0,true,0,true,0"},
		{"buffer sources", `
			const c = await through(new CompressionStream("deflate"), text("abcdefgh"));
			const buf = new ArrayBuffer(c.length + 3);
			new Uint8Array(buf, 3).set(c);
			const out = [];
			for (const v of [new Uint8Array(buf, 3), new DataView(buf, 3), buf.slice(3)]) {
				out.push(str(await through(new DecompressionStream("deflate"), v)));
			}
			return out.join()`, "abcdefgh,abcdefgh,abcdefgh"},
		{"known gzip bytes", `
			const gz = new Uint8Array([31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 176, 1, 57, 179, 15, 0, 0, 0]);
			return str(await through(new DecompressionStream("gzip"), gz))`, "expected output"},
		{"pipeThrough", `
			const rs = new ReadableStream({ start(c) { c.enqueue(text("ab")); c.enqueue(text("cd")); c.close() } });
			const back = rs.pipeThrough(new CompressionStream("gzip")).pipeThrough(new DecompressionStream("gzip"));
			return str(await readAll(back))`, "abcd"},
		{"input changed while its output waits to be read", `
			// Random bytes do not compress: the output of 2 MiB runs to more
			// than a batch of chunks, so the transform waits for reads.
			const input = randomBytes(2 << 20);
			const copy = input.slice();
			const cs = new CompressionStream("deflate-raw");
			const w = cs.writable.getWriter(), r = cs.readable.getReader();
			const done = Promise.all([w.write(input), w.close()]);
			const chunks = [(await r.read()).value];
			input.fill(0);
			r.releaseLock();
			chunks.push(await readAll(cs.readable));
			await done;
			const d = await through(new DecompressionStream("deflate-raw"), ...chunks);
			return d.length + "," + equalBytes(d, copy)`, "2097152,true"},
	})
}

func TestErrors(t *testing.T) {
	// decompress writes chunks and closes, and reports how the write, the
	// close and the reads ended.
	const decompress = `
		async function decompress(format, ...chunks) {
			const ds = new DecompressionStream(format);
			const w = ds.writable.getWriter();
			const res = [];
			const writes = chunks.map(c => w.write(c).then(() => "ok", describe));
			const close = w.close().then(() => "ok", describe);
			let read;
			try { read = str(await readAll(ds.readable)) } catch (e) { read = describe(e) }
			return [...await Promise.all(writes), await close, read].join(" | ");
		}
		const gz = new Uint8Array([31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 176, 1, 57, 179, 15, 0, 0, 0]);
		const zl = new Uint8Array([120, 156, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 48, 173, 6, 36]);
	`
	runCases(t, []jsCase{
		{"bad chunk types", `
			const out = [];
			for (const v of [undefined, null, 3.14, {}, [65], "abc", new SharedArrayBuffer(4), new Uint8Array(new SharedArrayBuffer(4))]) {
				for (const I of [CompressionStream, DecompressionStream]) {
					const s = new I("deflate");
					const w = s.writable.getWriter(), r = s.readable.getReader();
					const [wr, rd] = await Promise.allSettled([w.write(v), r.read()]);
					out.push(wr.reason.name + "/" + rd.reason.name);
				}
			}
			return [...new Set(out)].join() + " " + out.length`, "TypeError/TypeError 16"},
		{"trailing data in the same chunk", decompress + `return decompress("gzip", new Uint8Array([...gz, 0]))`,
			"TypeError: There is data after the end of the gzip stream | TypeError: There is data after the end of the gzip stream | TypeError: There is data after the end of the gzip stream"},
		{"trailing data in a later chunk", decompress + `return decompress("deflate", zl, new Uint8Array(0), new Uint8Array([1]))`,
			"ok | ok | TypeError: There is data after the end of the deflate stream | TypeError: There is data after the end of the deflate stream | TypeError: There is data after the end of the deflate stream"},
		{"second gzip member", decompress + `return decompress("gzip", gz, gz)`,
			"ok | TypeError: There is data after the end of the gzip stream | TypeError: There is data after the end of the gzip stream | TypeError: There is data after the end of the gzip stream"},
		{"truncated", decompress + `return decompress("deflate", zl.subarray(0, zl.length - 1))`,
			"ok | TypeError: The input ended before the end of the deflate stream | TypeError: The input ended before the end of the deflate stream"},
		{"no input", decompress + `return decompress("deflate-raw")`,
			"TypeError: The input ended before the end of the deflate-raw stream | TypeError: The input ended before the end of the deflate-raw stream"},
		{"corrupt", decompress + `const bad = zl.slice(); bad[bad.length - 1] ^= 1; return decompress("deflate", bad)`,
			"TypeError: The deflate data is not valid (zlib: invalid checksum) | TypeError: The deflate data is not valid (zlib: invalid checksum) | TypeError: The deflate data is not valid (zlib: invalid checksum)"},
		{"wrong format", decompress + `return decompress("gzip", zl)`,
			"TypeError: The gzip data is not valid (gzip: invalid header) | TypeError: The gzip data is not valid (gzip: invalid header) | TypeError: The gzip data is not valid (gzip: invalid header)"},
		{"preset dictionary", decompress + `return decompress("deflate", new Uint8Array([0x78, 0xbb, 0x74, 0xee, 0x09, 0x59, 0x2b, 0xc1, 0x2e, 0x0c, 0x00, 0x74, 0xee, 0x09, 0x59]))`,
			"TypeError: The deflate data is not valid (zlib: invalid dictionary) | TypeError: The deflate data is not valid (zlib: invalid dictionary) | TypeError: The deflate data is not valid (zlib: invalid dictionary)"},
		{"canceled readable side", `
			const ds = new DecompressionStream("deflate");
			const w = ds.writable.getWriter();
			await ds.readable.cancel(new Error("stop"));
			return await w.write(new Uint8Array([120])).then(() => "ok", e => e.message)`, "stop"},
	})
}

// TestMemoryBudget checks that output chunks are charged to the memory
// budget: output that does not fit errors the stream with a RangeError.
func TestMemoryBudget(t *testing.T) {
	e := newEnv(t, bindings.NewBudget(1<<20))
	e.vm.Set("bomb", e.vm.ToValue(e.vm.NewArrayBuffer(bytes.Clone(zipBomb()))))
	got := e.run(t, `
		try { await through(new DecompressionStream("deflate-raw"), bomb); return "no error" } catch (e) { return describe(e) }`)
	if want := "RangeError: Array buffer allocation failed"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
