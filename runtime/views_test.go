package runtime

import "testing"

// TestResizableViews checks the typed arrays and DataViews over resizable
// buffers (bindings/builtins) with the web APIs that take views: they see the
// bytes the view covers now, and structured clone keeps what the view is.
func TestResizableViews(t *testing.T) {
	checks := []string{
		`(() => { const rab = new ArrayBuffer(2, {maxByteLength: 8}); const ta = new Uint8Array(rab); ta.set([104, 105]); rab.resize(3); return new TextDecoder().decode(ta) === "hi\u0000"; })()`,
		`(() => { const rab = new ArrayBuffer(4, {maxByteLength: 8}); return new Blob([new DataView(rab, 1)]).size === 3; })()`,
		`(() => { const rab = new ArrayBuffer(4, {maxByteLength: 8}); const v = new Uint16Array(rab, 2); rab.resize(1); try { new TextDecoder().decode(v); return true; } catch (e) { return false; } })()`,
		`(() => { const rab = new ArrayBuffer(4, {maxByteLength: 8}); const ta = new Uint8Array(rab, 1); ta[0] = 7; const c = structuredClone(ta); return c instanceof Uint8Array && c.length === 3 && c[0] === 7 && c.byteOffset === 1 && c.buffer.resizable && c.buffer.maxByteLength === 8 && (c.buffer.resize(8), c.length === 7); })()`,
		`(() => { const c = structuredClone(new Float16Array([1.5, 2])); return c instanceof Float16Array && c.join() === "1.5,2"; })()`,
		`(() => { const rab = new ArrayBuffer(4, {maxByteLength: 8}); const dv = new DataView(rab); dv.setUint8(3, 9); const c = structuredClone(dv); return c instanceof DataView && c.byteLength === 4 && c.getUint8(3) === 9; })()`,
		`(() => { const rab = new ArrayBuffer(4, {maxByteLength: 8}); const ta = new Uint8Array(rab, 2, 2); rab.resize(2); try { structuredClone(ta); return false; } catch (e) { return e.name === "DataCloneError"; } })()`,
		`(() => { const sab = new SharedArrayBuffer(2, {maxByteLength: 8}); const c = structuredClone(new Int8Array(sab)); sab.grow(6); return c.length === 6; })()`,
	}
	runChecks(t, "views.js", checks)
}
