// The Atomics object (https://tc39.es/ecma262/#sec-atomics-object), which goja lacks.
// atomics.go supplies the native part: the checks that need a typed array's internal
// slots, and the operations on its bytes, made with sync/atomic. What is here converts
// the arguments in the order the spec does. atomics.go defines the Atomics object and
// its methods, which call those made here (see lazyscripts.go).
(function (es, intrinsics, native) {
	const { toInteger, toBigInt } = es;
	"use strict";
	const { validate, length, op, wait, notify } = native;
	// The element types validate returns a code for; 64-bit ones are BigInts.
	const BIGINT64 = 6, BIGUINT64 = 7;
	const LOAD = 0, STORE = 1, ADD = 2, SUB = 3, AND = 4, OR = 5, XOR = 6, EXCHANGE = 7, COMPARE_EXCHANGE = 8;
	const isBigInt = (type) => type === BIGINT64 || type === BIGUINT64;
	const toIndex = (v) => es.toIndex(v, "Invalid atomic access index");
	// ValidateAtomicAccess (https://tc39.es/ecma262/#sec-validateatomicaccess).
	const accessIndex = (typedArray, requestIndex) => {
		const len = length(typedArray);
		const i = toIndex(requestIndex);
		if (i >= len) throw new RangeError("Invalid atomic access index");
		return i;
	};
	// The value of an element, converted as the operations convert it: ToBigInt
	// or ToIntegerOrInfinity.
	const toElement = (type, v) => isBigInt(type) ? toBigInt(v) : toInteger(v);
	// AtomicReadModifyWrite (https://tc39.es/ecma262/#sec-atomicreadmodifywrite).
	const readModifyWrite = (code) => (typedArray, index, value) => {
		const type = validate(typedArray, false);
		const i = accessIndex(typedArray, index);
		const v = toElement(type, value);
		return op(typedArray, i, code, v);
	};
	const Atomics = {
		// https://tc39.es/ecma262/#sec-atomics.add
		add: readModifyWrite(ADD),
		// https://tc39.es/ecma262/#sec-atomics.and
		and: readModifyWrite(AND),
		// https://tc39.es/ecma262/#sec-atomics.compareexchange
		compareExchange(typedArray, index, expectedValue, replacementValue) {
			const type = validate(typedArray, false);
			const i = accessIndex(typedArray, index);
			const expected = toElement(type, expectedValue);
			const replacement = toElement(type, replacementValue);
			return op(typedArray, i, COMPARE_EXCHANGE, expected, replacement);
		},
		// https://tc39.es/ecma262/#sec-atomics.exchange
		exchange: readModifyWrite(EXCHANGE),
		// https://tc39.es/ecma262/#sec-atomics.islockfree
		isLockFree(size) {
			const n = toInteger(size);
			return n === 1 || n === 2 || n === 4 || n === 8;
		},
		// https://tc39.es/ecma262/#sec-atomics.load
		load(typedArray, index) {
			validate(typedArray, false);
			const i = accessIndex(typedArray, index);
			return op(typedArray, i, LOAD);
		},
		// Atomics.pause(N) (https://tc39.es/proposal-atomics-microwait/): a hint
		// for spin loops, which a goroutine does not need.
		pause() {
			const N = arguments[0];
			if (N !== undefined && !Number.isInteger(N)) throw new TypeError("Atomics.pause's argument must be an integral Number");
		},
		// https://tc39.es/ecma262/#sec-atomics.or
		or: readModifyWrite(OR),
		// https://tc39.es/ecma262/#sec-atomics.store
		store(typedArray, index, value) {
			const type = validate(typedArray, false);
			const i = accessIndex(typedArray, index);
			const v = toElement(type, value);
			op(typedArray, i, STORE, v);
			return v;
		},
		// https://tc39.es/ecma262/#sec-atomics.sub
		sub: readModifyWrite(SUB),
		// https://tc39.es/ecma262/#sec-atomics.wait
		wait(typedArray, index, value, timeout) {
			return doWait(false, typedArray, index, value, timeout);
		},
		// https://tc39.es/ecma262/#sec-atomics.waitasync
		waitAsync(typedArray, index, value, timeout) {
			return doWait(true, typedArray, index, value, timeout);
		},
		// https://tc39.es/ecma262/#sec-atomics.notify
		notify(typedArray, index, count) {
			validate(typedArray, true);
			const i = accessIndex(typedArray, index);
			const c = count === undefined ? Infinity : Math.max(toInteger(count), 0);
			return notify(typedArray, i, c);
		},
		// https://tc39.es/ecma262/#sec-atomics.xor
		xor: readModifyWrite(XOR),
	};
	// DoWait (https://tc39.es/ecma262/#sec-dowait) steps 1-8; the rest is native.
	const doWait = (async, typedArray, index, value, timeout) => {
		const type = validate(typedArray, true);
		if (!native.shared(typedArray)) throw new TypeError("Atomics.wait cannot be called on a non-shared typed array");
		const i = accessIndex(typedArray, index);
		const v = type === BIGINT64 ? BigInt.asIntN(64, value) : value | 0;
		const q = +timeout;
		const t = q !== q || q === Infinity ? Infinity : q === -Infinity ? 0 : Math.max(q, 0);
		return wait(typedArray, i, v, t, async);
	};
	es.define(intrinsics.Atomics, Atomics);
})
