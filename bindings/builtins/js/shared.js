// SharedArrayBuffer (https://tc39.es/ecma262/#sec-sharedarraybuffer-objects), which goja
// lacks. A SharedArrayBuffer is a goja ArrayBuffer over a Go slice that other realms' ones
// share (shared.go), so goja's typed arrays and DataView take it as their buffer; what
// tells it apart is kept in Go, and read through native.
(function (native, es) {
	const { isConstructor, toInteger } = es;
	"use strict";
	const { kind, length, max, copy, create, grow } = native;
	const SHARED = 3, GROWABLE = 4;
	const isShared = (o) => {
		const k = kind(o);
		return k === SHARED || k === GROWABLE;
	};
	const toIndex = (v) => es.toIndex(v, "Invalid array length");
	const requireShared = (o, method) => {
		if (!isShared(o)) throw new TypeError(`Method SharedArrayBuffer.prototype.${method} called on incompatible receiver`);
	};

	// SharedArrayBuffer(length [, options]) (https://tc39.es/ecma262/#sec-sharedarraybuffer-length).
	// A derived class of null makes no object before its body runs, so the
	// prototype is read where AllocateSharedArrayBuffer reads it.
	const SharedArrayBuffer = class SharedArrayBuffer extends null {
		constructor(length) {
			const byteLength = toIndex(length), options = arguments[1];
			// GetArrayBufferMaxByteLengthOption (https://tc39.es/ecma262/#sec-getarraybuffermaxbytelengthoption).
			let requested;
			if (typeof options === "object" && options !== null || typeof options === "function") {
				const m = options.maxByteLength;
				if (m !== undefined) requested = toIndex(m);
			}
			// AllocateSharedArrayBuffer (https://tc39.es/ecma262/#sec-allocatesharedarraybuffer).
			if (requested !== undefined && byteLength > requested) throw new RangeError("Invalid array buffer max length");
			let proto = new.target.prototype;
			if (typeof proto !== "object" && typeof proto !== "function" || proto === null) proto = SharedArrayBuffer.prototype;
			return create(byteLength, requested, proto);
		}
	};
	const proto = SharedArrayBuffer.prototype;
	Object.setPrototypeOf(proto, Object.prototype);
	const define = (o, methods) => {
		for (const name of Reflect.ownKeys(methods)) {
			const d = Object.getOwnPropertyDescriptor(methods, name);
			d.enumerable = false;
			Object.defineProperty(o, name, d);
		}
	};
	define(SharedArrayBuffer, {
		// https://tc39.es/ecma262/#sec-sharedarraybuffer-@@species
		get [Symbol.species]() {
			return this;
		},
	});
	define(proto, {
		// https://tc39.es/ecma262/#sec-get-sharedarraybuffer.prototype.bytelength
		get byteLength() {
			requireShared(this, "byteLength");
			return length(this);
		},
		// https://tc39.es/ecma262/#sec-get-sharedarraybuffer.prototype.growable
		get growable() {
			requireShared(this, "growable");
			return kind(this) === GROWABLE;
		},
		// https://tc39.es/ecma262/#sec-get-sharedarraybuffer.prototype.maxbytelength
		get maxByteLength() {
			requireShared(this, "maxByteLength");
			return max(this);
		},
		// https://tc39.es/ecma262/#sec-sharedarraybuffer.prototype.grow
		grow(newLength) {
			if (kind(this) !== GROWABLE) throw new TypeError("Method SharedArrayBuffer.prototype.grow called on incompatible receiver");
			const newByteLength = toIndex(newLength);
			if (!grow(this, newByteLength)) throw new RangeError("SharedArrayBuffer.prototype.grow: Invalid length parameter");
		},
		// https://tc39.es/ecma262/#sec-sharedarraybuffer.prototype.slice
		slice(start, end) {
			requireShared(this, "slice");
			const len = length(this);
			const relativeStart = toInteger(start);
			const first = relativeStart < 0 ? Math.max(len + relativeStart, 0) : Math.min(relativeStart, len);
			const relativeEnd = end === undefined ? len : toInteger(end);
			const final = relativeEnd < 0 ? Math.max(len + relativeEnd, 0) : Math.min(relativeEnd, len);
			const newLen = Math.max(final - first, 0);
			// SpeciesConstructor (https://tc39.es/ecma262/#sec-speciesconstructor).
			let ctor = this.constructor;
			if (ctor === undefined) {
				ctor = SharedArrayBuffer;
			} else if (typeof ctor !== "object" && typeof ctor !== "function" || ctor === null) {
				throw new TypeError("object.constructor is not an object");
			} else {
				const S = ctor[Symbol.species];
				if (S === undefined || S === null) ctor = SharedArrayBuffer;
				else if (isConstructor(S)) ctor = S;
				else throw new TypeError("object.constructor[Symbol.species] is not a constructor");
			}
			const result = new ctor(newLen);
			if (!isShared(result)) throw new TypeError("The species constructor did not return a SharedArrayBuffer");
			if (native.same(result, this)) throw new TypeError("The species constructor returned the same SharedArrayBuffer");
			if (length(result) < newLen) throw new TypeError("The species constructor returned a too short SharedArrayBuffer");
			copy(result, 0, this, first, newLen);
			return result;
		},
		[Symbol.toStringTag]: "SharedArrayBuffer",
	});
	Object.defineProperty(proto, Symbol.toStringTag, { writable: false });
	Object.defineProperty(globalThis, "SharedArrayBuffer", { value: SharedArrayBuffer, writable: true, enumerable: false, configurable: true });
	return proto;
})
