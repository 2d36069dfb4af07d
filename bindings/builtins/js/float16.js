// Float16Array, Math.f16round and DataView's getFloat16/setFloat16 (ECMAScript 2025,
// https://tc39.es/ecma262/#sec-typedarray-objects and the links below), which goja lacks.
// float16.go supplies the native part: binary16 conversion and the Proxy whose integer-indexed
// elements read and write a Uint16Array over the same bytes. What follows is the constructor
// and the methods of %TypedArray%.prototype, which goja's own implementations refuse for a Proxy.
(function (native, es) {
	const { isObject, isConstructor, toInteger } = es;
	"use strict";
	const { enc, dec, wrap, unwrap, detached, isTypedArray } = native;
	const TypedArray = Object.getPrototypeOf(Uint16Array);
	const TypedArrayPrototype = TypedArray.prototype;
	const ArrayProto = Array.prototype;
	const iteratorOf = (o) => o[Symbol.iterator];
	const defineMethods = (target, methods) => {
		for (const [name, fn] of Object.entries(methods)) {
			Object.defineProperty(fn, "name", { value: name });
			Object.defineProperty(target, name, { value: fn, writable: true, enumerable: false, configurable: true });
		}
	};
	// The Uint16Array behind this, or a TypeError (ValidateTypedArray, https://tc39.es/ecma262/#sec-validatetypedarray).
	const view = (o) => {
		const u16 = unwrap(o);
		if (u16 === undefined) {
			throw new TypeError("this is not a Float16Array");
		}
		return u16;
	};
	// ValidateTypedArray (https://tc39.es/ecma262/#sec-validatetypedarray): the
	// Uint16Array behind o, or a TypeError if o is not a Float16Array or its
	// buffer is detached.
	const validate = (o) => {
		const u16 = view(o);
		if (detached(u16)) throw new TypeError("Cannot perform this operation on a detached ArrayBuffer");
		return u16;
	};
	// The index a relative argument designates in [0, len].
	const relative = (v, len) => {
		const n = toInteger(v);
		return n < 0 ? Math.max(len + n, 0) : Math.min(n, len);
	};
	// TypedArraySpeciesCreate (https://tc39.es/ecma262/#sec-typedarray-species-create).
	const speciesCreate = (exemplar, args) => {
		let C = exemplar.constructor;
		if (C === undefined) {
			C = Float16Array;
		} else {
			if (!isObject(C)) throw new TypeError("object.constructor is not an object");
			const S = C[Symbol.species];
			C = S === undefined || S === null ? Float16Array : S;
			if (!isConstructor(C)) throw new TypeError("object.constructor[Symbol.species] is not a constructor");
		}
		// TypedArrayCreateFromConstructor (https://tc39.es/ecma262/#sec-typedarraycreatefromconstructor).
		const result = Reflect.construct(C, args);
		const kind = isTypedArray(result);
		if (kind === 0) throw new TypeError("The species constructor did not return a typed array");
		if (kind === 2) throw new TypeError("The species constructor returned a BigInt typed array");
		if (result.length === 0 && ArrayBuffer.isView(result) && native.viewDetached(result)) {
			throw new TypeError("The species constructor returned a typed array over a detached ArrayBuffer");
		}
		if (args.length === 1 && typeof args[0] === "number" && result.length < args[0]) {
			throw new TypeError("The species constructor returned a too short typed array");
		}
		return result;
	};
	const fromU16 = (u16, proto) => wrap(u16, proto);
	const create = (length) => fromU16(new Uint16Array(length), Float16Array.prototype);

	// TypedArray(...args) (https://tc39.es/ecma262/#sec-typedarray), for Float16Array.
	function Float16Array(...args) {
		if (new.target === undefined) {
			throw new TypeError("Constructor Float16Array requires 'new'");
		}
		let proto = new.target.prototype;
		if (typeof proto !== "object" || proto === null) {
			proto = Float16Array.prototype;
		}
		const first = args[0];
		if (typeof first !== "object" || first === null) {
			// InitializeTypedArrayFromLength: ToIndex, and a RangeError from there.
			return fromU16(new Uint16Array(first === undefined ? 0 : first), proto);
		}
		if (first instanceof ArrayBuffer) {
			// InitializeTypedArrayFromArrayBuffer: Uint16Array applies the same
			// alignment and bounds checks for an element size of 2.
			return fromU16(new Uint16Array(first, ...args.slice(1, 3)), proto);
		}
		let values;
		const source = unwrap(first);
		if (source !== undefined) {
			values = Array.from(source, dec);
		} else if (ArrayBuffer.isView(first) || iteratorOf(first) !== undefined && iteratorOf(first) !== null) {
			values = Array.from(first);
		} else {
			values = Array.from({ length: first.length }, (_, i) => first[i]);
		}
		const u16 = new Uint16Array(values.length);
		for (let i = 0; i < values.length; i++) {
			u16[i] = enc(+values[i]);
		}
		return fromU16(u16, proto);
	}
	Object.setPrototypeOf(Float16Array, TypedArray);
	const proto = Object.create(TypedArrayPrototype);
	Object.defineProperty(Float16Array, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
	Object.defineProperty(proto, "constructor", { value: Float16Array, writable: true, enumerable: false, configurable: true });
	for (const o of [Float16Array, proto]) {
		Object.defineProperty(o, "BYTES_PER_ELEMENT", { value: 2, writable: false, enumerable: false, configurable: false });
	}
	defineMethods(Float16Array, {
		from(source, mapFn, thisArg) {
			const values = Array.from(source, mapFn, thisArg);
			const C = typeof this === "function" ? this : Float16Array;
			const out = new C(values.length);
			for (let i = 0; i < values.length; i++) out[i] = values[i];
			return out;
		},
		of(...items) {
			return Float16Array.from.call(this, items);
		},
	});

	const getter = (name, fn) => {
		Object.defineProperty(fn, "name", { value: "get " + name });
		Object.defineProperty(proto, name, { get: fn, enumerable: false, configurable: true });
	};
	getter("buffer", function () { return view(this).buffer; });
	getter("byteLength", function () { return view(this).byteLength; });
	getter("byteOffset", function () { return view(this).byteOffset; });
	getter("length", function () { return view(this).length; });
	Object.defineProperty(proto, Symbol.toStringTag, {
		get: Object.defineProperty(function () { return unwrap(this) === undefined ? undefined : "Float16Array"; }, "name", { value: "get [Symbol.toStringTag]" }),
		enumerable: false, configurable: true,
	});

	// Methods whose result is a value or this: the generic Array algorithms over the
	// elements give the same results as %TypedArray%'s for a valid view.
	const generic = {};
	for (const name of ["at", "copyWithin", "entries", "every", "fill", "find", "findIndex", "findLast",
		"findLastIndex", "forEach", "includes", "indexOf", "join", "keys", "lastIndexOf", "reduce",
		"reduceRight", "reverse", "some", "toLocaleString", "values"]) {
		const method = ArrayProto[name];
		generic[name] = function (...args) {
			validate(this);
			return method.apply(this, args);
		};
	}
	defineMethods(proto, generic);
	// Numeric order with -0 before +0 and NaN last (CompareTypedArrayElements, https://tc39.es/ecma262/#sec-comparetypedarrayelements).
	const compare = (x, y) => {
		if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
		if (Number.isNaN(y)) return -1;
		if (x < y) return -1;
		if (x > y) return 1;
		if (x === 0 && y === 0) return Object.is(x, -0) ? (Object.is(y, -0) ? 0 : -1) : (Object.is(y, -0) ? 1 : 0);
		return 0;
	};
	const sorted = (values, comparefn) => {
		if (comparefn !== undefined && typeof comparefn !== "function") {
			throw new TypeError("The comparison function must be either a function or undefined");
		}
		return values.sort(comparefn === undefined ? compare : (a, b) => { const v = +comparefn(a, b); return Number.isNaN(v) ? 0 : v; });
	};
	const elements = (o) => Array.from(validate(o), dec);
	const callable = (fn) => {
		if (typeof fn !== "function") throw new TypeError(`${String(fn)} is not a function`);
	};
	defineMethods(proto, {
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.copywithin
		copyWithin(target, start, end) {
			const len = validate(this).length;
			const to = relative(target, len), from = relative(start, len);
			const final = end === undefined ? len : relative(end, len);
			const count = Math.min(final - from, len - to);
			if (count > 0) validate(this).copyWithin(to, from, from + count);
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.fill
		fill(value, start, end) {
			const len = validate(this).length;
			const v = +value;
			const k = relative(start, len);
			const final = end === undefined ? len : relative(end, len);
			const u16 = validate(this);
			u16.fill(enc(v), k, Math.min(final, u16.length));
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.filter
		filter(fn, thisArg) {
			const len = validate(this).length;
			callable(fn);
			const kept = [];
			for (let k = 0; k < len; k++) {
				const v = this[k];
				if (fn.call(thisArg, v, k, this)) kept.push(v);
			}
			const A = speciesCreate(this, [kept.length]);
			for (let n = 0; n < kept.length; n++) A[n] = kept[n];
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.map
		map(fn, thisArg) {
			const len = validate(this).length;
			callable(fn);
			const A = speciesCreate(this, [len]);
			for (let k = 0; k < len; k++) A[k] = fn.call(thisArg, this[k], k, this);
			return A;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.set
		set(source, offset) {
			view(this);
			const targetOffset = toInteger(offset);
			if (targetOffset < 0) throw new RangeError("offset is out of bounds");
			const target = validate(this);
			if (unwrap(source) !== undefined || isTypedArray(source) !== 0) {
				// SetTypedArrayFromTypedArray: the source's values, read first.
				if (isTypedArray(source) === 2) throw new TypeError("Cannot mix BigInt and other types");
				const srcLength = source.length;
				if (unwrap(source) !== undefined ? detached(unwrap(source)) : native.viewDetached(source)) {
					throw new TypeError("Cannot perform this operation on a detached ArrayBuffer");
				}
				if (targetOffset === Infinity || srcLength + targetOffset > target.length) throw new RangeError("offset is out of bounds");
				const values = Array.from({ length: srcLength }, (_, i) => source[i]);
				for (let i = 0; i < srcLength; i++) target[targetOffset + i] = enc(+values[i]);
				return;
			}
			// SetTypedArrayFromArrayLike.
			const src = Object(source);
			const srcLength = Math.min(Math.max(toInteger(src.length), 0), Number.MAX_SAFE_INTEGER);
			if (targetOffset === Infinity || srcLength + targetOffset > target.length) throw new RangeError("offset is out of bounds");
			for (let i = 0; i < srcLength; i++) this[targetOffset + i] = src[i];
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.slice
		slice(start, end) {
			const len = validate(this).length;
			const k = relative(start, len);
			const final = end === undefined ? len : relative(end, len);
			const count = Math.max(final - k, 0);
			const A = speciesCreate(this, [count]);
			if (count > 0) {
				const u16 = validate(this);
				const last = Math.min(final, u16.length);
				for (let i = k, n = 0; i < last; i++, n++) A[n] = this[i];
			}
			return A;
		},
		sort(comparefn) {
			const values = sorted(elements(this), comparefn);
			const u16 = view(this);
			for (let i = 0; i < values.length; i++) u16[i] = enc(values[i]);
			return this;
		},
		// https://tc39.es/ecma262/#sec-%typedarray%.prototype.subarray
		subarray(start, end) {
			const u16 = view(this);
			const buffer = u16.buffer, srcLength = u16.length;
			const begin = relative(start, srcLength);
			const final = end === undefined ? srcLength : relative(end, srcLength);
			const newLength = Math.max(final - begin, 0);
			return speciesCreate(this, [buffer, u16.byteOffset + begin * 2, newLength]);
		},
		toReversed() { return Float16Array.from(elements(this).reverse()); },
		toSorted(comparefn) { return Float16Array.from(sorted(elements(this), comparefn)); },
		toString: ArrayProto.toString,
		with(index, value) {
			const values = elements(this);
			let i = Math.trunc(+index) || 0;
			if (i < 0) i += values.length;
			if (i < 0 || i >= values.length) throw new RangeError("Invalid typed array index");
			values[i] = +value;
			return Float16Array.from(values);
		},
	});
	// The methods and getters above move to %TypedArray%.prototype, whose own
	// ones are wrapped to run them for a Float16Array and themselves for other
	// typed arrays: Float16Array.prototype inherits them all, as the spec's
	// typed array prototypes do.
	const dispatch = (name, own) => {
		const inherited = Object.getOwnPropertyDescriptor(TypedArrayPrototype, name);
		if (inherited === undefined) {
			Object.defineProperty(TypedArrayPrototype, name, own);
			return;
		}
		if (own.get !== undefined) {
			const get = inherited.get;
			const { get: wrapped } = Object.getOwnPropertyDescriptor({
				get [name]() { return unwrap(this) !== undefined ? own.get.call(this) : get.call(this); },
			}, name);
			Object.defineProperty(TypedArrayPrototype, name, { get: wrapped, set: undefined, enumerable: false, configurable: true });
			return;
		}
		const method = inherited.value;
		const wrapped = {
			[name](...args) { return unwrap(this) !== undefined ? own.value.apply(this, args) : method.apply(this, args); },
		}[name];
		Object.defineProperty(wrapped, "length", { value: method.length });
		Object.defineProperty(TypedArrayPrototype, name, { value: wrapped, writable: true, enumerable: false, configurable: true });
	};
	for (const key of Reflect.ownKeys(proto)) {
		// toString is Array.prototype.toString for all typed arrays.
		if (key === "constructor" || key === "BYTES_PER_ELEMENT" || key === "toString") continue;
		const own = Object.getOwnPropertyDescriptor(proto, key);
		delete proto[key];
		dispatch(key, own);
	}
	Object.defineProperty(TypedArrayPrototype, Symbol.iterator, { value: TypedArrayPrototype.values, writable: true, enumerable: false, configurable: true });
	// Likewise %TypedArray%.from and of, for Float16Array and its subclasses.
	for (const key of ["from", "of"]) {
		const own = Float16Array[key], inherited = TypedArray[key];
		delete Float16Array[key];
		const wrapped = {
			[key](...args) {
				// Float16Array (the constructor script sees wraps this one) or a
				// subclass of it.
				const p = typeof this === "function" ? this.prototype : undefined;
				const f16 = p === proto || isObject(p) && Object.prototype.isPrototypeOf.call(proto, p);
				return (f16 ? own : inherited).apply(this, args);
			},
		}[key];
		Object.defineProperty(wrapped, "length", { value: inherited.length });
		Object.defineProperty(TypedArray, key, { value: wrapped, writable: true, enumerable: false, configurable: true });
	}
	Object.defineProperty(globalThis, "Float16Array", { value: Float16Array, writable: true, enumerable: false, configurable: true });

	// ArrayBuffer.isView knows Float16Arrays too.
	const isView = ArrayBuffer.isView;
	defineMethods(ArrayBuffer, { isView(arg) { return isView(arg) || unwrap(arg) !== undefined; } });
	Object.defineProperty(ArrayBuffer.isView, "length", { value: 1 });

	// Math.f16round (https://tc39.es/ecma262/#sec-math.f16round).
	defineMethods(Math, { f16round(x) { return dec(enc(+x)); } });
	// DataView.prototype.getFloat16 and setFloat16 (https://tc39.es/ecma262/#sec-dataview.prototype.getfloat16, https://tc39.es/ecma262/#sec-dataview.prototype.setfloat16).
	const getUint16 = DataView.prototype.getUint16, setUint16 = DataView.prototype.setUint16;
	defineMethods(DataView.prototype, {
		getFloat16(byteOffset, littleEndian = false) { return dec(getUint16.call(this, byteOffset, littleEndian)); },
		setFloat16(byteOffset, value, littleEndian = false) { setUint16.call(this, byteOffset, enc(+value), littleEndian); },
	});
	Object.defineProperty(DataView.prototype.getFloat16, "length", { value: 1 });
	Object.defineProperty(DataView.prototype.setFloat16, "length", { value: 2 });
})
