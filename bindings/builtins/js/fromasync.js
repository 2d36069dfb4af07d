// Array.fromAsync (https://tc39.es/proposal-array-from-async/), which goja lacks. Its
// steps are an async function's, as the spec's AsyncFunctionStart runs them, made the
// first time it is called.
(function (es, intrinsics) {
	"use strict";
	const { isObject, isConstructor, define } = es;
	const apply = intrinsics["Reflect.apply"];
	const ArrayCtor = intrinsics.Array;
	const ObjectCtor = intrinsics.Object;
	const symAsyncIterator = intrinsics["Symbol.asyncIterator"], symIterator = intrinsics["Symbol.iterator"];
	// What the spec's Await(v) (https://tc39.es/ecma262/#await) waits for,
	// which goja's await of it reads nothing more of (see es.promiseResolve).
	const resolved = es.promiseResolve;
	let made;
	const lazy = () => made ??= make();
	// make returns the steps of Array.fromAsync.
	function make() {
		const { describe, getMethod, iteratorFromMethod, iteratorCloseThrow, toLength, createDataProperty } = es.iteration();
		// IteratorNext (https://tc39.es/ecma262/#sec-iteratornext).
		const iteratorNext = (record) => {
			const result = apply(record.next, record.iterator, []);
			if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
			return result;
		};
		// CreateAsyncFromSyncIterator (https://tc39.es/ecma262/#sec-createasyncfromsynciterator):
		// its next and return take AsyncFromSyncIteratorContinuation's steps
		// (https://tc39.es/ecma262/#sec-asyncfromsynciteratorcontinuation) in an
		// async function, whose await of the value is the spec's.
		const asyncFromSync = (sync) => {
			const iterator = {
				async next() {
					const result = iteratorNext(sync);
					const done = !!result.done;
					const value = result.value;
					if (done) return { value: await resolved(value), done };
					try {
						return { value: await resolved(value), done };
					} catch (e) {
						iteratorCloseThrow(sync.iterator, e);
					}
				},
				async return() {
					const f = getMethod(sync.iterator, "return");
					if (f === undefined) return { value: undefined, done: true };
					const result = apply(f, sync.iterator, []);
					if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
					const done = !!result.done;
					return { value: await resolved(result.value), done };
				},
			};
			return { iterator, next: iterator.next };
		};
		// AsyncIteratorClose (https://tc39.es/ecma262/#sec-asynciteratorclose)
		// with a throw completion, error.
		const asyncIteratorCloseThrow = async (record, error) => {
			try {
				const f = getMethod(record.iterator, "return");
				if (f !== undefined) await resolved(apply(f, record.iterator, []));
			} catch {
				// The completion given wins.
			}
			throw error;
		};
		// https://tc39.es/proposal-array-from-async/#sec-array.fromAsync, step 3.
		return async (C, asyncItems, mapper, thisArg) => {
			const mapping = mapper !== undefined;
			if (mapping && typeof mapper !== "function") throw new TypeError(`${describe(mapper)} is not a function`);
			const usingAsyncIterator = getMethod(asyncItems, symAsyncIterator);
			const usingSyncIterator = usingAsyncIterator === undefined ? getMethod(asyncItems, symIterator) : undefined;
			let record;
			if (usingAsyncIterator !== undefined) record = iteratorFromMethod(asyncItems, usingAsyncIterator);
			else if (usingSyncIterator !== undefined) record = asyncFromSync(iteratorFromMethod(asyncItems, usingSyncIterator));
			if (record !== undefined) {
				const A = isConstructor(C) ? new C() : [];
				for (let k = 0; ; k++) {
					if (k >= 9007199254740991) await asyncIteratorCloseThrow(record, new TypeError("Array.fromAsync: too many values"));
					const nextResult = await resolved(apply(record.next, record.iterator, []));
					if (!isObject(nextResult)) throw new TypeError(`Iterator result ${describe(nextResult)} is not an object`);
					if (nextResult.done) {
						A.length = k;
						return A;
					}
					const nextValue = nextResult.value;
					let mappedValue = nextValue;
					if (mapping) {
						try {
							mappedValue = await resolved(apply(mapper, thisArg, [nextValue, k]));
						} catch (e) {
							await asyncIteratorCloseThrow(record, e);
						}
					}
					try {
						createDataProperty(A, k, mappedValue);
					} catch (e) {
						await asyncIteratorCloseThrow(record, e);
					}
				}
			}
			const arrayLike = ObjectCtor(asyncItems);
			const len = toLength(arrayLike.length);
			const A = isConstructor(C) ? new C(len) : new ArrayCtor(len);
			for (let k = 0; k < len; k++) {
				const kValue = await resolved(arrayLike[k]);
				createDataProperty(A, k, mapping ? await resolved(apply(mapper, thisArg, [kValue, k])) : kValue);
			}
			A.length = len;
			return A;
		};
	}
	define(ArrayCtor, {
		fromAsync(asyncItems) {
			return lazy()(this, asyncItems, arguments[1], arguments[2]);
		},
	});
})
