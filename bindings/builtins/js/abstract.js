// The ECMAScript abstract operations the built-ins written in JavaScript
// share, evaluated once per realm and passed to each of them. Those that
// only some built-ins need are made the first time one asks for them
// (es.iteration()), so a realm whose scripts call none of those built-ins
// does not pay for them. What they call is taken from the realm before any
// script runs, so a script that replaces a built-in (Reflect.apply) changes
// none of them.
(() => {
	"use strict";
	const { apply, construct, defineProperty } = Reflect;
	const symIterator = Symbol.iterator;
	const { freeze, setPrototypeOf } = Object;
	const arrayPrototype = Array.prototype;
	// https://tc39.es/ecma262/#sec-object-type
	const isObject = (v) => typeof v === "object" && v !== null || typeof v === "function";
	const { trunc } = Math;
	const { MAX_SAFE_INTEGER } = Number;
	const symbolToPrimitive = Symbol.toPrimitive;
	const BigIntOf = BigInt;
	// ToPrimitive(v, number) (https://tc39.es/ecma262/#sec-toprimitive).
	const toPrimitive = (v) => {
		if (typeof v !== "object" && typeof v !== "function" || v === null) return v;
		const exotic = v[symbolToPrimitive];
		if (exotic !== undefined && exotic !== null) {
			if (typeof exotic !== "function") throw new TypeError("Symbol.toPrimitive is not a function");
			const p = apply(exotic, v, ["number"]);
			if (typeof p === "object" && p !== null || typeof p === "function") throw new TypeError("Cannot convert object to primitive value");
			return p;
		}
		// OrdinaryToPrimitive (https://tc39.es/ecma262/#sec-ordinarytoprimitive).
		const valueOf = v.valueOf;
		if (typeof valueOf === "function") {
			const p = apply(valueOf, v, []);
			if (typeof p !== "object" && typeof p !== "function" || p === null) return p;
		}
		const toString = v.toString;
		if (typeof toString === "function") {
			const p = apply(toString, v, []);
			if (typeof p !== "object" && typeof p !== "function" || p === null) return p;
		}
		throw new TypeError("Cannot convert object to primitive value");
	};
	let iteration;
	// iterationOps makes the operations of es.iteration().
	function iterationOps() {
		// How an error message shows a value, which runs no script.
		const describe = (v) => isObject(v) ? (typeof v === "function" ? "function" : "object")
			: typeof v === "string" ? `"${v}"` : typeof v === "symbol" ? "symbol" : String(v);
		// DONE stands for the spec's done in what IteratorStep and IteratorStepValue return.
		const DONE = freeze({ __proto__: null });
		// GetMethod (https://tc39.es/ecma262/#sec-getmethod).
		const getMethod = (v, p) => {
			const f = v[p];
			if (f === undefined || f === null) return undefined;
			if (typeof f !== "function") throw new TypeError(`${String(p)} is not a function`);
			return f;
		};
		// GetIteratorDirect (https://tc39.es/ecma262/#sec-getiteratordirect): an
		// Iterator Record, as an object with the record's fields.
		const iteratorDirect = (iterator) => ({ iterator, next: iterator.next, done: false });
		// IteratorStep (https://tc39.es/ecma262/#sec-iteratorstep): the result, or DONE.
		const iteratorStep = (record) => {
			let result;
			try {
				result = apply(record.next, record.iterator, []);
				if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
				if (result.done) {
					record.done = true;
					return DONE;
				}
			} catch (e) {
				record.done = true;
				throw e;
			}
			return result;
		};
		// IteratorStepValue (https://tc39.es/ecma262/#sec-iteratorstepvalue): the value, or DONE.
		const iteratorStepValue = (record) => {
			const result = iteratorStep(record);
			if (result === DONE) return DONE;
			try {
				return result.value;
			} catch (e) {
				record.done = true;
				throw e;
			}
		};
		// IteratorClose (https://tc39.es/ecma262/#sec-iteratorclose) with a normal
		// (or return) completion: what return throws or gives that is no object
		// replaces it.
		const iteratorClose = (iterator) => {
			const f = getMethod(iterator, "return");
			if (f === undefined) return;
			if (!isObject(apply(f, iterator, []))) throw new TypeError("Iterator result is not an object");
		};
		// IteratorClose with a throw completion, error, which it throws whatever
		// return does.
		const iteratorCloseThrow = (iterator, error) => {
			try {
				const f = getMethod(iterator, "return");
				if (f !== undefined) apply(f, iterator, []);
			} catch {
				// The completion given wins (step 5).
			}
			throw error;
		};
		// IteratorCloseAll (https://tc39.es/ecma262/#sec-iteratorcloseall) of a
		// list of Iterator Records, last first; error, if given, is the throw
		// completion to close them with.
		const iteratorCloseAll = (records, ...error) => {
			let thrown = error.length > 0, e = error[0];
			for (let i = records.length - 1; i >= 0; i--) {
				const iterator = records[i].iterator;
				if (thrown) {
					try {
						iteratorCloseThrow(iterator, e);
					} catch {
						// e again
					}
					continue;
				}
				try {
					iteratorClose(iterator);
				} catch (err) {
					thrown = true;
					e = err;
				}
			}
			if (thrown) throw e;
		};
		// GetIteratorFromMethod (https://tc39.es/ecma262/#sec-getiteratorfrommethod).
		const iteratorFromMethod = (obj, method) => {
			const iterator = apply(method, obj, []);
			if (!isObject(iterator)) throw new TypeError("Result of the Symbol.iterator method is not an object");
			return iteratorDirect(iterator);
		};
		// GetIterator(obj, sync) (https://tc39.es/ecma262/#sec-getiterator).
		const getIterator = (obj) => {
			const method = getMethod(obj, symIterator);
			if (method === undefined) throw new TypeError(`${describe(obj)} is not iterable`);
			return iteratorFromMethod(obj, method);
		};
		// GetIteratorFlattenable (https://tc39.es/ecma262/#sec-getiteratorflattenable),
		// iterating string primitives if strings is true.
		const iteratorFlattenable = (obj, strings) => {
			if (!isObject(obj) && (!strings || typeof obj !== "string")) {
				throw new TypeError(`${describe(obj)} is not an object`);
			}
			const method = getMethod(obj, symIterator);
			const iterator = method === undefined ? obj : apply(method, obj, []);
			if (!isObject(iterator)) throw new TypeError(`${describe(iterator)} is not an object`);
			return iteratorDirect(iterator);
		};
		// ToLength (https://tc39.es/ecma262/#sec-tolength).
		const toLength = (v) => {
			const n = +v;
			if (!(n > 0)) return 0;
			return n > 9007199254740991 ? 9007199254740991 : Math.floor(n);
		};
		// A List: an array without a prototype, so adding to it runs no setter a
		// script put on Array.prototype. toArray makes it the result of
		// CreateArrayFromList (https://tc39.es/ecma262/#sec-createarrayfromlist).
		const list = () => setPrototypeOf([], null);
		const toArray = (l) => setPrototypeOf(l, arrayPrototype);
		// CreateDataPropertyOrThrow (https://tc39.es/ecma262/#sec-createdatapropertyorthrow).
		const createDataProperty = (o, p, value) => {
			if (!defineProperty(o, p, { value, writable: true, enumerable: true, configurable: true })) {
				throw new TypeError(`Cannot define property ${String(p)}`);
			}
		};
		return {
			describe, DONE, getMethod, iteratorDirect, iteratorStep, iteratorStepValue, iteratorClose, iteratorCloseThrow,
			iteratorCloseAll, iteratorFromMethod, getIterator, iteratorFlattenable, toLength, list, toArray, createDataProperty,
		};
	}
	return {
		isObject,
		// IsConstructor (https://tc39.es/ecma262/#sec-isconstructor).
		isConstructor: (f) => {
			try {
				construct(String, [], f);
				return true;
			} catch {
				return false;
			}
		},
		// ToIntegerOrInfinity (https://tc39.es/ecma262/#sec-tointegerorinfinity).
		toInteger: (v) => {
			const n = +v;
			return n !== n ? 0 : trunc(n) + 0;
		},
		// ToPrimitive(v, number) (https://tc39.es/ecma262/#sec-toprimitive).
		toPrimitive,
		// ToBigInt (https://tc39.es/ecma262/#sec-tobigint): BigInt converts the
		// primitives ToBigInt does but Numbers, and throws for the others.
		toBigInt: (v) => {
			const p = toPrimitive(v);
			if (typeof p === "number") throw new TypeError(`Cannot convert ${p} to a BigInt`);
			return BigIntOf(p);
		},
		// ToIndex (https://tc39.es/ecma262/#sec-toindex), with the RangeError's message.
		toIndex: (v, message) => {
			const v2 = +v;
			const n = v2 !== v2 ? 0 : trunc(v2) + 0;
			if (n < 0 || n > MAX_SAFE_INTEGER) throw new RangeError(message);
			return n;
		},
		// NewPromiseCapability(C) (https://tc39.es/ecma262/#sec-newpromisecapability):
		// { promise, resolve, reject }.
		newPromiseCapability: (C) => {
			if (!isObject(C)) throw new TypeError("Promise capability constructor is not an object");
			let resolve, reject;
			const promise = new C((res, rej) => {
				if (resolve !== undefined || reject !== undefined) throw new TypeError("Promise executor has already been invoked");
				resolve = res;
				reject = rej;
			});
			if (typeof resolve !== "function" || typeof reject !== "function") throw new TypeError("Promise resolve or reject function is not callable");
			return { promise, resolve, reject };
		},
		// The operations on iterators, Lists and properties, made when first asked for.
		iteration: () => iteration ??= iterationOps(),
	};
})()
