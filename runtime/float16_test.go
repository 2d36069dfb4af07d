package runtime

import "testing"

// TestFloat16Array checks Float16Array (bindings/builtins) in a runtime, with the web
// APIs that take an ArrayBufferView.
func TestFloat16Array(t *testing.T) {
	checks := []string{
		`new Float16Array([1, 0.1, 65520, -0]).join() === "1,0.0999755859375,Infinity,0"`,
		`Object.is(new Float16Array([-0])[0], -0)`,
		`(() => { const a = new Float16Array(new ArrayBuffer(8), 2, 2); a[0] = 1.5; a[5] = 9; return a.length === 2 && a.byteOffset === 2 && a.byteLength === 4 && a[5] === undefined && new Uint16Array(a.buffer)[1] === 0x3e00; })()`,
		`(() => { try { new Float16Array(new ArrayBuffer(3)); } catch (e) { return e instanceof RangeError; } })()`,
		`(() => { try { Float16Array(1); } catch (e) { return e instanceof TypeError; } })()`,
		`ArrayBuffer.isView(new Float16Array(1)) && !ArrayBuffer.isView({})`,
		`Object.prototype.toString.call(new Float16Array(1)) === "[object Float16Array]"`,
		`new Float16Array(2) instanceof Float16Array && Float16Array.BYTES_PER_ELEMENT === 2 && new Float16Array(1).BYTES_PER_ELEMENT === 2`,
		`Object.getPrototypeOf(Float16Array) === Object.getPrototypeOf(Int8Array)`,
		`[...new Float16Array([3, 1, 2]).sort()].join() === "1,2,3"`,
		`new Float16Array([1, 2, 3]).map(x => x * 2).join() === "2,4,6" && new Float16Array([1, 2, 3]).filter(x => x > 1).length === 2`,
		`(() => { const a = new Float16Array(4); a.set([1, 2], 2); return a.join() === "0,0,1,2"; })()`,
		`(() => { const a = new Float16Array([1, 2, 3, 4]); const s = a.subarray(1, 3); s[0] = 7; return a[1] === 7 && s.length === 2; })()`,
		`Object.keys(new Float16Array(3)).join() === "0,1,2" && 1 in new Float16Array(2) && !(2 in new Float16Array(2))`,
		`Float16Array.from([1.5, 2.5]).join() === "1.5,2.5" && Float16Array.of(1, 2).length === 2`,
		`new Float16Array(new Float32Array([0.5, 1e6])).join() === "0.5,Infinity"`,
		`Math.f16round(5.0000001) === 5 && Math.f16round(65520) === Infinity`,
		`(() => { const d = new DataView(new ArrayBuffer(2)); d.setFloat16(0, 1.5); return d.getUint16(0) === 0x3e00 && d.getFloat16(0) === 1.5; })()`,
		`new TextDecoder().decode(new Float16Array([Math.f16round(1)])) === "\u0000<"`,
		`new Blob([new Float16Array(3)]).size === 6`,
		`new Float16Array([1, 2]).with(0, 5).join() === "5,2" && new Float16Array([1, 2]).at(-1) === 2`,
	}
	runChecks(t, "float16.js", checks)
}
