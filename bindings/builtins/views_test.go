package builtins

import "testing"

// TestViews checks the typed arrays and DataViews this package makes
// (views.go): over resizable and growable buffers, which they track, and
// every Float16Array; and that goja's own stay goja's.
func TestViews(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"length tracking", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const ta = new Uint8Array(rab); const a = [ta.length];
			rab.resize(8); a.push(ta.length); rab.resize(2); a.push(ta.length, ta.byteLength); a.join()`, "4,8,2,2"},
		{"elements follow the length", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const ta = new Uint16Array(rab); ta[1] = 7; rab.resize(2);
			const a = [ta[1], 1 in ta, Object.keys(ta).join("|")]; rab.resize(4); a.push(ta[1]); a.join()`, ",false,0,0"},
		{"fixed length out of bounds", `const rab = new ArrayBuffer(8, {maxByteLength: 8});
			const ta = new Int32Array(rab, 4, 1); rab.resize(6);
			const a = [ta.length, ta.byteOffset, ta.byteLength, ta[0]];
			try { ta.fill(1) } catch (e) { a.push(e.constructor.name) }
			rab.resize(8); a.push(ta.length, ta.byteOffset); a.join()`, "0,0,0,,TypeError,1,4"},
		{"offset beyond a shrunk buffer", `const rab = new ArrayBuffer(8, {maxByteLength: 8});
			const ta = new Uint8Array(rab, 4); rab.resize(3); [ta.length, ta.byteOffset].join()`, "0,0"},
		{"detached", `const rab = new ArrayBuffer(4, {maxByteLength: 8}); const ta = new Uint8Array(rab);
			rab.transfer(); [ta.length, ta[0], ta.byteOffset].join()`, "0,,0"},
		{"growable shared", `const sab = new SharedArrayBuffer(2, {maxByteLength: 8});
			const ta = new Int32Array(sab); const fixed = new Int8Array(sab, 0, 2); const a = [ta.length];
			sab.grow(8); Atomics.store(ta, 1, 5); a.push(ta.length, Atomics.load(ta, 1), fixed.length); a.join()`, "0,2,5,2"},
		{"prevent extensions", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			[Reflect.preventExtensions(new Uint8Array(rab)), Reflect.preventExtensions(new Float16Array(2)),
			 Object.keys(Object.preventExtensions(new Float16Array([1, 2]))).join("|")].join()`, "false,true,0|1"},
		{"canonical numeric keys", `const ta = new Uint8Array(new ArrayBuffer(2, {maxByteLength: 4}));
			ta["-0"] = 1; ta["1.5"] = 1; ta.foo = 2;
			[ta["-0"], "1.5" in ta, Reflect.defineProperty(ta, "1.5", {value: 1}), Object.keys(ta).join("|")].join()`, ",false,false,0|1|foo"},
		{"set with another receiver", `const ta = new Uint8Array(new ArrayBuffer(2, {maxByteLength: 4}));
			const o = Object.create(ta); o[0] = 300; o[5] = 1;
			[ta[0], o.hasOwnProperty(0), o[0], o.hasOwnProperty(5)].join()`, "0,true,300,false"},
		{"methods", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const ta = new Uint8Array(rab); ta.set([4, 3, 2, 1]); rab.resize(6);
			[ta.slice(1).join("|"), ta.subarray(2).length, [...ta.sort()].join("|"), ta.indexOf(4), ta.includes(0),
			 ta.map(x => x * 2).join("|"), ta.toReversed().join("|"), ta.with(0, 9).join("|")].join()`,
			"3|2|1|0|0,4,0|0|1|2|3|4,5,true,0|0|2|4|6|8,4|3|2|1|0|0,9|0|1|2|3|4"},
		{"subarray tracks", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const sub = new Uint8Array(rab).subarray(1); rab.resize(8); sub.length`, "7"},
		{"copyWithin shrinking", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const ta = new Uint8Array(rab); ta.set([0, 1, 2, 3]);
			ta.copyWithin({valueOf() { rab.resize(3); return 2 }}, 1); ta.join()`, "0,1,1"},
		{"iteration out of bounds", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const ta = new Uint8Array(rab, 0, 4); const it = ta.values(); it.next(); rab.resize(2);
			try { it.next(); "no error" } catch (e) { e.constructor.name }`, "TypeError"},
		{"a copy is goja's", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const copy = new Float64Array(new Uint8Array(rab)); rab.resize(8); [copy.length, copy.buffer.resizable].join()`, "4,false"},
		{"species of another content type", `const ta = new Uint8Array(new ArrayBuffer(4, {maxByteLength: 8}));
			ta.constructor = {[Symbol.species]: BigInt64Array};
			try { ta.map(x => x) } catch (e) { e.constructor.name }`, "TypeError"},
		{"dataview tracking", `const rab = new ArrayBuffer(4, {maxByteLength: 8});
			const dv = new DataView(rab, 2); const a = [dv.byteLength]; rab.resize(8); dv.setUint16(4, 0x102);
			a.push(dv.byteLength, dv.getUint16(4), dv.getUint8(5, true)); rab.resize(1);
			try { dv.byteLength } catch (e) { a.push(e.constructor.name) }
			try { dv.getInt8(0) } catch (e) { a.push(e.constructor.name) } a.join()`, "2,6,258,2,TypeError,TypeError"},
		{"dataview float16", `const dv = new DataView(new ArrayBuffer(4));
			dv.setFloat16(0, 1.5); dv.setFloat16(2, 65520, true); [dv.getUint16(0).toString(16), dv.getFloat16(2, true)].join()`, "3e00,Infinity"},
		{"float16", `const f = new Float16Array([1, 0.1, -0, 65520]);
			[f.join("|"), Object.is(f[2], -0), f.length, f.BYTES_PER_ELEMENT, Object.prototype.toString.call(f),
			 f instanceof Float16Array, ArrayBuffer.isView(f), Float16Array.from([2]).join(), Float16Array.of(3)[0]].join()`,
			"1|0.0999755859375|0|Infinity,true,4,2,[object Float16Array],true,true,2,3"},
		{"float16 from a typed array", `[new Float16Array(new Float32Array([0.5, 1e6])).join("|"),
			new Float32Array(new Float16Array([1.5])).join()].join()`, "0.5|Infinity,1.5"},
		{"float16 over a resizable buffer", `const rab = new ArrayBuffer(2, {maxByteLength: 4});
			const f = new Float16Array(rab); f[0] = 2; rab.resize(4); f[1] = 0.5; [...f].join()`, "2,0.5"},
		{"goja's typed arrays stay goja's", `const ta = new Uint8Array(4);
			[Object.getPrototypeOf(ta) === Uint8Array.prototype, ta.subarray(1).length, ArrayBuffer.isView(ta)].join()`, "true,3,true"},
		{"getters of another receiver", `const get = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length").get;
			try { get.call({}) } catch (e) { e.constructor.name }`, "TypeError"},
	}
	vm := newVM(t, Options{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A block: its value is its last statement's.
			v, err := vm.RunString("{" + c.src + "}")
			if err != nil {
				t.Fatal(err)
			}
			if got := v.String(); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}
