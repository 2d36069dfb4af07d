// ArrayBuffer as ECMAScript 2024 has it (https://tc39.es/ecma262/#sec-arraybuffer-objects):
// resizable buffers, transfer, transferToFixedLength and detached, over goja's ArrayBuffer.
// arraybuffer.go supplies the native part (what goja keeps of a buffer and what this
// package keeps beside it); sizes.js supplies wrap, which replaces a constructor with one
// script cannot tell from it. Typed array and DataView constructors are wrapped too, so
// that views (typedarray.js) makes those over a resizable or growable buffer.
(function (native, wrap, viewChecks, es, views) {
	const { isConstructor, toInteger } = es;
	"use strict";
	const { kind, detached, keyed, length, max, check, account, resizable, resize, copy, detach, allocate, move } = native;
	const NOT_BUFFER = 0, FIXED = 1, RESIZABLE = 2, SHARED = 3, GROWABLE = 4;
	const NAMES = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
		"Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"];
	const speciesOf = (C) => C[Symbol.species];

	const toIndex = (v) => es.toIndex(v, "Invalid array length");
	// SpeciesConstructor (https://tc39.es/ecma262/#sec-speciesconstructor).
	const speciesConstructor = (o, fallback) => {
		const C = o.constructor;
		if (C === undefined) return fallback;
		if (typeof C !== "object" && typeof C !== "function" || C === null) {
			throw new TypeError("object.constructor is not an object");
		}
		const S = speciesOf(C);
		if (S === undefined || S === null) return fallback;
		if (isConstructor(S)) return S;
		throw new TypeError("object.constructor[Symbol.species] is not a constructor");
	};
	// RequireInternalSlot(O, [[ArrayBufferData]]) and IsSharedArrayBuffer(O) false.
	const requireBuffer = (o, method) => {
		const k = kind(o);
		if (k !== FIXED && k !== RESIZABLE) {
			throw new TypeError(`Method ArrayBuffer.prototype.${method} called on incompatible receiver`);
		}
		return k;
	};

	// ArrayBuffer(length [, options]) (https://tc39.es/ecma262/#sec-arraybuffer-length).
	const ArrayBuffer = wrap("ArrayBuffer", (args, newTarget) => {
		// 2. Let byteLength be ? ToIndex(length).
		const byteLength = toIndex(args[0]);
		// 3. GetArrayBufferMaxByteLengthOption(options)
		// (https://tc39.es/ecma262/#sec-getarraybuffermaxbytelengthoption).
		const options = args[1];
		let requested;
		if (typeof options === "object" && options !== null || typeof options === "function") {
			const m = options.maxByteLength;
			if (m !== undefined) requested = toIndex(m);
		}
		// 4. AllocateArrayBuffer(NewTarget, byteLength, requestedMaxByteLength)
		// (https://tc39.es/ecma262/#sec-allocatearraybuffer): step 3's RangeError, then
		// the allocation, of the maximum length for a resizable buffer.
		if (requested !== undefined && byteLength > requested) {
			throw new RangeError("Invalid array buffer max length");
		}
		const bytes = requested === undefined ? byteLength : requested;
		check(bytes, newTarget);
		args.length = 1;
		args[0] = bytes;
		if (requested !== undefined) {
			return (o) => resizable(o, byteLength, requested);
		}
	}, -1, account);

	const proto = ArrayBuffer.prototype;
	// Built-in methods and getters are not constructors: they are made as
	// methods of an object literal, which also names them.
	const define = (o, methods) => {
		for (const name of Reflect.ownKeys(methods)) {
			const d = Object.getOwnPropertyDescriptor(methods, name);
			d.enumerable = false;
			Object.defineProperty(o, name, d);
		}
	};
	// ArrayBufferCopyAndDetach (https://tc39.es/ecma262/#sec-arraybuffercopyanddetach).
	const copyAndDetach = (o, newLength, preserve, method) => {
		const k = requireBuffer(o, method);
		const newByteLength = newLength === undefined ? length(o) : toIndex(newLength);
		if (detached(o)) throw new TypeError(`Cannot perform ArrayBuffer.prototype.${method} on a detached ArrayBuffer`);
		// 7. If arrayBuffer.[[ArrayBufferDetachKey]] is not undefined, throw a TypeError.
		if (keyed(o)) throw new TypeError(`Cannot perform ArrayBuffer.prototype.${method} on a non-detachable ArrayBuffer`);
		const newMax = preserve && k === RESIZABLE ? max(o) : undefined;
		if (newMax !== undefined && newByteLength > newMax) throw new RangeError("Invalid array buffer length");
		// 12. NOTE: the new buffer may take over the old one's block, a zero-copy
		// move, which also keeps its bytes charged to the memory budget once;
		// otherwise steps 8-11 allocate and copy, and 13 detaches.
		let result = move(o, newByteLength, newMax);
		if (result === undefined) {
			result = allocate(newByteLength, newMax);
			copy(result, 0, o, 0, Math.min(newByteLength, length(o)));
			detach(o);
		}
		return result;
	};

	define(proto, {
	// https://tc39.es/ecma262/#sec-get-arraybuffer.prototype.bytelength
	get byteLength() {
		requireBuffer(this, "byteLength");
		return length(this);
	},
	// https://tc39.es/ecma262/#sec-get-arraybuffer.prototype.maxbytelength
	get maxByteLength() {
		requireBuffer(this, "maxByteLength");
		return max(this);
	},
	// https://tc39.es/ecma262/#sec-get-arraybuffer.prototype.resizable
	get resizable() {
		return requireBuffer(this, "resizable") === RESIZABLE;
	},
	// https://tc39.es/ecma262/#sec-get-arraybuffer.prototype.detached
	get detached() {
		requireBuffer(this, "detached");
		return detached(this);
	},

	// https://tc39.es/ecma262/#sec-arraybuffer.prototype.resize
	resize(newLength) {
		if (kind(this) !== RESIZABLE) {
			throw new TypeError("Method ArrayBuffer.prototype.resize called on incompatible receiver");
		}
		const newByteLength = toIndex(newLength);
		if (detached(this)) throw new TypeError("Cannot resize a detached ArrayBuffer");
		if (newByteLength > max(this)) throw new RangeError("ArrayBuffer.prototype.resize: Invalid length parameter");
		resize(this, newByteLength);
	},

	// https://tc39.es/ecma262/#sec-arraybuffer.prototype.slice
	slice(start, end) {
		requireBuffer(this, "slice");
		if (detached(this)) throw new TypeError("Cannot perform ArrayBuffer.prototype.slice on a detached ArrayBuffer");
		const len = length(this);
		const relativeStart = toInteger(start);
		const first = relativeStart < 0 ? Math.max(len + relativeStart, 0) : Math.min(relativeStart, len);
		const relativeEnd = end === undefined ? len : toInteger(end);
		const final = relativeEnd < 0 ? Math.max(len + relativeEnd, 0) : Math.min(relativeEnd, len);
		const newLen = Math.max(final - first, 0);
		const ctor = speciesConstructor(this, ArrayBuffer);
		const result = new ctor(newLen);
		const k = kind(result);
		if (k !== FIXED && k !== RESIZABLE) throw new TypeError("ArrayBuffer subclass returned this from species constructor");
		if (detached(result)) throw new TypeError("The species constructor returned a detached ArrayBuffer");
		if (result === this) throw new TypeError("ArrayBuffer subclass returned this from species constructor");
		if (length(result) < newLen) throw new TypeError("The species constructor returned a too short ArrayBuffer");
		if (detached(this)) throw new TypeError("Cannot perform ArrayBuffer.prototype.slice on a detached ArrayBuffer");
		const currentLen = length(this);
		if (first < currentLen) copy(result, 0, this, first, Math.min(newLen, currentLen - first));
		return result;
	},

	// https://tc39.es/ecma262/#sec-arraybuffer.prototype.transfer
	transfer() {
		return copyAndDetach(this, arguments[0], true, "transfer");
	},
	// https://tc39.es/ecma262/#sec-arraybuffer.prototype.transfertofixedlength
	transferToFixedLength() {
		return copyAndDetach(this, arguments[0], false, "transferToFixedLength");
	},
	});

	// Views over a resizable or growable buffer, and those copied from one, are
	// made by views (js/typedarray.js): goja's views keep the length they are made
	// with. The bytes a view's constructor allocates are accounted once it is made.
	for (const { name, size, check: bounded, fits } of viewChecks) {
		const kind = NAMES.indexOf(name);
		if (name === "Float16Array") continue; // views', bounded where it allocates
		views.intrinsics[kind] = wrap(name, bounded === undefined ? () => {} : bounded, fits, account,
			(args, newTarget) => views.construct(kind, args, newTarget));
	}
	wrap("DataView", () => {}, Infinity, undefined, views.constructDataView);
})
